"""Find anything by name as the user types: legal documents and plans by number (in any
form ``resolve_number`` reads: slug, short form, damaged number) or title, agencies by
name or alias, provinces by name.

Why one query and matching in Python: names are compared case- and diacritic-insensitive
("so tttt" finds "Sở TT&TT"), which SPARQL cannot do; one query brings every name (a few
thousand rows for thousands of plans) and the typed text is never put into a query.

Why a cache: that query takes a few hundred milliseconds on a corpus of 170 documents and
the box asks on every pause in typing. The names are kept per store while its documents'
content hashes (a 2 ms query) are unchanged, and for at most ``NAMES_TTL_S`` seconds, so
that graphs that are no document's (a legal-status table) show within that time.
"""

from __future__ import annotations

import threading
import time
import weakref
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

_DOCUMENT_HASHES = "SELECT ?g ?h WHERE { GRAPH ?g { ?g cancu:contentHash ?h } } ORDER BY ?g"

NAMES_TTL_S = 10.0

# store -> (document hashes, time read, name rows with their folded names)
_names_cache: weakref.WeakKeyDictionary[
    GraphStore, tuple[tuple[tuple[str, str], ...], float, list[tuple[dict[str, Any], list[str]]]]
] = weakref.WeakKeyDictionary()
_names_lock = threading.Lock()


def _names(store: GraphStore) -> list[tuple[dict[str, Any], list[str]]]:
    """Every name row with its folded names (number, label, aliases), cached while the
    store's documents are unchanged and for at most ``NAMES_TTL_S`` seconds."""
    hashes = tuple((str(r["g"]), str(r["h"])) for r in store.select(_DOCUMENT_HASHES))
    now = time.monotonic()
    with _names_lock:
        cached = _names_cache.get(store)
    if cached is not None and cached[0] == hashes and now - cached[1] < NAMES_TTL_S:
        return cached[2]
    rows = []
    for r in store.select(_NAMES):
        aliases = [a for a in str(r.get("alts") or "").split("|") if a]
        names = [str(n) for n in (r.get("number"), r.get("label"), *aliases) if n]
        rows.append(({**r, "aliases": aliases}, [fold_key(n) for n in names]))
    with _names_lock:
        _names_cache[store] = (hashes, now, rows)
    return rows


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
    rows = _names(store)
    resolved = resolve_typed_number(
        typed, sorted({str(r["number"]) for r, _ in rows if r.get("number")})
    )
    number_rank = {n: i for i, n in enumerate(resolved)}
    ranked: list[tuple[tuple[int, int, int, str], dict[str, Any]]] = []
    for r, folded in rows:
        number = r.get("number")
        aliases = r["aliases"]
        if number in number_rank:
            rank = -len(number_rank) + number_rank[number]  # resolved numbers first, in order
        else:
            found = [m for m in (_match_rank(key, words, n) for n in folded) if m is not None]
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
