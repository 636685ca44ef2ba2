"""The learned fusion: the shipped model file, applying a model, learned hybrid search."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import make_doc

from search_api.errors import InvalidIndexOptionError
from search_api.retrieval.features import FEATURES
from search_api.retrieval.fusion_model import FusionModel, load_models, shipped_models
from search_api.retrieval.hybrid import HybridOptions
from search_api.retrieval.index import SearchIndex

ARTICLES = [
    "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về nuôi ong và trách nhiệm của người nuôi.",
    "Điều 2. Khoảng cách đặt thùng ong\nThùng ong phải đặt cách nhà dân ít nhất năm mươi mét.",
    "Điều 3. Đăng ký đàn ong\nNgười nuôi ong đăng ký số đàn ong với Ủy ban nhân dân xã.",
]


def one_feature_model(feature: str, weight: float = 1.0) -> FusionModel:
    return FusionModel("", (feature,), np.zeros(1), np.ones(1), np.array([weight]), 0.0)


def test_the_shipped_model_names_its_features_and_training_data() -> None:
    models = shipped_models()
    assert set(models.main.features) <= set(FEATURES)
    data = models.trained_on["data"]
    assert data["questions"] == len(data["question_ids"]) > 0
    assert "second half" in data["split"]
    # One ablation variant per feature, each without exactly that feature.
    for name in models.main.features:
        assert name not in models.get(f"-{name}").features
    with pytest.raises(InvalidIndexOptionError, match="unknown fusion model variant"):
        models.get("-nothing")


def test_a_model_scores_standardised_features() -> None:
    model = FusionModel(
        "m",
        ("bm25_norm", "dense_norm"),
        np.array([0.5, 0.0]),
        np.array([0.5, 0.0]),  # a constant feature (scale 0) is left unscaled
        np.array([2.0, 1.0]),
        0.1,
    )
    x = np.zeros((2, len(FEATURES)))
    x[:, FEATURES.index("bm25_norm")] = [1.0, 0.0]
    x[:, FEATURES.index("dense_norm")] = [0.0, 1.0]
    assert model.score(x).tolist() == pytest.approx([2.1, -0.9])


def test_a_broken_model_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "fusion.json"
    bad.write_text(json.dumps({"features": ["no_such_feature"], "mean": [0], "scale": [1],
                               "weights": [1], "bias": 0}), encoding="utf-8")  # fmt: skip
    with pytest.raises(InvalidIndexOptionError, match="unknown features"):
        load_models(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(InvalidIndexOptionError, match="fusion.json"):
        load_models(bad)


@pytest.fixture(scope="module")
def law(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("learned"), fusion="learned")
    index.add_documents([make_doc("Luật Nuôi ong", ARTICLES, kind="legal", doc_type=None)])
    return index


def test_learned_fusion_ranks_by_the_model_and_keeps_provenance(law: SearchIndex) -> None:
    query = "khoảng cách đặt thùng ong"
    hits = law.search(query, k=3)
    assert hits[0].text == ARTICLES[1]  # the shipped model: text and heading both match
    # A model that only weighs heading match ranks the matching heading first too, and
    # every hit still carries its document, passage and span.
    law.hybrid = replace(law.hybrid, model=one_feature_model("heading_cover"))
    try:
        hits = law.search("đăng ký đàn ong", k=3)
    finally:
        law.hybrid = replace(law.hybrid, model=None)
    assert hits[0].text == ARTICLES[2]
    by_key = {(r["doc_id"], r["passage_id"]): r for r in law.records}
    for hit in hits:
        record = by_key[(hit.doc_id, hit.passage_id)]
        assert (hit.start, hit.end, hit.text, hit.article_id, hit.source) == (
            record["start"], record["end"], record["text"], record["article_id"],
            record["source"],
        )  # fmt: skip
        assert hit.dense_score is not None and hit.bm25_score is not None


def test_an_unknown_method_names_the_learned_one(law: SearchIndex) -> None:
    law.hybrid = HybridOptions(method="max")
    try:
        with pytest.raises(InvalidIndexOptionError, match="learned"):
            law.search("đàn ong", k=1)
    finally:
        law.hybrid = HybridOptions(method="learned")
