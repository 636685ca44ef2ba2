"""Score the extraction of plans against hand-checked gold files.

    python bench/score_extract.py --gold DIR [--plans DIR] [--json]

For each gold file (``doc_file``, ``document``, ``citations`` …) the plan text is read
through the library (``ingest.read.read_path`` + ``ingest.structure.document.build_document``,
then ``ingest.extract.extraction.extract``, exactly as in production). Printed: citation precision / recall / F1 by
number, doc_type / date / in_basis accuracy over matched citations, laws cited by name
resolved, document metadata accuracy per field, then every miss, and the agency /
project / target scores of ``bench/entity_scores.py``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import entity_scores  # noqa: E402
from ingest.extract.extraction import extract, extraction_to_json  # noqa: E402
from ingest.lang.agency_gazetteer import name_key  # noqa: E402
from ingest.lang.folding import fold_key  # noqa: E402
from ingest.lang.numbers import canonical_number, find_numbers  # noqa: E402
from ingest.read import read_path  # noqa: E402
from ingest.structure.document import build_document  # noqa: E402

META_FIELDS = ("doc_type", "number", "date", "issuer", "province", "period", "title", "signer")


def _norm(value: Any) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(value or ""))).strip().lower()


def _tokens(value: Any) -> set[str]:
    return set(re.findall(r"\w+", _norm(value)))


def _title_match(pred: Any, gold: Any) -> bool:
    g, p = _tokens(gold), _tokens(pred)
    if not g:
        return not p
    return len(g & p) / max(len(g), len(p)) >= 0.8


def predict(plan: Path) -> dict[str, Any]:
    """The library's extraction of one plan file, as the ``extraction_to_json`` shape."""
    return predict_with_text(plan)[0]


def predict_with_text(plan: Path) -> tuple[dict[str, Any], str]:
    """The extraction of one plan and the document text its mention offsets refer to."""
    doc = build_document(read_path(plan)[0])
    return extraction_to_json(extract(doc)), doc.text


_LAW_TYPES = ("Luật", "Bộ luật", "Pháp lệnh")
# "UBND tỉnh X" = "Ủy ban nhân dân tỉnh X" is done by name_key; these are not in it.
_ISSUER_EXTRA = ((re.compile(r"\btp\.?\s*"), "thành phố "),)


def issuer_key(name: Any) -> str:
    """The one comparison key of an issuer, for the document and for citations.

    Folded, abbreviations expanded ("UBND" / "Uỷ ban nhân dân" -> "ủy ban nhân dân",
    "Bộ TT&TT" -> "bộ thông tin và truyền thông", "TP." -> "thành phố"), punctuation
    dropped; the province qualifier is kept (the gold names "tỉnh X").
    """
    if not name:
        return ""
    key = name_key(str(name))
    for pattern, repl in _ISSUER_EXTRA:
        key = pattern.sub(repl, key)
    return re.sub(r"\s+", " ", key).strip()


def _law_name_key(title: Any) -> str:
    return re.sub(r"^(?:bo luat|luat|phap lenh)\s+", "", fold_key(str(title or "")))


def _law_name_match(pred_title: Any, gold_title: Any) -> bool:
    p, g = _law_name_key(pred_title), _law_name_key(gold_title)
    if not p or not g:
        return False
    return p == g or _title_match(p, g)


def _gold_key(c: dict[str, Any]) -> str | None:
    return canonical_number(c["number"]) if c.get("number") else None


def _is_skipped(c: dict[str, Any]) -> bool:
    return "BORDERLINE" in (c.get("notes") or "")


def cut_citations(gold: dict[str, Any], text: str) -> tuple[set[str], int]:
    """Numbers of the citations cut by the excerpt end (gold ``notes`` after "CUT:") and
    the offset in ``text`` where the first cut citation starts (``len(text) + 1`` if
    none): a prediction there is "not in gold", never a false positive."""
    notes = gold.get("notes") or ""
    at = notes.find("CUT:")
    if at < 0:
        return set(), len(text) + 1
    numbers: set[str] = set()
    start = len(text) + 1
    folded_text = fold_key(text)
    for quoted in re.findall(r'"([^"]+)"', notes[at + 4 :]):
        numbers.update(m.number for m in find_numbers(quoted))
        head = re.split(r"\.\.\.|…", quoted)[0].strip(" -")
        words = fold_key(head).split()[:8]
        if not words:
            continue
        # fold_key keeps one character per character except collapsed spaces: search the
        # words with flexible spacing in the folded text, then map by re-folding prefixes.
        m = re.search(r"\s+".join(re.escape(w) for w in words), folded_text)
        if m:
            start = min(start, _unfolded_offset(text, m.start()))
    return numbers, start


