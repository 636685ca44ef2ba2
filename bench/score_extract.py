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
from ingest.lang.folding import fold_key  # noqa: E402
from ingest.lang.numbers import canonical_number  # noqa: E402
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
    doc = build_document(read_path(plan)[0])
    return extraction_to_json(extract(doc))


def _gold_key(c: dict[str, Any]) -> str | None:
    return canonical_number(c["number"]) if c.get("number") else None


def score_citations(pred: dict[str, Any], gold: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Counts (for micro-averaging over files) and the list of misses of one plan."""
    misses: list[str] = []
    p_by = {c["number"]: c for c in pred["citations"] if c.get("number")}
    g_by = {k: c for c in gold["citations"] if (k := _gold_key(c))}
    tp = sorted(set(p_by) & set(g_by))
    for n in sorted(set(g_by) - set(p_by)):
        misses.append(f"missing   {n}  ({g_by[n].get('surface', '')})")
    for n in sorted(set(p_by) - set(g_by)):
        m = p_by[n]["mentions"][0]["text"] if p_by[n]["mentions"] else ""
        misses.append(f"spurious  {n}  ({m})")
    ok = {"doc_type": 0, "date": 0, "in_basis": 0}
    for n in tp:
        p, g = p_by[n], g_by[n]
        for f in ok:
            same = (
                _norm(p.get(f)) == _norm(g.get(f)) if f != "in_basis" else bool(p[f]) == bool(g[f])
            )
            ok[f] += same
            if not same:
                misses.append(f"wrong {f:9} {n}: predicted {p.get(f)!r}, gold {g.get(f)!r}")
    laws_total = laws_ok = 0
    for g in gold["citations"]:
        if g.get("doc_type") not in ("Luật", "Bộ luật"):
            continue
        if g.get("number"):
            laws_total += 1
            hit = _gold_key(g) in p_by
        else:
            laws_total += 1
            name = fold_key(g.get("surface") or g.get("title") or "")
            hit = any(
                c.get("number") is None and c.get("title") and fold_key(c["title"]) in name
                for c in pred["citations"]
            )
        laws_ok += hit
        if not hit:
            misses.append(f"law not resolved: {g.get('surface')} -> {g.get('number')}")
    counts = {
        "tp": len(tp),
        "pred": len(p_by),
        "gold": len(g_by),
        **ok,
        "laws_ok": laws_ok,
        "laws": laws_total,
    }
    unscored = [
        c.get("surface")
        for c in gold["citations"]
        if not c.get("number") and c.get("doc_type") not in ("Luật", "Bộ luật")
    ]
    if unscored:
        misses.append(f"(not scored: cited without number, not laws: {unscored})")
    return counts, misses


def score_meta(pred: dict[str, Any], gold: dict[str, Any]) -> tuple[dict[str, bool], list[str]]:
    """Per-field agreement of the document metadata (title by token overlap >= 0.8)."""
    pm, gm = pred.get("document") or {}, gold.get("document") or {}
    out: dict[str, bool] = {}
    misses: list[str] = []
    for f in META_FIELDS:
        same = (
            _title_match(pm.get(f), gm.get(f))
            if f == "title"
            else _norm(pm.get(f)) == _norm(gm.get(f))
        )
        out[f] = same
        if not same:
            misses.append(f"metadata {f}: predicted {pm.get(f)!r}, gold {gm.get(f)!r}")
    return out, misses


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
    }
    meta_ok = dict.fromkeys(META_FIELDS, 0)
    files: list[dict[str, Any]] = []
    for gold_path in sorted(args.gold.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        plan = args.plans / gold["doc_file"]
        pred = predict(plan)
        counts, misses = score_citations(pred, gold)
        meta, meta_misses = score_meta(pred, gold)
        for k in total:
            total[k] += counts[k]
        for k, v in meta.items():
            meta_ok[k] += v
        entry: dict[str, Any] = {
            "file": gold["doc_file"],
            "citations": counts,
            "metadata": meta,
            "misses": misses + meta_misses,
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
        "metadata_accuracy": {k: _ratio(v, len(files)) for k, v in meta_ok.items()},
    }
    if args.json:
        print(json.dumps({"summary": summary, "files": files}, ensure_ascii=False, indent=1))
    else:
        print("== citations (micro over files)")
        for k, v in summary.items():
            if k != "metadata_accuracy":
                print(f"   {k:20} {v if isinstance(v, str) else f'{v:.3f}'}")
        print("== document metadata accuracy")
        for k, v in summary["metadata_accuracy"].items():
            print(f"   {k:20} {v:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
