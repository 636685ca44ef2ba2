"""Measure question answering against gold QA pairs (question, answer, evidence).

    python bench/bench_qa.py --gold /path/to/gold --plans corpus/plans --home /tmp/qa_home

Plans are ingested into ``--home`` (unchanged files are skipped on reruns), then every
gold question is answered with ``search_api.qa.answer.answer`` and scored:

- ``evidence@5``: one of the first 5 evidence quotes contains the gold evidence
  (normalised: NFC, lower case, whitespace collapsed, outer punctuation stripped);
- ``evidence@5 (90% terms)``: one quote holds >= 90% of the gold evidence's syllables
  (evidence cut across two passages, or a table row rendered differently);
- ``highlight overlaps``: the first evidence's highlight and the gold evidence contain
  one another, or each holds >= 50% of the other's syllables;
- ``doc@5``: an evidence quote comes from the gold plan.

The gold files are only read; nothing from them is written into the project.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"\s+", " ", text).strip(" .;:,-\t\n")


def syllables(text: str) -> list[str]:
    return re.findall(r"\w+", norm(text))


def term_share(part: str, whole: str) -> float:
    """Share of ``part``'s syllables (as a multiset) found in ``whole``."""
    need = syllables(part)
    have: dict[str, int] = defaultdict(int)
    for s in syllables(whole):
        have[s] += 1
    got = 0
    for s in need:
        if have[s] > 0:
            have[s] -= 1
            got += 1
    return got / len(need) if need else 0.0


def overlaps(highlight: str, gold: str) -> bool:
    """Containment either way, or at least half of each side's syllables in the other."""
    nh, ng = norm(highlight), norm(gold)
    if not nh or not ng:
        return False
    if nh in ng or ng in nh:
        return True
    return term_share(highlight, gold) >= 0.5 and term_share(gold, highlight) >= 0.5


def score_one(ans: dict[str, Any], gold_evidence: str, gold_doc: str) -> dict[str, bool]:
    quotes = [e["quote"] for e in ans["evidence"][:5]]
    g = norm(gold_evidence)
    top = ans["evidence"][0] if ans["evidence"] else None
    highlight = ((top or {}).get("highlight") or {}).get("text") or (top or {}).get("quote", "")
    return {
        "evidence@5": any(g in norm(q) for q in quotes),
        "evidence@5 (90% terms)": any(term_share(gold_evidence, q) >= 0.9 for q in quotes),
        "highlight overlaps": overlaps(highlight, gold_evidence)
        or overlaps(ans["answer"], gold_evidence),
        "doc@5": any(e["doc_id"] == gold_doc for e in ans["evidence"][:5]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--gold", type=Path, required=True, help="folder of gold *.json files with a 'qa' list"
    )
    parser.add_argument("--plans", type=Path, required=True, help="folder of plan files to ingest")
    parser.add_argument(
        "--home", type=Path, required=True, help="cancu home to ingest into (reused)"
    )
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--show", action="store_true", help="print every question with its answer")
    args = parser.parse_args()

    from search_api.workspace import Workspace

    ws = Workspace(args.home)
    started = time.perf_counter()
    report = ws.ingest([args.plans])
    print(
        f"ingest: {len(report.documents)} documents, {len(report.errors)} errors, {time.perf_counter() - started:.1f}s"
    )

    totals: dict[str, int] = defaultdict(int)
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    n = 0
    seconds = 0.0
    for path in sorted(args.gold.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        gold_doc = Path(gold.get("doc_file", path.stem)).stem
        for qa in gold.get("qa", []):
            t0 = time.perf_counter()
            ans = ws.ask(qa["question"], k=args.k).to_json()
            seconds += time.perf_counter() - t0
            scores = score_one(ans, qa["evidence"], gold_doc)
            n += 1
            by_kind[qa.get("kind", "?")]["n"] += 1
            for name, ok in scores.items():
                totals[name] += ok
                by_kind[qa.get("kind", "?")][name] += ok
            if args.show:
                marks = " ".join(f"{k}={'Y' if v else '-'}" for k, v in scores.items())
                print(
                    f"\n[{qa.get('id')}] {ans['intent']['intent']}/{ans['kind']} {marks}\n Q: {qa['question']}\n A: {ans['answer'][:300]}\n G: {qa['evidence'][:300]}"
                )
    if not n:
        print("no gold questions found")
        return 1
    print(f"\n{n} questions, {seconds / n * 1000:.0f} ms per answer")
    for name, value in totals.items():
        print(f"  {name:26s} {value}/{n} = {value / n:.2f}")
    for kind, counts in sorted(by_kind.items()):
        cells = ", ".join(f"{k} {v}" for k, v in counts.items() if k != "n")
        print(f"  [{kind}] n={counts['n']}: {cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
