"""The typed document model every stage of cancu passes along.

Data flows one way: file -> ``SourceText`` -> ``Document`` (metadata, sections, tables,
passages) -> ``Extraction`` (citations, agencies, projects, targets) -> graph + index.
All character offsets (``start``/``end``) index into ``Document.text``, the normalised
text that is stored with the document, so every fact can be traced back to its span.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

DocumentKind = Literal["plan", "legal"]
"""``plan``: a provincial plan or any administrative document; ``legal``: a law corpus
entry (national code, law JSON) whose parts are articles."""

PassageKind = Literal[
    "header",  # title block, number, date, signer
    "basis",  # the legal basis ("Căn cứ ...", "Thực hiện ...")
    "body",  # ordinary running text
    "tasks",  # text under a tasks / solutions / responsibilities heading
    "targets",  # text under an objectives / targets heading
    "table_row",  # one rebuilt table row with its header context
    "article",  # an article (Điều) of a legal text
]
PASSAGE_KINDS: tuple[str, ...] = get_args(PassageKind)
"""Every passage kind, the one list that search filters, the CLI and the API offer."""


def content_id(*parts: str, length: int = 16) -> str:
    """Stable id from content: the same inputs always give the same id."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class DocumentMeta:
    """Header metadata. Fields the text does not give stay ``None``, never guessed."""

    doc_type: str | None = None  # "Kế hoạch", "Quyết định", "Luật", ...
    number: str | None = None  # canonical số ký hiệu, e.g. "20/KH-UBND"
    date: str | None = None  # ISO YYYY-MM-DD
    issuer: str | None = None  # "UBND tỉnh Tuyên Quang"
    province: str | None = None  # "Tuyên Quang"
    period: str | None = None  # "2016-2020" or "2017"
    title: str | None = None
    signer: str | None = None
    # Where each field was read (field name -> span); provenance for the header facts.
    spans: dict[str, Span] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("spans")
        return data


@dataclass(slots=True)
class Section:
    """A node of the section tree: "I.", "1.", "1.2.", "a)", "-", "Điều 5", "Khoản 2"."""

    id: str
    kind: str  # "part" (I.), "chapter" (Chương), "item" (1.), "subitem" (1.2.), "point" (a)), "bullet" (-), "article" (Điều), "clause" (Khoản)
    label: str  # "I", "1.2", "a", "Điều 5"
    title: str  # heading text on the same line
    start: int  # offset of the heading line
    end: int  # end of the section's content (exclusive)
    level: int
    parent: str | None = None
    role: str | None = None  # "basis" | "tasks" | "targets" | "budget" | "organisation" | None


@dataclass(slots=True)
class TableRow:
    index: int
    cells: list[str]
    start: int
    end: int
    is_header: bool = False
    is_subtotal: bool = False  # "Cộng I", "Tổng cộng", ...


@dataclass(slots=True)
class Table:
    id: str
    start: int
    end: int
    header: list[str]  # column names (flattened multi-row headers joined with " / ")
    rows: list[TableRow]
    title: str | None = None  # the caption / preceding line, where units often hide
    unit: str | None = None  # "triệu đồng", "tỷ đồng", ... when the title or header gives it
    section_id: str | None = None


@dataclass(slots=True)
class Passage:
    """A retrievable chunk of a document (40-300 words, a table row, or an article)."""

    id: str
    doc_id: str
    text: str
    start: int
    end: int
    kind: str  # a PassageKind
    section: str = ""  # human-readable path, e.g. "IV > 2 > a) Sở Thông tin và Truyền thông"
    section_id: str | None = None
    article_id: str | None = None  # for law corpora: the article id as the corpus gives it
    table_id: str | None = None
    row_index: int | None = None


@dataclass(slots=True)
class Document:
    id: str  # stable id: file stem for files, the law id verbatim for law corpora
    source: str  # path (or "path#law-id") the document was read from
    text: str  # normalised text; all offsets refer to it
    kind: str = "plan"  # a DocumentKind
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    # For a Quyết định approving a Kế hoạch: the plan's own metadata.
    attached_plan: DocumentMeta | None = None
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    content_hash: str = ""  # hash of the raw bytes: unchanged file -> nothing to do
    # For legal texts (national code, census): extra facts such as in-force status.
    extra: dict[str, Any] = field(default_factory=dict)

    def passage_at(self, offset: int) -> Passage | None:
        """The narrowest passage containing ``offset`` (table rows win over body text).

        A scan of every passage: for one lookup. Code that places many offsets of one
        document builds ``ingest.structure.PassageIndex`` once (same answers, by bisection).
        """
        best: Passage | None = None
        for p in self.passages:
            if p.start <= offset < p.end and (
                best is None or p.end - p.start < best.end - best.start
            ):
                best = p
        return best


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    passage_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "passage_id": self.passage_id,
        }


