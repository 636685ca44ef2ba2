"""Deterministic URIs: the same thing from any plan is the same node.

Legal documents get ELI-style URIs built from their number (số ký hiệu), never from the
file that cites them: ``64/2007/NĐ-CP`` is ``{BASE}/eli/vn/cp/2007/nd/64`` in every plan.
Administrative numbers of provincial issuers (UBND, HĐND, Tỉnh ủy, Sở ...) restart every
year in every province, so their URIs carry the province and, where known, the year.

Size: over 400 lines on purpose: every URI of the project is minted here and nowhere else
(one rule in one place), from legal numbers to annotations and named graphs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

BASE = "https://cancu.vn"
ELI_ROOT = f"{BASE}/eli/vn/"  # every legal document's URI starts here

# Issuer codes that denote national bodies: their documents are one node nationwide.
NATIONAL_ISSUERS = {
    "CP",
    "TTG",
    "VPCP",
    "TW",
    "BCT",
    "BCHTW",
    "BBT",
    "BTTTT",
    "BNV",
    "BTC",
    "BKHĐT",
    "BKHDT",
    "BCA",
    "BQP",
    "BYT",
    "BGDĐT",
    "BGDDT",
    "BTP",
    "BTNMT",
    "BXD",
    "BGTVT",
    "BNNPTNT",
    "BLĐTBXH",
    "BLDTBXH",
    "BVHTTDL",
    "BKHCN",
    "BNG",
    "BBCVT",
    "NHNN",
    "TTCP",
    "KTNN",
    "UBTVQH",
    "TANDTC",
    "VKSNDTC",
    "BTTT",
    "BCY",
    "BCĐ",
    "BCD",
}


def strip_accents(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def slugify(text: str) -> str:
    """ASCII, lower case, dash-separated: "Sở Thông tin và Truyền thông" -> "so-thong-tin-va-truyen-thong"."""
    ascii_text = strip_accents(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "x"


@dataclass(frozen=True, slots=True)
class NumberParts:
    """A parsed document number: ``64/2007/NĐ-CP`` -> (64, 2007, NĐ, CP)."""

    seq: str  # "64", "36a"
    year: str | None  # "2007" when the number carries it
    type_code: str | None  # "NĐ", "QĐ", "KH", None for laws and official letters
    issuer_code: str  # "CP", "TTg", "QH11", "UBND", "BTTTT-THH", "BTTTT-BNV"

    @property
    def is_national(self) -> bool:
        head = self.issuer_code.split("-")[0].upper()
        return head in NATIONAL_ISSUERS or head.startswith("QH") or head == "TW"


_NUMBER_RE = re.compile(
    r"^(?P<seq>\d+[a-zA-Z]?)"
    r"(?:(?:/(?P<year>(?:19|20)\d\d))?/(?P<rest>[^\s]+)|-(?P<ptype>[^/\s]+)/(?P<pissuer>[^\s]+))$"
)


def parse_number(number: str) -> NumberParts | None:
    """Split a canonical number into its parts; None when it is not of a known family."""
    m = _NUMBER_RE.match(number.strip())
    if not m:
        return None
    seq = m.group("seq")
    if m.group("ptype"):  # Party documents: 36-NQ/TW
        return NumberParts(seq, None, m.group("ptype"), m.group("pissuer"))
    year = m.group("year")
    rest = m.group("rest")
    if re.fullmatch(r"QH\d+", rest):  # laws and resolutions of the National Assembly
        return NumberParts(seq, year, None, rest)
    groups = rest.split("-")
    if len(groups) == 1:
        return NumberParts(seq, year, None, groups[0])
    # N/TYPE-ISSUER[-ISSUER2] or N/ISSUER-UNIT (official letter: no type code).
    if _is_type_code(groups[0]):
        return NumberParts(seq, year, groups[0], "-".join(groups[1:]))
    return NumberParts(seq, year, None, rest)


TYPE_CODES = {
    "NĐ": "Nghị định",
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "CT": "Chỉ thị",
    "KH": "Kế hoạch",
    "CTR": "Chương trình",
    "TTR": "Tờ trình",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "ĐA": "Đề án",
    "VBHN": "Văn bản hợp nhất",
    "CTPH": "Chương trình phối hợp",
    "CV": "Công văn",
    "QC": "Quy chế",
    "QYĐ": "Quy định",
    "QĐi": "Quy định",
    "NQLT": "Nghị quyết liên tịch",
    "PL": "Pháp lệnh",
    "L": "Luật",
    "KL": "Kết luận",
    "BB": "Biên bản",
    "TTRA": "Thanh tra",
}


def _is_type_code(code: str) -> bool:
    return code.upper() in {k.upper() for k in TYPE_CODES}


def legal_uri(number: str, *, province: str | None = None, year: str | None = None) -> str:
    """ELI-style URI of a legal or administrative document identified by its number.

    ``province`` and ``year`` (from the document's date) are used only for provincial
    issuers, whose numbers repeat across provinces and years.
    """
    parts = parse_number(number)
    if parts is None:
        return f"{ELI_ROOT}x/{slugify(number)}"
    type_seg = (
        slugify(parts.type_code)
        if parts.type_code
        else ("luat" if parts.issuer_code.upper().startswith("QH") else "cv")
    )
    issuer_seg = slugify(parts.issuer_code)
    if parts.is_national or not province:
        segs = [issuer_seg]
        if parts.year:
            segs.append(parts.year)
    else:
        segs = [slugify(province), issuer_seg, parts.year or year or "_"]
    return ELI_ROOT + "/".join([*segs, type_seg, slugify(parts.seq)])


def eli_path_uri(path: str) -> str:
    """The URI of an ELI path a user typed ("cp/2007/nd/64", any case, slashes around it
    ignored): the inverse of cutting ``ELI_ROOT`` off a legal document's URI."""
    return ELI_ROOT + path.strip().strip("/").lower()


def numbered_document_uri(number: str, province: str | None, date: str | None) -> str:
    """The URI of a document with a number: ``legal_uri`` with the year of its ISO date."""
    return legal_uri(number, province=province, year=date[:4] if date else None)


def law_name_uri(name: str) -> str:
    """A law cited only by name that the name table could not resolve to a number."""
    return f"{ELI_ROOT}qh/name/{slugify(name)}"


# Ids kept as their plain slug (readable, and the URIs they had before ids were made
# injective): lower-case words joined by single underscores ("002_38245e7efbbbc304",
# "kh_tay_ninh_2019"), and canonical legal numbers whose letters the slug can restore
# ("64/2007/NĐ-CP", "05/2017/QĐ-TTg": Đ never D, capitals but the "TTg" of the Prime
# Minister). Their slugs never meet: an underscore id shaped like a number slug is hashed.
_UNDERSCORE_ID_RE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
_NUMBER_ID_RE = re.compile(
    r"[0-9]+[a-z]?/(?:19|20)[0-9]{2}/(?:[A-CE-Z0-9Đ]+|TTg)(?:-(?:[A-CE-Z0-9Đ]+|TTg))*"
)
_NUMBER_SLUG_RE = re.compile(r"[0-9]+[a-z]?-(?:19|20)[0-9]{2}(?:-[a-z0-9]+)+")
MAX_PLAIN_ID = 96  # longer ids are cut and hashed (file names stay short)
SLUG_HASH_LENGTH = 12


def _plain_slug_id(doc_id: str) -> bool:
    if len(doc_id) > MAX_PLAIN_ID:
        return False
    if _UNDERSCORE_ID_RE.fullmatch(doc_id):
        return _NUMBER_SLUG_RE.fullmatch(doc_id.replace("_", "-")) is None
    codes = doc_id.rsplit("/", 1)[-1].split("-")
    return _NUMBER_ID_RE.fullmatch(doc_id) is not None and "TTG" not in codes


def document_slug(doc_id: str) -> str:
    """The path segment (and store file name) of a document id: injective in the id.

    ``slugify`` folds case, accents and punctuation ("002-x" and "002_x" meet), so only
    the families of ``_plain_slug_id`` keep the bare slug; every other id gets its slug
    (cut to 64 characters) plus "--" and a hash of the exact id. A bare slug never
    contains "--", so the two forms never meet either.
    """
    slug = slugify(doc_id)
    if _plain_slug_id(doc_id):
        return slug
    return f"{slug[:64].rstrip('-')}--{content_id(doc_id, length=SLUG_HASH_LENGTH)}"


def legacy_document_slug(doc_id: str) -> str | None:
    """The slug an id had before ``document_slug`` (plain ``slugify``), when it differs:
    stores written then can find and replace the old file or graph of the same id."""
    old = slugify(doc_id)
    return None if old == document_slug(doc_id) else old


def document_uri(doc_id: str) -> str:
    """The source document (file) as ingested: its passages hang off it."""
    return f"{BASE}/doc/{document_slug(doc_id)}"


def named_graph_uri(doc_id: str) -> str:
    """Each ingested document's facts live in their own named graph (remove = drop it)."""
    return f"{BASE}/graph/{document_slug(doc_id)}"


def legacy_named_graph_uri(doc_id: str) -> str | None:
    """The named graph an id had before ``document_slug``, when it differs (to drop it)."""
    old = legacy_document_slug(doc_id)
    return None if old is None else f"{BASE}/graph/{old}"


def status_graph_uri(table_name: str) -> str:
    """The named graph of a legal-status table, by its file name: ingesting a table of the
    same name again (an updated version) replaces its facts."""
    return f"{BASE}/graph/_status/{slugify(table_name)}"


def passage_uri(doc_id: str, passage_id: str) -> str:
    return f"{document_uri(doc_id)}/passage/{passage_id}"


def agency_uri(name: str, province: str | None) -> str:
    scope = slugify(province) if province else "vn"
    return f"{BASE}/org/{scope}/{slugify(name)}"


def province_uri(province: str) -> str:
    return f"{BASE}/place/{slugify(province)}"


def project_uri(doc_id: str, key: str) -> str:
    return f"{BASE}/project/{document_slug(doc_id)}/{slugify(key)[:80]}"


def target_uri(doc_id: str, key: str) -> str:
    return f"{BASE}/target/{document_slug(doc_id)}/{slugify(key)[:80]}"


def indicator_uri(group: str) -> str:
    return f"{BASE}/indicator/{slugify(group)}"


def doc_type_uri(doc_type: str) -> str:
    return f"{BASE}/vocab/doctype/{slugify(doc_type)}"


def annotation_uri(fact_uri: str, passage_id: str, start: int) -> str:
    """One provenance record (a Web Annotation) per fact and span."""
    return f"{fact_uri}/ann/{passage_id}-{start}"


def own_document_uri(
    doc_id: str, number: str | None, province: str | None, date: str | None
) -> str:
    """The node of an ingested document: its ELI URI when it has a number (so that other
    plans citing it land on the same node), else a URI from its file."""
    if number:
        return numbered_document_uri(number, province, date)
    return document_uri(doc_id)


# --- Derived node URIs used by the graph builder (no blank nodes: removal stays exact) ---


def content_id(*parts: str, length: int = 16) -> str:
    """Stable short hash (same recipe as ``ingest.model.content_id``, kept here so that
    ontology/ does not import ingest/)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def attached_plan_uri(doc_id: str) -> str:
    """A plan attached to a Quyết định that has no number of its own."""
    return f"{document_uri(doc_id)}/plan"


def attached_plan_node_uri(
    doc_id: str, number: str | None, province: str | None, date: str | None, outer_uri: str
) -> str:
    """The node of a plan attached to a Quyết định (``outer_uri``): its ELI URI when it has
    a number of its own, else (or when that is the decision's own node) ``attached_plan_uri``."""
    fallback = attached_plan_uri(doc_id)
    uri = numbered_document_uri(number, province, date) if number else fallback
    return fallback if uri == outer_uri else uri


def article_uri(doc_uri: str, article_id: str) -> str:
    """An article (Điều) of a legal document: a part of its ELI node."""
    return f"{doc_uri}/article/{slugify(article_id)}"


def citation_record_uri(citing_uri: str, cited_uri: str) -> str:
    """The reified "citing cites cited" record that carries quote, span and basis flag."""
    return f"{citing_uri}/cites/{content_id(cited_uri)}"


def conflict_uri(record_uri: str, field_name: str, value: str) -> str:
    return f"{record_uri}/conflict/{slugify(field_name)}-{content_id(value, length=10)}"


def mention_annotation_uri(
    fact_uri: str,
    doc_id: str,
    passage_id: str | None,
    start: int,
    end: int | None = None,
    field: str | None = None,
) -> str:
    """Provenance of a fact at one span of one document.

    Shared nodes (an agency, a cited decree) are annotated from many documents, so the
    document id is part of the URI: each annotation then lives in exactly one named graph.
    The end and the field are part of it too: two header fields of one document may
    start at the same offset (type line and title) and must stay two annotations.
    """
    span = f"{start}" if end is None else f"{start}-{end}"
    suffix = f"-{slugify(field)}" if field else ""
    return f"{fact_uri}/ann/{document_slug(doc_id)}/{passage_id or 'x'}-{span}{suffix}"


def annotation_target_uri(annotation_uri: str) -> str:
    """The oa:SpecificResource an annotation targets (the passage, with its selectors)."""
    return f"{annotation_uri}/target"


def position_selector_uri(annotation_uri: str) -> str:
    """The oa:TextPositionSelector (start, end) of an annotation's target."""
    return f"{annotation_uri}/pos"


def quote_selector_uri(annotation_uri: str) -> str:
    """The oa:TextQuoteSelector (exact, prefix, suffix) of an annotation's target."""
    return f"{annotation_uri}/quote"


def repeated_fact_uri(fact_uri: str, occurrence: int) -> str:
    """The ``occurrence``-th (2, 3, ...) fact of one document that has the same key as an
    earlier one: two facts stay two nodes."""
    return f"{fact_uri}-{occurrence}"


def responsibility_uri(agency: str, doc_id: str, key: str) -> str:
    return f"{agency}/resp/{document_slug(doc_id)}/{content_id(key, length=12)}"


def budget_line_uri(project: str, dimension: str, key: str) -> str:
    return f"{project}/budget/{slugify(dimension)}/{slugify(key)[:60]}"


def budget_check_uri(doc_id: str, table_id: str, label: str) -> str:
    return (
        f"{BASE}/check/{document_slug(doc_id)}/{slugify(table_id)}/{content_id(label, length=10)}"
    )


def agency_level_uri(level: str) -> str:
    return f"{BASE}/vocab/agency-level/{slugify(level)}"


def collective_body_uri(key: str) -> str:  # concept of a kind of collective body
    return f"{BASE}/vocab/collective-body/{slugify(key)}"


def concept_scheme_uri(name: str) -> str:
    return f"{BASE}/vocab/{slugify(name)}"


def ontology_graph_uri() -> str:
    """The named graph holding cancu.ttl + skos.ttl inside the store."""
    return f"{BASE}/graph/_ontology"
