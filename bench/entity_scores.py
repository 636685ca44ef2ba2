"""Score extracted agencies, projects and targets against a hand-checked gold file.

What a fair reader expects, and so what is scored:
- Agencies match after alias merging: a predicted agency matches a gold one when any of
  its names/aliases equals any gold name/alias once folded, abbreviations expanded
  ("UBND" = "Ủy ban nhân dân") and the province qualifier dropped ("Sở Thông tin và
  Truyền thông tỉnh Bắc Giang" = "Sở Thông tin và Truyền thông"). Gold entries for
  plural groups ("Các sở, ban, ngành", "UBND cấp huyện") name no single body: they are
  optional, neither missed when not predicted nor false when predicted.
- Projects: among gold projects with a budget, the share found (token overlap of the
  names >= 0.6) and, of those found, the share whose budget is within 1%.
- Targets: gold found when a predicted target has the same (first) number and a
  fuzzy-matching indicator (token overlap >= 0.3 with the gold indicator or with the gold
  surface quote, since some gold indicators are written in English); precision over
  predicted targets the same way.

Run: ``python -m bench.entity_scores [--plural-optional] PLAN.txt GOLD.json [...]``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from ingest.lang.agency_gazetteer import fold, name_key

_PLURAL = re.compile(
    r"^(?:các|những|\d+)\s|cấp (?:huyện|xã)|\bcác (?:huyện|sở|bộ|cơ quan|doanh nghiệp|ban)|^(?:quân đội|công an|cơ yếu)$"
)


def _keys(names: list[str], province: str | None) -> set[str]:
    return {name_key(n, province) for n in names if n}


def _is_plural(entry: dict[str, Any]) -> bool:
    return bool(_PLURAL.search(fold(entry["name"]).strip()))


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold(text)))


def _overlap(a: str, b: str) -> float:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


def _numbers(value: Any) -> list[float]:
    if isinstance(value, int | float):
        return [float(value)]
    out = []
    for m in re.finditer(r"\d+(?:[.,]\d+)?", str(value or "")):
        s = m.group(0)
        s = s.replace(".", "") if re.fullmatch(r"\d{1,3}\.\d{3}", s) else s.replace(",", ".")
        try:
            out.append(float(s))
        except ValueError:
            pass
    return out


def _prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def match_agencies(
    pred: dict, gold: dict, plural_optional: bool = False
) -> tuple[list[tuple[dict, dict | None]], list[dict]]:
    """(pred agency, matched gold or None) pairs, and the required gold agencies missed."""
    province = (gold.get("document") or {}).get("province")
    gold_keys = [
        (g, _keys([g["name"], *g.get("aliases", [])], province)) for g in gold.get("agencies", [])
    ]
    pairs: list[tuple[dict, dict | None]] = []
    found: set[int] = set()
    for a in pred.get("agencies", []):
        keys = _keys([a["name"], *a.get("aliases", [])], province)
        hit = next((i for i, (_, gk) in enumerate(gold_keys) if keys & gk), None)
        pairs.append((a, gold_keys[hit][0] if hit is not None else None))
        if hit is not None:
            found.add(hit)
    missed = [
        g
        for i, (g, _) in enumerate(gold_keys)
        if i not in found and not (plural_optional and _is_plural(g))
    ]
    return pairs, missed


def _project_match(gp: dict, preds: list[dict]) -> dict | None:
    best, best_s = None, 0.0
    for p in preds:
        s = _overlap(gp["name"], p["name"])
        if s > best_s:
            best, best_s = p, s
    return best if best_s >= 0.6 else None


def _target_match(t: dict, others: list[dict]) -> dict | None:
    values = _numbers(t.get("value"))
    for o in others:
        ov = _numbers(o.get("value"))
        if not (values and ov and values[0] == ov[0]):
            continue
        texts_t = [t.get("indicator") or "", t.get("surface") or ""]
        texts_o = [o.get("indicator") or "", o.get("surface") or ""]
        if any(_overlap(a, b) >= 0.3 for a in texts_t if a for b in texts_o if b):
            return o
    return None


def score_entities(pred: dict, gold: dict, plural_optional: bool = False) -> dict[str, float]:
    """Agency P/R/F1, budgeted project rows found and budgets right, target P/R."""
    pairs, missed = match_agencies(pred, gold, plural_optional)
    counted = [
        (a, g) for a, g in pairs if not (plural_optional and g is not None and _is_plural(g))
    ]
    tp_p = sum(1 for _, g in counted if g is not None)
    n_gold = sum(1 for g in gold.get("agencies", []) if not (plural_optional and _is_plural(g)))
    matched_gold = {id(g) for _, g in counted if g is not None}
    ap, ar, af = _prf(tp_p, len(counted), len(matched_gold), n_gold)

    budgeted = [g for g in gold.get("projects", []) if g.get("budget_vnd_million") is not None]
    preds = pred.get("projects", [])
    found = [(g, _project_match(g, preds)) for g in budgeted]
    hits = [(g, p) for g, p in found if p is not None]
    right = sum(
        1
        for g, p in hits
        if p.get("budget_vnd_million") is not None
        and abs(p["budget_vnd_million"] - g["budget_vnd_million"])
        <= 0.01 * abs(g["budget_vnd_million"])
    )

    gold_t, pred_t = gold.get("targets", []), pred.get("targets", [])
    t_rec = sum(1 for t in gold_t if _target_match(t, pred_t)) / len(gold_t) if gold_t else 0.0
    t_prec = sum(1 for t in pred_t if _target_match(t, gold_t)) / len(pred_t) if pred_t else 0.0
    return {
        "agency_precision": ap,
        "agency_recall": ar,
        "agency_f1": af,
        "budget_rows": float(len(budgeted)),
        "budget_rows_found": len(hits) / len(budgeted) if budgeted else 1.0,
        "budget_right": right / len(hits) if hits else (1.0 if not budgeted else 0.0),
        "target_precision": t_prec,
        "target_recall": t_rec,
    }


def print_entity_misses(pred: dict, gold: dict, plural_optional: bool = False) -> None:
    """List agency false positives/misses, budgeted rows missed or wrong, targets missed."""
    pairs, missed = match_agencies(pred, gold, plural_optional)
    for a, g in pairs:
        if g is None:
            print(f"  agency FP: {a['name']} {a.get('aliases', [])}")
    for g in missed:
        print(f"  agency FN: {g['name']} {g.get('aliases', [])}")
    preds = pred.get("projects", [])
    for g in gold.get("projects", []):
        if g.get("budget_vnd_million") is None:
            continue
        p = _project_match(g, preds)
        if p is None:
            print(f"  project FN: {g['name']} ({g['budget_vnd_million']})")
        elif p.get("budget_vnd_million") is None or abs(
            p["budget_vnd_million"] - g["budget_vnd_million"]
        ) > 0.01 * abs(g["budget_vnd_million"]):
            print(
                f"  budget wrong: {g['name'][:60]} gold={g['budget_vnd_million']} pred={p.get('budget_vnd_million')}"
            )
    for t in gold.get("targets", []):
        if _target_match(t, pred.get("targets", [])) is None:
            print(f"  target FN: {t['indicator'][:70]} = {t['value']}")
    for t in pred.get("targets", []):
        if _target_match(t, gold.get("targets", [])) is None:
            print(
                f"  target FP: {t['indicator'][:70]} = {t['value']} {t.get('unit')} [{t.get('kind')} {t.get('year_or_period')}]"
            )


def load_document(path: Path):
    """A plan as a Document through the real ingest path (``build_document`` when the
    document stage exists, else the stage functions one by one)."""
    from ingest.model import Document

    try:
        from ingest.read import read_path
        from ingest.structure.document import build_document

        return build_document(read_path(path)[0])
    except ImportError:
        pass
    from ingest.structure.header import parse_header
    from ingest.structure.normalize import normalize
    from ingest.structure.passages import make_passages
    from ingest.structure.sections import parse_sections
    from ingest.structure.tables import parse_tables

    text = normalize(path.read_text(encoding="utf-8")).text
    meta, plan = parse_header(text)
    sections = parse_sections(text)
    doc = Document(
        id=path.stem, source=str(path), text=text, meta=meta, attached_plan=plan, sections=sections
    )
    doc.tables = parse_tables(text, sections)
    doc.passages = make_passages(doc)
    return doc


def predict(path: Path) -> dict:
    """The ``cancu extract --json`` entity blocks for one plan."""
    from ingest.extract.agencies import extract_agencies
    from ingest.extract.projects import extract_projects
    from ingest.extract.targets import extract_targets

    doc = load_document(path)
    agencies = extract_agencies(doc)
    projects, _ = extract_projects(doc, agencies)
    return {
        "agencies": [a.to_json() for a in agencies],
        "projects": [p.to_json() for p in projects],
        "targets": [t.to_json() for t in extract_targets(doc)],
    }


def main(argv: list[str]) -> None:
    quiet = "-q" in argv
    plural_optional = "--plural-optional" in argv
    args = [a for a in argv if a not in {"-q", "--plural-optional"}]
    for plan, gold_path in zip(args[::2], args[1::2], strict=True):
        pred = predict(Path(plan))
        gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
        scores = score_entities(pred, gold, plural_optional)
        print(Path(plan).name, " ".join(f"{k}={v:.2f}" for k, v in scores.items()))
        if not quiet:
            print_entity_misses(pred, gold, plural_optional)


if __name__ == "__main__":
    main(sys.argv[1:])