def _unfolded_offset(text: str, folded_at: int) -> int:
    """Offset in ``text`` of position ``folded_at`` of ``fold_key(text)``."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi) // 2
        if len(fold_key(text[:mid] + "x")) - 1 < folded_at:
            lo = mid + 1
        else:
            hi = mid
    return lo


def score_citations(
    pred: dict[str, Any], gold: dict[str, Any], text: str = ""
) -> tuple[dict[str, Any], list[str]]:
    """Counts (for micro-averaging over files) and the list of misses of one plan."""
    misses: list[str] = []
    gold_cits = [c for c in gold["citations"] if not _is_skipped(c)]
    cut_numbers, cut_start = cut_citations(gold, text)
    p_by = {c["number"]: c for c in pred["citations"] if c.get("number")}
    g_by = {k: c for c in gold_cits if (k := _gold_key(c))}
    tp = sorted(set(p_by) & set(g_by))
    # Laws cited by name: a predicted law-name citation matches a gold law by its name.
    gold_laws = [c for c in gold_cits if c.get("doc_type") in _LAW_TYPES]
    name_laws = [
        c
        for c in pred["citations"]
        if c.get("resolved_by") == "law-name"
        or (not c.get("number") and c.get("doc_type") in _LAW_TYPES)
    ]
    laws_found = laws_named = 0
    law_matched: set[int] = set()
    for g in gold_laws:
        key = _gold_key(g)
        if key and key in p_by:
            law_matched.add(id(p_by[key]))
            laws_named += 1
            same_date = _norm(p_by[key].get("date")) == _norm(g.get("date"))
            laws_found += same_date
            continue
        title = g.get("title") or g.get("surface")
        hits = [
            c
            for c in name_laws
            if id(c) not in law_matched and _law_name_match(c.get("title"), title)
        ]
        if not hits:
            misses.append(f"law not found: {g.get('surface')!r}")
            continue
        dated = [c for c in hits if _norm(c.get("date")) == _norm(g.get("date"))]
        law_matched.add(id((dated or hits)[0]))
        laws_named += 1
        laws_found += bool(dated)
        if not dated:
            misses.append(
                f"law wrong date: {g.get('surface')!r}: predicted {hits[0].get('date')!r}, gold {g.get('date')!r}"
            )
    for n in sorted(set(g_by) - set(p_by)):
        misses.append(f"missing   {n}  ({g_by[n].get('surface', '')})")
    spurious = cut = laws_extra = 0
    for n in sorted(set(p_by) - set(g_by)):
        c = p_by[n]
        if id(c) in law_matched:
            continue
        mention = c["mentions"][0]["text"] if c["mentions"] else ""
        first = min((m["start"] for m in c["mentions"]), default=0)
        if n in cut_numbers or (c["mentions"] and first >= cut_start):
            cut += 1
            misses.append(f"(not in gold: cut by the excerpt) {n}  ({mention})")
        elif c in name_laws:
            laws_extra += 1
            misses.append(f"law not in gold {n}  ({mention})")
        else:
            spurious += 1
            misses.append(f"spurious  {n}  ({mention})")
    ok = {"doc_type": 0, "date": 0, "in_basis": 0, "issuer": 0}
    for n in tp:
        p, g = p_by[n], g_by[n]
        for f in ok:
            if f == "in_basis":
                same = bool(p[f]) == bool(g[f])
            elif f == "issuer":
                same = issuer_key(p.get(f)) == issuer_key(g.get(f))
            else:
                same = _norm(p.get(f)) == _norm(g.get(f))
            ok[f] += same
            if not same:
                misses.append(f"wrong {f:9} {n}: predicted {p.get(f)!r}, gold {g.get(f)!r}")
    # The historical "laws resolved" count (by number, else an unresolved name).
    laws_total = laws_ok = 0
    for g in gold_cits:
        if g.get("doc_type") not in ("Luật", "Bộ luật"):
            continue
        laws_total += 1
        if g.get("number"):
            hit = _gold_key(g) in p_by
        else:
            name = fold_key(g.get("surface") or g.get("title") or "")
            hit = any(
                c.get("number") is None and c.get("title") and fold_key(c["title"]) in name
                for c in pred["citations"]
            )
        laws_ok += hit
    counts = {
        "tp": len(tp),
        "pred": len(tp) + spurious,
        "gold": len(g_by),
        **ok,
        "laws_ok": laws_ok,
        "laws": laws_total,
        "laws_found": laws_found,
        "laws_named": laws_named,
        "laws_gold": len(gold_laws),
        "laws_extra": laws_extra,
        "cut": cut,
    }
    unscored = [  # BORDERLINE items included: they are not scored either
        c.get("surface")
        for c in gold["citations"]
        if not c.get("number") and c.get("doc_type") not in _LAW_TYPES
    ]
    if unscored:
        misses.append(f"(not scored: cited without number, not laws: {unscored})")
    return counts, misses


def score_meta(
    pred: dict[str, Any], gold: dict[str, Any]
) -> tuple[dict[str, bool | None], list[str]]:
    """Per-field agreement of the document metadata (title by token overlap >= 0.8,
    issuer by ``issuer_key``). A field the gold leaves null (not in the text) is skipped
    (None) when the prediction is null too; a predicted value there is wrong. Fields the
    gold file does not have are skipped."""
    pm, gm = pred.get("document") or {}, gold.get("document") or {}
    out: dict[str, bool | None] = {}
    misses: list[str] = []
    for f in META_FIELDS:
        if f not in gm:
            out[f] = None
            continue
        if gm.get(f) is None and pm.get(f) is None:
            out[f] = None
            continue
        if f == "title":
            same = gm.get(f) is not None and _title_match(pm.get(f), gm.get(f))
        elif f == "issuer":
            same = issuer_key(pm.get(f)) == issuer_key(gm.get(f))
        else:
            same = _norm(pm.get(f)) == _norm(gm.get(f))
        out[f] = same
        if not same:
            misses.append(f"metadata {f}: predicted {pm.get(f)!r}, gold {gm.get(f)!r}")
    return out, misses


_CITATION_LINES = (
    "citation_precision",
    "citation_recall",
    "citation_f1",
    "doc_type_accuracy",
    "date_accuracy",
    "in_basis_accuracy",
    "laws_resolved",
)
_EXTRA_LINES = (
    "cited_issuer_accuracy",
    "laws_found",
    "laws_named_any_date",
    "laws_not_in_gold",
    "cut_not_in_gold",
)


def any_gold_field(files: list[dict[str, Any]], field: str) -> bool:
    """Whether some gold file has ``field`` in its document block."""
    return any(field in f["gold_fields"] for f in files)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, required=True, help="folder of gold *.json")
    ap.add_argument(
        "--plans", type=Path, default=ROOT / "corpus" / "plans", help="folder of plan files"
    )
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = ap.parse_args(argv)
    total = {
        "tp": 0,
        "pred": 0,
        "gold": 0,
        "doc_type": 0,
        "date": 0,
        "in_basis": 0,
        "laws_ok": 0,
        "laws": 0,
        "issuer": 0,
        "laws_found": 0,
        "laws_named": 0,
        "laws_gold": 0,
        "laws_extra": 0,
        "cut": 0,
    }
    meta_ok = dict.fromkeys(META_FIELDS, 0)
    meta_scored = dict.fromkeys(META_FIELDS, 0)
    files: list[dict[str, Any]] = []
    for gold_path in sorted(args.gold.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        plan = args.plans / gold["doc_file"]
        pred, text = predict_with_text(plan)
        counts, misses = score_citations(pred, gold, text)
        meta, meta_misses = score_meta(pred, gold)
        for k in total:
            total[k] += counts[k]
        for k, v in meta.items():
            if v is not None:
                meta_ok[k] += v
                meta_scored[k] += 1
        entry: dict[str, Any] = {
            "file": gold["doc_file"],
            "citations": counts,
            "metadata": meta,
            "misses": misses + meta_misses,
            "gold_fields": sorted(gold.get("document") or {}),
        }
        entry["entities"] = entity_scores.score_entities(pred, gold)
        files.append(entry)
        if not args.json:
            print(
                f"== {gold['doc_file']}: citations tp={counts['tp']} pred={counts['pred']} gold={counts['gold']}"
            )
            for m in misses + meta_misses:
                print("   " + m)
            print("   entities: " + ", ".join(f"{k}={v:.3f}" for k, v in entry["entities"].items()))
            entity_scores.print_entity_misses(pred, gold)
    p, r = _ratio(total["tp"], total["pred"]), _ratio(total["tp"], total["gold"])
    summary = {
        "citation_precision": p,
        "citation_recall": r,
        "citation_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "doc_type_accuracy": _ratio(total["doc_type"], total["tp"]),
        "date_accuracy": _ratio(total["date"], total["tp"]),
        "in_basis_accuracy": _ratio(total["in_basis"], total["tp"]),
        "laws_resolved": f"{total['laws_ok']}/{total['laws']}",
        "metadata_accuracy": {
            k: _ratio(v, meta_scored[k]) for k, v in meta_ok.items() if any_gold_field(files, k)
        },
        "cited_issuer_accuracy": _ratio(total["issuer"], total["tp"]),
        "laws_found": f"{total['laws_found']}/{total['laws_gold']}",
        "laws_named_any_date": f"{total['laws_named']}/{total['laws_gold']}",
        "laws_not_in_gold": total["laws_extra"],
        "cut_not_in_gold": total["cut"],
        "metadata_scored": {
            k: f"{v}/{meta_scored[k]}" for k, v in meta_ok.items() if any_gold_field(files, k)
        },
    }
    if args.json:
        print(json.dumps({"summary": summary, "files": files}, ensure_ascii=False, indent=1))
    else:
        print("== citations (micro over files)")
        for k in _CITATION_LINES:
            v = summary[k]
            print(f"   {k:20} {v if isinstance(v, str) else f'{v:.3f}'}")
        print("== document metadata accuracy")
        for k, v in summary["metadata_accuracy"].items():
            print(f"   {k:20} {v:.3f}")
        print("== citations, dev-real conventions (laws by name; cut citations not in gold)")
        for k in _EXTRA_LINES:
            v = summary[k]
            print(f"   {k:22} {v if isinstance(v, (str, int)) else f'{v:.3f}'}")
        print("== document metadata right/scored (gold null and predicted null: skipped)")
        for k, v in summary["metadata_scored"].items():
            print(f"   {k:20} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
