"""The section tree of a plan or legal text, with roles inferred from headings.

Heading shapes, outermost first: "Chương I" / "PHỤ LỤC" / "Nơi nhận:" (top), "I." (part),
"Điều 5." / "Điều 3.3.LQ.1." (article), "Khoản 2" (clause), "1." (item), "1.1." (subitem,
deeper for "1.1.1."), "a)" (point), "-" / "+" / "•" (bullets). Lines inside flattened
tables are skipped: their "- ..." cells are not bullets of the text. A section ends where
the next sibling or ancestor starts. Roles come from the heading words and are inherited
by children (bullets never set a role of their own: one sentence saying "kinh phí" does
not make a budget section).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Section
from ingest.structure.tables import table_regions

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(r"^(?:Chương|CHƯƠNG)\s+(?P<label>[IVXLC]+|\d+)\b\.?\s*(?P<title>.*)$")),
    (
        "appendix",
        re.compile(
            r"^(?P<label>PHỤ LỤC|Phụ lục)(?:\s+(?:số\s+)?[IVX\d]+)?\s*(?P<title>[^a-zà-ỹ]*)$"
        ),
    ),
    ("recipients", re.compile(r"^(?P<label>Nơi nhận)\s*:(?P<title>.*)$")),
    ("part", re.compile(r"^(?P<label>[IVX]{1,5})\s*[.)]\s*(?P<title>\S.*)$")),
    (
        "article",
        re.compile(r"^Điều\s+(?P<label>\d+[a-z]?(?:\.\d+\.[A-ZĐ]+(?:\.\d+)+)?)\.\s*(?P<title>.*)$"),
    ),
    ("clause", re.compile(r"^Khoản\s+(?P<label>\d+)\b[.:]?\s*(?P<title>.*)$")),
    ("subitem", re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<title>\S.*)$")),
    ("item", re.compile(r"^(?P<label>\d{1,2})\s*[.)]\s+(?P<title>\S.*)$")),
    ("point", re.compile(r"^(?P<label>[a-zđ])\s*\)\s*(?P<title>.*)$")),
    ("bullet", re.compile(r"^(?P<label>[-+•*–])(?:\s+(?P<title>.*)|$)")),
]
_RANK = {
    "chapter": 0,
    "appendix": 0,
    "recipients": 0,
    "part": 1,
    "article": 2,
    "clause": 3,
    "item": 4,
}
_BULLET_RANK = {"-": 9, "–": 9, "+": 10, "•": 11, "*": 11}

_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("basis", re.compile(r"căn cứ|cơ sở pháp lý|cơ sở xây dựng|sự cần thiết")),
    ("budget", re.compile(r"kinh phí|dự toán|danh mục (các )?dự án|nguồn vốn|vốn đầu tư")),
    ("targets", re.compile(r"mục tiêu|chỉ tiêu")),
    ("organisation", re.compile(r"tổ chức thực hiện|trách nhiệm|phân công")),
    ("tasks", re.compile(r"nhiệm vụ|giải pháp|nội dung kế hoạch|nội dung thực hiện|lộ trình")),
]


@dataclass(slots=True)
class _Heading:
    kind: str
    label: str
    title: str
    start: int
    rank: int


def _rank(kind: str, label: str) -> int:
    if kind == "subitem":
        return 4 + label.count(".")
    if kind == "point":
        return 8
    if kind == "bullet":
        return _BULLET_RANK.get(label, 11)
    return _RANK[kind]


def _match(line: str) -> tuple[str, str, str] | None:
    """(kind, label, title) when ``line`` opens a section."""
    stripped = line.strip().strip("*").strip()
    for kind, pattern in _PATTERNS:
        m = pattern.match(stripped)
        if m:
            label = m.group("label")
            if kind == "article" and not label[0].isdigit():
                continue
            return kind, label, (m.group("title") or "").strip()
    return None


def role_of(title: str) -> str | None:
    """Role named by a heading's words (first 100 characters), else None."""
    low = title[:100].lower()
    for role, pattern in _ROLES:
        if pattern.search(low):
            return role
    return None


