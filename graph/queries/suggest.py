"""Find anything by name as the user types: legal documents and plans by number (in any
form ``resolve_number`` reads: slug, short form, damaged number) or title, agencies by
name or alias, provinces by name.

Why one query and matching in Python: names are compared case- and diacritic-insensitive
("so tttt" finds "Sở TT&TT"), which SPARQL cannot do; one query brings every name (a few
thousand rows for thousands of plans) and the typed text is never put into a query.
"""

from __future__ import annotations

from typing import Any

from graph.store import GraphStore
from ingest.lang.folding import fold_key
from ingest.lang.numbers import resolve_typed_number

__all__ = ["suggest"]

# Shorter typed text matches too much to help.
MIN_TYPED = 2

_NAMES = """
SELECT ?x ?kind (SAMPLE(?name) AS ?label) (SAMPLE(?num) AS ?number) (SAMPLE(?doc) AS ?docid)
       (SAMPLE(?provName) AS ?province) (GROUP_CONCAT(DISTINCT ?alt; SEPARATOR="|") AS ?alts) WHERE {
  { ?x a eli:LegalResource . BIND("legal" AS ?kind)
    OPTIONAL { ?x eli:id_local ?num } OPTIONAL { ?x eli:title ?name } OPTIONAL { ?x cancu:docId ?doc }
    OPTIONAL { ?x cancu:province/rdfs:label ?provName } }
  UNION
  { ?x a org:Organization ; skos:prefLabel ?name . BIND("agency" AS ?kind)
    OPTIONAL { ?x skos:altLabel ?alt } OPTIONAL { ?x cancu:province/rdfs:label ?provName } }
  UNION
  { ?x a schema:AdministrativeArea ; rdfs:label ?name . BIND("province" AS ?kind) }
} GROUP BY ?x ?kind"""

_KIND_ORDER = {"document": 0, "legal": 1, "agency": 2, "province": 3}


def _match_rank(typed: str, words: list[str], text: str) -> int | None:
    """How well folded ``text`` matches: 0 equal, 1 starts with it, 2 every typed word
    starts a word, 3 every typed word inside; None when a word is missing."""
    if text == typed:
        return 0
    if text.startswith(typed):
        return 1
    padded = " " + text
    if all(" " + w in padded for w in words):
        return 2
    if all(w in text for w in words):
        return 3
    return None


def suggest(store: GraphStore, typed: str, limit: int = 10) -> list[dict[str, Any]]:
    """Up to ``limit`` things named by ``typed``, best first: ``{kind, label, detail, uri,
    number, doc_id}`` with kind ``document`` (an ingested one), ``legal``, ``agency`` or
    ``province``. Numbers ``resolve_number`` reads come first."""
    key = fold_key(typed)
    if len(key) < MIN_TYPED:
        return []
    words = key.split()
    rows = store.select(_NAMES)
    resolved = resolve_typed_number(
        typed, sorted({str(r["number"]) for r in rows if r.get("number")})
    )
    number_rank = {n: i for i, n in enumerate(resolved)}
    ranked: list[tuple[tuple[int, int, int, str], dict[str, Any]]] = []
    for r in rows:
        number = r.get("number")
        aliases = [a for a in (r.get("alts") or "").split("|") if a]
        names = [str(n) for n in (number, r.get("label"), *aliases) if n]
        if number in number_rank:
            rank = -len(number_rank) + number_rank[number]  # resolved numbers first, in order
        else:
            found = [
                m for m in (_match_rank(key, words, fold_key(n)) for n in names) if m is not None
            ]
            if not found:
                continue
            rank = min(found)
        kind = "document" if r.get("docid") else str(r["kind"])
        label = str(number or r.get("label") or r["x"])
        detail = r.get("label") if number else None
        if kind == "agency":
            detail = ", ".join(filter(None, [r.get("province"), "; ".join(aliases)])) or None
        elif kind == "document":
            detail = ", ".join(
                filter(None, [r.get("province"), r.get("label") if number else None])
            )
        item = {
            "kind": kind,
            "label": label,
            "detail": detail or None,
            "uri": r["x"],
            "number": number,
            "doc_id": r.get("docid"),
        }
        ranked.append(((rank, _KIND_ORDER.get(kind, 9), len(label), label), item))
    ranked.sort(key=lambda pair: pair[0])
    out: list[dict[str, Any]] = []
    seen_docs: set[str] = set()
    for _, item in ranked:
        # A document has more than one node (the plan and its text): one suggestion.
        if item["doc_id"] in seen_docs:
            continue
        if item["doc_id"]:
            seen_docs.add(item["doc_id"])
        out.append(item)
        if len(out) == limit:
            break
    return out
