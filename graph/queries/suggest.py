"""Find anything by name as the user types: legal documents and plans by number (in any
form ``resolve_number`` reads: slug, short form, damaged number) or title, agencies by
name or alias, provinces by name.

Why every name read and matching in Python: names are compared case- and
diacritic-insensitive ("so tttt" finds "Sở TT&TT"), which SPARQL cannot do; a few queries
bring every name (a few thousand rows for thousands of plans) and the typed text is never
put into a query.

Why a cache: reading the names takes tens of milliseconds on a corpus of 170 documents
(a second at ten times that) and the box asks on every pause in typing. The names are
kept per store while a digest of its documents' content hashes (one small query) is
unchanged, and for at most ``NAMES_TTL_S`` seconds, so that graphs that are no
document's (a legal-status table) show within that time.
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any

from graph.queries.terms import values_block
from graph.store import GraphStore
from ingest.lang.folding import fold_key
from ingest.lang.numbers import resolve_typed_number

__all__ = ["suggest"]

# Shorter typed text matches too much to help.
MIN_TYPED = 2

# The named things first, then their names per kind bound with VALUES: one query joining
# each thing to all its names (OPTIONALs) multiplied a cited document's titles by its
# numbers and ids, once per graph stating them, past the 30 s time limit at ten times
# the shipped corpus.
_NAMED = """
SELECT DISTINCT ?x ?kind WHERE {
  { ?x a eli:LegalResource . BIND("legal" AS ?kind) }
  UNION { ?x a org:Organization . BIND("agency" AS ?kind) }
  UNION { ?x a schema:AdministrativeArea . BIND("province" AS ?kind) }
}"""
# Agencies and provinces are named by their label: those without one are left out.
_LABEL_REQUIRED = {"agency", "province"}
# kind -> (row key, property path); ``aliases`` keeps every value, other keys the first.
_NAME_FIELDS = {
    "legal": (
        ("number", "eli:id_local"),
        ("label", "eli:title"),
        ("docid", "cancu:docId"),
        ("province", "cancu:province/rdfs:label"),
    ),
    "agency": (
        ("label", "skos:prefLabel"),
        ("aliases", "skos:altLabel"),
        ("province", "cancu:province/rdfs:label"),
    ),
    "province": (("label", "rdfs:label"),),
}
_NODES_PER_QUERY = 512

# One row however many documents: a digest of every document graph's content hash (the
# list of them took 70 ms per keystroke at ten times the shipped corpus, this 8 ms).
_DOCUMENTS_DIGEST = """
SELECT (COUNT(?g) AS ?n) (MD5(GROUP_CONCAT(CONCAT(STR(?g), " ", STR(?h)); SEPARATOR="|")) AS ?md5)
WHERE { GRAPH ?g { ?g cancu:contentHash ?h } }"""

NAMES_TTL_S = 10.0

# store -> (documents digest, time read, name rows with their folded names)
_names_cache: weakref.WeakKeyDictionary[
    GraphStore, tuple[str, float, list[tuple[dict[str, Any], list[str]]]]
] = weakref.WeakKeyDictionary()
_names_lock = threading.Lock()


def _name_rows(store: GraphStore) -> list[dict[str, Any]]:
    """One row per named thing and kind, in URI order: ``x``, ``kind``, ``label``,
    ``number``, ``docid``, ``province`` (each the first value the store lists, as the
    SAMPLE of one query did) and ``aliases`` (all)."""
    nodes: dict[str, list[str]] = {kind: [] for kind in _NAME_FIELDS}
    for r in store.select(_NAMED):
        nodes[str(r["kind"])].append(str(r["x"]))
    rows: list[dict[str, Any]] = []
    for kind, fields in _NAME_FIELDS.items():
        branches = " UNION ".join(f'{{ ?x {path} ?v BIND("{key}" AS ?k) }}' for key, path in fields)
        ordered = sorted(nodes[kind])
        found: dict[str, dict[str, Any]] = {
            x: {"x": x, "kind": kind, "aliases": []} for x in ordered
        }
        for at in range(0, len(ordered), _NODES_PER_QUERY):
            batch = values_block("x", ordered[at : at + _NODES_PER_QUERY])
            for r in store.select(f"SELECT DISTINCT ?x ?k ?v WHERE {{ {batch} {branches} }}"):
                row = found[r["x"]]
                if r["k"] == "aliases":
                    row["aliases"].append(str(r["v"]))
                else:
                    row.setdefault(r["k"], r["v"])
        rows.extend(r for r in found.values() if "label" in r or kind not in _LABEL_REQUIRED)
    return rows


def _names(store: GraphStore) -> list[tuple[dict[str, Any], list[str]]]:
    """Every name row with its folded names (number, label, aliases), cached while the
    store's documents are unchanged and for at most ``NAMES_TTL_S`` seconds."""
    digest = "".join(f"{r.get('n')}:{r.get('md5')}" for r in store.select(_DOCUMENTS_DIGEST))
    now = time.monotonic()
    with _names_lock:
        cached = _names_cache.get(store)
    if cached is not None and cached[0] == digest and now - cached[1] < NAMES_TTL_S:
        return cached[2]
    rows = []
    for r in _name_rows(store):
        # Aliases as a "|"-joined list used to read them: the same names, split alike.
        r["aliases"] = [a for a in "|".join(r["aliases"]).split("|") if a]
        names = [str(n) for n in (r.get("number"), r.get("label"), *r["aliases"]) if n]
        rows.append((r, [fold_key(n) for n in names]))
    with _names_lock:
        _names_cache[store] = (digest, now, rows)
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
    ``province``. Numbers ``resolve_number`` reads come first; things of one kind and name
    (an agency of each province) in URI order."""
    key = fold_key(typed)
    if len(key) < MIN_TYPED:
        return []
    words = key.split()
    rows = _names(store)
    resolved = resolve_typed_number(
        typed, sorted({str(r["number"]) for r, _ in rows if r.get("number")})
    )
    number_rank = {n: i for i, n in enumerate(resolved)}
    ranked: list[tuple[tuple[int, int, int, str, str], dict[str, Any]]] = []
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
        ranked.append(((rank, _KIND_ORDER.get(kind, 9), len(label), label, item["uri"]), item))
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
