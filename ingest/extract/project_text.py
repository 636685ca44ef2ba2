"""Projects named in task text ("Xây dựng hệ thống ...", "Dự án “...”"), conservatively.

Why conservative: task sections are full of verbs + objects that are activities, not
projects; only a build/upgrade verb followed by a concrete system noun (hệ thống,
phần mềm, cơ sở dữ liệu, cổng/trang thông tin, trung tâm dữ liệu, mạng ...) or an
explicitly quoted "Dự án “...”" counts. The lead agency is the one whose role (from
headings or inline cues) covers the sentence.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.lang.agency_gazetteer import fold
from ingest.model import Agency, Document, Mention, Project
from ingest.structure.spans import DocumentIndex, SectionIndex, SpanIndex
from ontology.uris import project_uri

_VERB = r"(?:tiếp tục\s+)?(?:xây dựng|nâng cấp|triển khai|đầu tư|phát triển|thiết lập|hoàn thiện|mở rộng|duy trì)"
_OBJECT = (
    r"(?:các\s+)?(?:hệ thống|phần mềm|cơ sở dữ liệu|csdl|cổng thông tin|cổng dịch vụ|trang thông tin|"
    r"trung tâm dữ liệu|trung tâm tích hợp|mạng (?:wan|lan|diện rộng|truyền số liệu)|kho dữ liệu|nền tảng)"
)
_TEXT_PROJECT_RE = re.compile(rf"^{_VERB}(?:\s*(?:,|và)\s*{_VERB})*\s+(?:và\s+)?{_OBJECT}")
_QUOTED_RE = re.compile(r"(?:Dự án|Đề án)\s*:?\s*[“\"]([^”\"]{10,200})[”\"]")
_BULLET_RE = re.compile(r"^[ ]*(?:[a-zđ]\)|[-+*•]|\d+(?:\.\d+)*\.?)\s+")
_PERIOD_RE = re.compile(
    r"(?:giai đoạn|năm)\s*((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?", re.IGNORECASE
)


def _in_task_text(doc: Document, sections: SectionIndex, offset: int) -> bool:
    """True inside a tasks/targets section (or anywhere when sections are unknown)."""
    if not doc.sections:
        return True
    return bool(sections.roles(offset) & {"tasks", "targets"})


def _period_at(sections: SectionIndex, offset: int) -> str | None:
    """The phase heading ("Giai đoạn 2016 - 2017") of the innermost section that has one."""
    for s in sections.enclosing(offset):
        m = _PERIOD_RE.search(s.title)
        if m:
            return f"{m.group(1)}-{m.group(2)}" if m.group(2) else m.group(1)
    return None


_RoleRef = tuple[str, dict[str, Any]]  # (agency name, role)


def _role_index(agencies: list[Agency]) -> SpanIndex[_RoleRef]:
    """Every role of every agency by its span, in agency then role order."""
    refs = [(ag.name, r) for ag in agencies for r in ag.roles]
    return SpanIndex(refs, lambda ref: (ref[1]["start"], ref[1]["end"]))


def _lead_at(roles: SpanIndex[_RoleRef], start: int) -> tuple[str | None, list[str]]:
    lead, partners = None, []
    for name, r in roles.containing(start):
        if r["role"] == "lead" and lead is None:
            lead = name
        elif r["role"] == "partner" and name not in partners:
            partners.append(name)
    return lead, [p for p in partners if p != lead]


def _name_from(clause: str) -> str:
    name = re.split(r"[;:]|\.\s|\s+(?:nhằm|để|đảm bảo|bảo đảm|phục vụ|theo hướng|với)\s", clause)[0]
    words = name.split()
    return " ".join(words[:25]).strip(" ,.")


def text_projects(
    doc: Document, agencies: list[Agency], index: DocumentIndex | None = None
) -> list[Project]:
    """Projects the task text names; tables are left to the table reader."""
    index = index or DocumentIndex.of(doc)
    tables, sections, passages = index.tables, index.sections, index.passages
    roles = _role_index(agencies)
    out: list[Project] = []
    pos = 0
    for line in doc.text.split("\n"):
        start = pos
        pos += len(line) + 1
        if line.startswith("\t") or start in tables or not _in_task_text(doc, sections, start):
            continue
        body = _BULLET_RE.sub("", line)
        offset = start + len(line) - len(body)
        candidates: list[tuple[int, str]] = []
        for m in _QUOTED_RE.finditer(line):
            candidates.append((start + m.start(1), m.group(1).strip()))
        for part in re.finditer(r"[^;.]+", body):
            clause = part.group(0).strip()
            if _TEXT_PROJECT_RE.match(fold(clause)):
                candidates.append(
                    (
                        offset + part.start() + (len(part.group(0)) - len(part.group(0).lstrip())),
                        _name_from(clause),
                    )
                )
        for s, name in candidates:
            if len(name.split()) < 3:
                continue
            lead, partners = _lead_at(roles, s)
            passage_id = passages.id_at(s)
            out.append(
                Project(
                    name=name,
                    lead_agency=lead,
                    partners=partners,
                    period=_period_at(sections, s),
                    uri=project_uri(doc.id, name),
                    source_kind="text",
                    mentions=[Mention(s, s + len(name), doc.text[s : s + len(name)], passage_id)],
                )
            )
    return out