def _headings(text: str) -> list[_Heading]:
    regions = table_regions(text)
    out: list[_Heading] = []
    pos = 0
    r = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        while r < len(regions) and regions[r][1] < start:
            r += 1
        if r < len(regions) and regions[r][0] <= start <= regions[r][1]:
            continue
        if line.startswith(("\t", " \t")) and not line.strip().startswith("Nơi nhận"):
            continue
        hit = _match(line)
        if hit:
            kind, label, title = hit
            lead = len(line) - len(line.lstrip(" *"))
            out.append(_Heading(kind, label, title, start + lead, _rank(kind, label)))
    return out


def _display_label(kind: str, label: str) -> str:
    if kind == "article" and not label.startswith("Điều"):
        return f"Điều {label}"
    if kind == "point":
        return f"{label})"
    return label


def parse_sections(text: str) -> list[Section]:
    """The section tree as a flat list in document order (parents before children)."""
    sections: list[Section] = []
    stack: list[tuple[int, Section]] = []  # (rank, section)
    for n, h in enumerate(_headings(text)):
        while stack and stack[-1][0] >= h.rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        # Long sentence-headings ("4. Căn cứ hướng dẫn của Sở ...") do not name a role.
        short = len(h.title) <= 80 or h.title.isupper()
        own = (
            None if h.kind in ("bullet", "recipients") or not short else role_of(h.title or h.label)
        )
        if h.kind == "appendix" and own is None:
            own = role_of(_next_line(text, h.start))
        role = own or (parent.role if parent and h.kind != "appendix" else None)
        sec = Section(
            id=f"s{n + 1}",
            kind=h.kind,
            label=_display_label(h.kind, h.label),
            title=h.title,
            start=h.start,
            end=len(text),
            level=len(stack) + 1,
            parent=parent.id if parent else None,
            role=role,
        )
        # Close every open section at this rank or deeper.
        sections.append(sec)
        stack.append((h.rank, sec))
    _set_ends(sections, len(text))
    return sections


def _next_line(text: str, start: int) -> str:
    """The line after the one at ``start`` (appendix titles sit on the next line)."""
    nl = text.find("\n", start)
    if nl < 0:
        return ""
    end = text.find("\n", nl + 1)
    return text[nl + 1 : end if end >= 0 else len(text)]


def _set_ends(sections: list[Section], text_len: int) -> None:
    """End of a section = start of the next section that is not its descendant."""
    by_id = {s.id: s for s in sections}
    for i, sec in enumerate(sections):
        end = text_len
        for k in range(i + 1, len(sections)):  # an index, not a copy of the rest of the list
            if not _is_descendant(sections[k], sec, by_id):
                end = sections[k].start
                break
        sec.end = end


def _is_descendant(node: Section, ancestor: Section, by_id: dict[str, Section]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent == ancestor.id:
            return True
        parent = by_id[parent].parent
    return False


def section_path(
    section_id: str | None,
    sections: list[Section],
    width: int = 60,
    by_id: dict[str, Section] | None = None,
) -> str:
    """Human-readable heading path, e.g. "IV > 2 > a) Sở Thông tin và Truyền thông".

    ``by_id`` (the sections by id) saves rebuilding that map when a caller asks for many.
    """
    by_id = by_id if by_id is not None else {s.id: s for s in sections}
    chain: list[Section] = []
    cur = by_id.get(section_id) if section_id else None
    while cur is not None:
        if cur.kind != "bullet":
            chain.append(cur)
        cur = by_id.get(cur.parent) if cur.parent else None
    chain.reverse()
    if not chain:
        return ""
    parts = [c.label for c in chain]
    title = " ".join(chain[-1].title.split())
    if title:
        parts[-1] = f"{parts[-1]} {title[:width]}".strip()
    return " > ".join(parts)
