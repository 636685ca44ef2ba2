"""Agencies of a plan: mentions -> merged, province-scoped ``Agency`` records with roles.

Why scoping: every province has its own "Sở Thông tin và Truyền thông", so provincial
bodies keep their plain name but get the plan's province in ``province`` and the URI;
national bodies (ministries, Chính phủ, national enterprises) have one URI nationwide.
Why roles: who leads (chủ trì) and who supports (phối hợp) a task is what readers ask
(read by ``ingest.extract.agency_roles``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.extract.agency_mentions import Hit, find_mentions, infer_province, resolve_overlaps
from ingest.extract.agency_roles import ScopedHit, assign_roles
from ingest.extract.collective_mentions import (
    collective_class_of,
    collective_hits,
    office_and_sector_hits,
    partner_hits,
)
from ingest.lang.agency_gazetteer import fold, name_key
from ingest.model import Agency, Document, Mention
from ingest.structure.spans import DocumentIndex, PassageIndex
from ontology.uris import agency_uri

PROVINCE_COMMITTEE = "Ủy ban nhân dân tỉnh"


def province_committee_uri(province: str) -> str:
    """The provincial people's committee: parent of every provincial body."""
    return agency_uri(PROVINCE_COMMITTEE, province)


def doc_province(doc: Document) -> str | None:
    """The plan's province: header metadata first, else the text's most named province."""
    for meta in (doc.meta, doc.attached_plan):
        if meta is not None and meta.province:
            return meta.province
    return infer_province(doc.text)


def all_mentions(text: str, province: str | None) -> list[Hit]:
    """Single bodies, collective bodies and outside partners, overlaps resolved."""
    folded = fold(text)
    hits = find_mentions(text, province, folded) + collective_hits(text, folded)
    hits += office_and_sector_hits(text, folded)
    return resolve_overlaps(hits + partner_hits(text, folded))


def display_name(hit: Hit, province: str | None) -> str:
    """Canonical name of a hit: the gazetteer name, or a free name without the province
    qualifier and with the head capitalised ("Ban chỉ đạo CNTT tỉnh" -> "Ban Chỉ đạo CNTT")."""
    if hit.source != "generic":
        return hit.name
    name = hit.name
    name = re.sub(r"\s+(?:của\s+)?[tT]ỉnh(?:\s+\S.*)?$", "", name)
    if province and name.startswith(("Trung tâm", "Ban")) and name.endswith(" " + province):
        name = name[: -len(province) - 1]
    name = re.sub(r"^Ban chỉ đạo", "Ban Chỉ đạo", name)
    name = re.sub(r"^BCĐ", "Ban Chỉ đạo", name)
    return name.strip()


def scope_hits(hits: list[Hit], province: str | None) -> list[ScopedHit]:
    out = []
    for h in hits:
        prov = (
            None
            if h.national
            else (h.province if h.province and h.source != "generic" else province)
        )
        if prov and prov.isupper():
            prov = prov.title()
        if prov and province and fold(prov) == fold(province):
            prov = province
        name = display_name(h, province)
        key = f"{name_key(name, prov)}|{prov or 'vn'}"
        out.append(ScopedHit(h, name, prov, key))
    return out


def _level(hit: Hit) -> str:
    return hit.level


def build_agencies(
    doc: Document, scoped: list[ScopedHit], passages: PassageIndex | None = None
) -> dict[str, Agency]:
    """Merge scoped hits by key into Agency records (aliases = other surface forms)."""
    agencies: dict[str, Agency] = {}
    passages = passages or PassageIndex(doc.passages)
    for sh in scoped:
        h = sh.hit
        ag = agencies.get(sh.key)
        if ag is None:
            parent = None
            if sh.province and not (h.kind == "UBND" and h.level == "tỉnh"):
                parent = province_committee_uri(sh.province)
            ag = Agency(
                name=sh.name,
                level=_level(h),
                province=sh.province,
                uri=agency_uri(sh.name, sh.province),
                kind=h.kind,
                parent_uri=parent,
            )
            if h.source == "collective":
                cls = collective_class_of(sh.name)
                ag.collective = cls.key if cls else None
            agencies[sh.key] = ag
        elif h.source == "generic" and len(sh.name) > len(ag.name) and "CNTT" not in sh.name:
            ag.aliases.append(ag.name)
            ag.name = sh.name
            ag.uri = agency_uri(sh.name, sh.province)
        surface = re.sub(r"\s+", " ", h.surface).strip()
        if surface != ag.name and surface not in ag.aliases:
            ag.aliases.append(surface)
        passage_id = passages.id_at(h.start)
        ag.mentions.append(Mention(h.start, h.end, doc.text[h.start : h.end], passage_id))
    for ag in agencies.values():
        ag.aliases = [a for a in ag.aliases if a != ag.name]
    return agencies


def extract_agencies(doc: Document, index: DocumentIndex | None = None) -> list[Agency]:
    """Every agency the plan names, merged over aliases, with lead/partner roles
    (``index``: the document's lookups, when the caller has built them)."""
    passages = index.passages if index is not None else PassageIndex(doc.passages)
    province = doc_province(doc)
    scoped = scope_hits(all_mentions(doc.text, province), province)
    agencies = build_agencies(doc, scoped, passages)
    seen: set[tuple[str, str, int]] = set()  # (agency key, role, start) already given
    for key, role in assign_roles(doc, scoped, passages):
        ag = agencies.get(key)
        if ag is not None and (key, role["role"], role["start"]) not in seen:
            seen.add((key, role["role"], role["start"]))
            ag.roles.append(role)
    return sorted(agencies.values(), key=lambda a: a.mentions[0].start if a.mentions else 0)


def agency_names_in(text: str, province: str | None) -> list[str]:
    """Canonical names of the agencies a short text (a table cell) names, in order."""
    if len(text) <= _CACHED_CELL:
        return list(_cached_names_in(text, province))
    return list(_names_in(text, province))


_CACHED_CELL = 400  # cells up to this long are memoised (bounded memory)


@lru_cache(maxsize=4096)
def _cached_names_in(text: str, province: str | None) -> tuple[str, ...]:
    """Memoised: the cells of a table repeat the same few agencies row after row."""
    return _names_in(text, province)


def _names_in(text: str, province: str | None) -> tuple[str, ...]:
    names: list[str] = []
    for sh in scope_hits(all_mentions(text, province), province):
        if sh.name not in names:
            names.append(sh.name)
    return tuple(names)