@dataclass(slots=True)
class Citation:
    """One cited document, with every place the citing document mentions it."""

    number: str | None  # canonical, typos repaired ("1819/QĐ-TTg"); None for laws not resolved
    doc_type: str | None
    date: str | None = None  # ISO
    issuer: str | None = None
    title: str | None = None  # trích yếu
    in_basis: bool = False
    uri: str = ""
    mentions: list[Mention] = field(default_factory=list)
    # Same number seen with other dates or types in this document: [{"field","value","mention"}].
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    resolved_by: str | None = None  # "number" | "short-reference" | "law-name"

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "doc_type": self.doc_type,
            "date": self.date,
            "issuer": self.issuer,
            "title": self.title,
            "in_basis": self.in_basis,
            "uri": self.uri,
            "mentions": [m.to_json() for m in self.mentions],
            "conflicts": self.conflicts,
            "resolved_by": self.resolved_by,
        }


@dataclass(slots=True)
class Agency:
    name: str  # canonical full name, e.g. "Sở Thông tin và Truyền thông"
    level: str  # "trung ương" | "tỉnh" | "huyện" | "xã" | "doanh nghiệp" | "khác"
    province: str | None = None  # None for national bodies
    aliases: list[str] = field(default_factory=list)
    uri: str = ""
    kind: str | None = None  # "Sở", "UBND", "Bộ", ...
    parent_uri: str | None = None  # org:subOrganizationOf
    mentions: list[Mention] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(
        default_factory=list
    )  # {"role": "lead"|"partner", "task": str, "passage_id"}
    # A group of bodies ("all district People's Committees"): its collective class key.
    collective: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aliases": self.aliases,
            "level": self.level,
            "province": self.province,
            "uri": self.uri,
            "kind": self.kind,
            "parent_uri": self.parent_uri,
            "mentions": [m.to_json() for m in self.mentions],
            "roles": self.roles,
            "collective": self.collective,
        }


@dataclass(slots=True)
class Project:
    name: str
    lead_agency: str | None = None
    partners: list[str] = field(default_factory=list)
    budget_vnd_million: float | None = None
    budget_by_year: dict[str, float] = field(default_factory=dict)
    budget_by_source: dict[str, float] = field(default_factory=dict)
    period: str | None = None
    objective: str | None = None
    uri: str = ""
    source_kind: str = "text"  # "table_row" | "text"
    mentions: list[Mention] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lead_agency": self.lead_agency,
            "partners": self.partners,
            "budget_vnd_million": self.budget_vnd_million,
            "budget_by_year": self.budget_by_year,
            "budget_by_source": self.budget_by_source,
            "period": self.period,
            "objective": self.objective,
            "uri": self.uri,
            "source_kind": self.source_kind,
            "mentions": [m.to_json() for m in self.mentions],
        }


@dataclass(slots=True)
class Target:
    indicator: str
    value: float | str | None
    unit: str | None = None  # "%", "điểm", "đơn vị", ...
    year_or_period: str | None = None
    kind: str = "goal"  # "goal" | "status"
    indicator_group: str | None = None  # shared key across plans, e.g. "dvc-muc-3-4"
    uri: str = ""
    mentions: list[Mention] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "value": self.value,
            "unit": self.unit,
            "year_or_period": self.year_or_period,
            "kind": self.kind,
            "indicator_group": self.indicator_group,
            "uri": self.uri,
            "mentions": [m.to_json() for m in self.mentions],
        }


@dataclass(slots=True)
class BudgetCheck:
    """A subtotal or total row compared with the sum of the rows it covers."""

    table_id: str
    label: str
    stated: float
    computed: float
    passage_id: str | None = None

    @property
    def mismatch(self) -> bool:
        return abs(self.stated - self.computed) > max(1.0, 0.005 * abs(self.stated))


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one document."""

    document: Document
    citations: list[Citation] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    budget_checks: list[BudgetCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
