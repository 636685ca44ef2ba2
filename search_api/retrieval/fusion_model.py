"""The learned fusion: a logistic-regression ranker over candidate features, applied with numpy.

The model is a small JSON file (``data/fusion.json``) written offline by
``bench/train_fusion.py``: feature names, their standardisation (mean, scale), weights and
bias, the data it was trained on, and variants trained without one feature each (the
ablation the retrieval benchmark reports). Applying it is one matrix-vector product, so
search needs no learning library at run time.

The shipped model is trained on every question there is; so that benchmarks still score
each question with a model that never saw it, the file also holds *fold* models (each
trained without one fold of the questions, with its own ablation variants) and the keys
of the questions each fold held out (``question_key``: a digest of the question text).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from search_api.errors import InvalidIndexOptionError
from search_api.retrieval.features import FEATURES

MODEL_FILE = "fusion.json"


@dataclass(frozen=True, slots=True, eq=False)
class FusionModel:
    """score = ((x - mean) / scale) . weights + bias over the named features."""

    name: str
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    @classmethod
    def from_json(cls, name: str, data: dict[str, Any]) -> FusionModel:
        features = tuple(str(f) for f in data["features"])
        unknown = sorted(set(features) - set(FEATURES))
        if unknown:
            raise InvalidIndexOptionError(f"fusion model {name!r} uses unknown features {unknown}")
        arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "weights")]
        if any(a.shape != (len(features),) for a in arrays):
            raise InvalidIndexOptionError(f"fusion model {name!r}: one value per feature needed")
        return cls(name, features, arrays[0], arrays[1], arrays[2], float(data["bias"]))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "weights": [round(float(v), 6) for v in self.weights],
            "bias": round(self.bias, 6),
        }

    def columns(self) -> list[int]:
        return [FEATURES.index(f) for f in self.features]

    def score(self, features: np.ndarray) -> np.ndarray:
        """Scores of the candidates whose ``candidate_features`` are ``features``."""
        x = features[:, self.columns()]
        scale = np.where(self.scale > 1e-12, self.scale, 1.0)
        return np.asarray(((x - self.mean) / scale) @ self.weights + self.bias)


def question_key(text: str) -> str:
    """A question's key in a model file: a digest of its text (NFC, spaces collapsed)."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True, eq=False)
class FusionModels:
    """The shipped model and its ablation variants ("-heading_query": without that feature).

    ``folds``: the same, trained without one fold each, with the keys of the questions
    that fold held out (benchmarks only; search uses ``main``).
    """

    main: FusionModel
    variants: dict[str, FusionModel]
    trained_on: dict[str, Any]
    folds: tuple[tuple[frozenset[str], FusionModels], ...] = field(default=())

    def for_question(self, text: str) -> FusionModels:
        """The models that never saw the question ``text``: its fold's, else these."""
        key = question_key(text)
        return next((m for held, m in self.folds if key in held), self)

    def get(self, name: str = "") -> FusionModel:
        if not name or name == self.main.name:
            return self.main
        if name not in self.variants:
            raise InvalidIndexOptionError(
                f"unknown fusion model variant {name!r}: use one of {sorted(self.variants)}"
            )
        return self.variants[name]


def parse_models(data: dict[str, Any]) -> FusionModels:
    variants = {
        name: FusionModel.from_json(name, v) for name, v in data.get("variants", {}).items()
    }
    folds = tuple(
        (frozenset(str(k) for k in fold["held_out_keys"]), parse_models(fold))
        for fold in data.get("folds", [])
    )
    return FusionModels(
        FusionModel.from_json("all", data), variants, data.get("trained_on", {}), folds
    )


def load_models(path: Path) -> FusionModels:
    """A model file written by ``bench/train_fusion.py``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return parse_models(data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidIndexOptionError(f"{path}: not a readable fusion model ({exc})") from exc


@lru_cache(maxsize=1)
def shipped_models() -> FusionModels:
    """The model shipped with the package (``search_api/retrieval/data/fusion.json``)."""
    ref = resources.files("search_api.retrieval").joinpath("data", MODEL_FILE)
    return parse_models(json.loads(ref.read_text(encoding="utf-8")))
