"""Fold models in a fusion model file: each benchmark question scored by a model that
never saw it (``FusionModels.for_question``)."""

from __future__ import annotations

from typing import Any

from search_api.retrieval.fusion_model import parse_models, question_key, shipped_models


def model_json(weight: float) -> dict[str, Any]:
    return {"features": ["bm25_norm"], "mean": [0.0], "scale": [1.0], "weights": [weight],
            "bias": 0.0}  # fmt: skip


def test_a_question_gets_the_model_of_the_fold_that_held_it_out() -> None:
    data = model_json(1.0) | {
        "folds": [
            model_json(2.0) | {"held_out_keys": [question_key("Ong đặt ở đâu?")]},
            model_json(3.0) | {"held_out_keys": [question_key("Nấm trồng ở đâu?")]},
        ]
    }
    models = parse_models(data)
    assert models.for_question("Ong đặt  ở đâu?").main.weights.tolist() == [2.0]  # spaces
    assert models.for_question("Nấm trồng ở đâu?").main.weights.tolist() == [3.0]
    # A question no fold held out (a new one) gets the model trained on everything.
    assert models.for_question("Cá nuôi ở đâu?") is models


def test_the_shipped_file_records_its_protocols_and_holds_every_question_out_once() -> None:
    models = shipped_models()
    record = models.trained_on
    assert set(record["held_out_mrr10"]) == {"halves", "types"}
    assert isinstance(record["beats_convex"], bool)
    held = [keys for keys, _ in models.folds]
    assert len(held) == 2 and not held[0] & held[1]
    # A question asked over the plans with distractors ("/wide") is the same text.
    texts = [q for q in record["data"]["question_ids"] if not q.endswith("/wide")]
    assert len(held[0] | held[1]) == len(texts)
    for _, fold in models.folds:
        assert set(fold.variants) == set(models.variants)
