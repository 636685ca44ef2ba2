"""How cancu's search index scales: 10k, 100k and 1M passages, in one table.

    python bench/bench_scale.py --alqac DIR [--home bench/out] [--sizes 10000,100000,1000000]
        [--queries 100] [--warm] [--exact-bm25]

The corpus is the ALQAC law index in ``--home`` (``<home>/alqac``, built by
``bench_retrieval.py``) replicated, as ``bench_speed.py`` does: each copy of a passage is
its own document's passage, gets one distinguishing term (``bản<copy>``), and its vector
is the real vector plus small Gaussian noise, re-normalised (embedding a million passages
would take days on two cores; the index's costs do not depend on the vectors' values).
Each size runs in its own process, so peak memory (``ru_maxrss``) is that size's.

Per size:
- build: the index built in memory from the replicated records, terms and vectors
  (postings, the approximate dense index when the size calls for one), then the full save;
  ``today's full save``: the bytes the format-1 index (one gzipped JSON of all records,
  one of all terms, the vectors twice: ``.npy`` and a flat FAISS file) wrote on every save;
- add one plan: a plan of ``corpus/plans`` (through ingest; its vectors come from the
  shipped seeds, so nothing is embedded) added under a new id and saved, ``--adds`` times:
  median seconds and bytes written, and the largest (a commit that merges segments);
- search p50/p95 per mode, in process, the query vector given (ALQAC questions, embedded
  once before timing; the modes in the order hybrid, dense, bm25, so hybrid pays for the
  first use of each question's terms, kept per index state afterwards; ``--warm`` times
  a second pass too: a server's steady state);
- recall@10 of the dense search the index runs (approximate past its threshold) against
  exact search over every row; of the BM25 top 10 (impact-ordered candidates past
  ``impact.IMPACT_MIN_ROWS``) against scoring every row; of the hybrid top 10 against
  hybrid over both modes' exact scores of every row (hits compared by passage).
  ``--exact-bm25`` scores every row at every size (the index before impact ordering).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import alqac_questions, plan_documents  # noqa: E402
from ingest.model import Document  # noqa: E402
from search_api.retrieval import impact  # noqa: E402
from search_api.retrieval.dense import DenseIndex, VectorPart, ann_kind, build_ann  # noqa: E402
from search_api.retrieval.hits import SearchHit, collapse_hits  # noqa: E402
from search_api.retrieval.hybrid import DEPTH, candidates_from_scores, rank_hybrid  # noqa: E402
from search_api.retrieval.index import MODES, SearchIndex  # noqa: E402
from search_api.retrieval.lexical import LexicalIndex, TermPart  # noqa: E402
from search_api.retrieval.snapshot import IndexSnapshot  # noqa: E402
from search_api.retrieval.tokenize import clean_query, terms  # noqa: E402
from search_api.retrieval.topk import best_rows  # noqa: E402

Base = tuple[list[dict[str, Any]], TermPart, np.ndarray]


def load_base(home: Path) -> Base:
    """(records, terms, vectors) of the ALQAC index in ``home`` (opened, never written)."""
    index = SearchIndex(home / "alqac", cache_path=home / "embeddings.sqlite")
    records = list(index.records)
    lexical = index.lexical
    part = TermPart.from_terms([r["key"] for r in records], lexical.terms)
    return records, part, index.dense.vectors


def replicated_terms(base: TermPart, n: int) -> TermPart:
    """``base`` repeated until ``n`` rows (copy c's rows follow copy c-1's), plus one term
    per copy, built as postings directly (never as per-passage term lists)."""
    size = len(base)
    copies = math.ceil(n / size)
    offsets = (np.arange(copies, dtype=np.int64) * size)[:, None]
    rows, tfs, counts = [], [], []
    for t in range(len(base.vocab)):
        a, b = int(base.indptr[t]), int(base.indptr[t + 1])
        block = (base.rows[a:b][None, :] + offsets).ravel()
        tf = np.tile(base.tf[a:b], copies)
        keep = block < n
        rows.append(block[keep])
        tfs.append(tf[keep])
        counts.append(int(keep.sum()))
    vocab = list(base.vocab)
    for c in range(copies):
        block = np.arange(c * size, min((c + 1) * size, n), dtype=np.int64)
        rows.append(block)
        tfs.append(np.ones(len(block), dtype=np.float32))
        counts.append(len(block))
        vocab.append(f"bản{c}")
    indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    keys = [f"{k}#{c}" for c in range(copies) for k in base.keys][:n]
    return TermPart(keys, vocab, indptr, np.concatenate(rows).astype(np.int32), np.concatenate(tfs))


def replicated_vectors(base: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, len(base)):
        block = base[: min(len(base), n - start)]
        if start:
            noise = rng.standard_normal(block.shape, dtype=np.float32) * np.float32(0.02)
            block = block + noise
            block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + len(block)] = block
    return out


def replicated_records(
    records: list[dict[str, Any]], n: int
) -> tuple[tuple[dict[str, Any], ...], dict[str, dict[str, Any]]]:
    size = len(records)
    out: list[dict[str, Any]] = []
    docs: dict[str, dict[str, Any]] = {}
    for c in range(math.ceil(n / size)):
        for r in records[: min(size, n - c * size)]:
            doc_id = f"{r['doc_id']}#{c}"
            rec = r | {
                "key": f"{r['key']}#{c}",
                "doc_id": doc_id,
                "text_key": f"{r['text_key']}#{c}",
            }
            out.append(rec)
            docs.setdefault(doc_id, {"content_hash": f"synthetic{c}", "keys": []})["keys"].append(
                rec["key"]
            )
    return tuple(out), docs


def legacy_save_bytes(snap: IndexSnapshot, vectors: np.ndarray, folder: Path) -> int:
    """Bytes the format-1 index wrote on every save (as it wrote them: gzip level 9)."""
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / "passages.json.gz", "wt", encoding="utf-8") as fh:
        json.dump({"records": list(snap.records), "docs": dict(snap.docs)}, fh, ensure_ascii=False)
    terms = {"analyzer": "both", "k1": 1.2, "b": 0.75, "ids": [r["key"] for r in snap.records]}
    with gzip.open(folder / "lexical.json.gz", "wt", encoding="utf-8") as fh:
        json.dump(terms | {"terms": snap.lexical.terms}, fh, ensure_ascii=False)
    meta = json.dumps({"ids": terms["ids"]}, ensure_ascii=False).encode()
    total = sum(f.stat().st_size for f in folder.iterdir()) + len(meta)
    return total + 2 * (vectors.nbytes + 128)  # dense-<gen>.npy and the flat .faiss


def exact_top(dense: DenseIndex, q: np.ndarray, k: int) -> set[int]:
    return set(best_rows(dense.all_scores(q), k).tolist())


def hit_keys(hits: list[SearchHit]) -> set[tuple[str, str]]:
    return {(h.doc_id, h.passage_id) for h in hits}


def exact_hits(
    index: SearchIndex, snap: IndexSnapshot, question: str, vector: np.ndarray, mode: str
) -> list[SearchHit]:
    """The top 10 of ``mode`` ("bm25" or "hybrid") over every row's exact scores."""
    cleaned = clean_query(question)
    bm25 = snap.lexical.scores(terms(cleaned))
    if mode == "bm25":
        rows = best_rows(bm25, DEPTH)
        rows = rows[bm25[rows] > 0]
        return collapse_hits(snap.records, rows, bm25[rows], None, bm25, 0, 10)
    assert snap.dense is not None
    dense = snap.dense.all_scores(vector)
    cands = candidates_from_scores(dense, bm25, DEPTH)
    rows, scores = rank_hybrid(snap, cleaned, cands, index.hybrid)
    return collapse_hits(snap.records, rows, scores, dense, bm25, 0, 10)


def percentiles(times: list[float]) -> tuple[float, float]:
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def one_size(args: argparse.Namespace) -> dict[str, Any]:
    n = args.one_size
    records, base_terms, base_vectors = load_base(args.home)
    questions = [q.text for q in alqac_questions(args.alqac / "train.json")][: args.queries]
    plan = plan_documents([args.plan])[0]
    out: dict[str, Any] = {"passages": n}
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        home = Path(tmp) / "index"
        index = SearchIndex(home, cache_path=args.home / "embeddings.sqlite")
        query_vectors = [index.embedder.embed_query(clean_query(q)) for q in questions]
        recs, docs = replicated_records(records, n)
        vectors = replicated_vectors(base_vectors, n)

        t = time.perf_counter()
        terms = replicated_terms(base_terms, n)
        lexical = LexicalIndex()
        lexical.add_part(terms)
        kind = ann_kind("auto", n)
        ann = build_ann(vectors, kind) if kind else None
        dense = DenseIndex(index.embedder_name, vectors.shape[1])
        dense.add_part(VectorPart(terms.keys, vectors, None, ann))
        index.publish(IndexSnapshot(recs, docs, lexical, dense))
        out["build_s"] = time.perf_counter() - t
        out["dense_kind"] = dense.effective_kind

        t = time.perf_counter()
        index.save()
        out["save_s"] = time.perf_counter() - t
        out["save_bytes"] = index.last_commit_bytes
        if not args.skip_legacy:
            out["legacy_bytes"] = legacy_save_bytes(index.snapshot(), vectors, Path(tmp) / "v1")
        del vectors

        adds: list[tuple[float, int]] = []
        index.add_documents([replace(plan, id="warm-up")])  # segmenter loaded, cache warm
        index.save()
        for i in range(args.adds):
            doc: Document = replace(plan, id=f"added-{i}")
            t = time.perf_counter()
            index.add_documents([doc])
            index.save()
            adds.append((time.perf_counter() - t, index.last_commit_bytes))
        out["add_passages"] = len(plan.passages)
        out["add_s"] = statistics.median(a for a, _ in adds)
        out["add_bytes"] = statistics.median(b for _, b in adds)
        out["add_bytes_max"] = max(b for _, b in adds)
        out["segments"] = index.stats()["segments"]

        snap = index.snapshot()
        index.search(questions[0], k=10, query_vector=query_vectors[0])  # warm-up
        # a second pass (``--warm``): every question's terms seen once, a server's steady state
        passes = [MODES, tuple(f"{m} warm" for m in MODES)][: 2 if args.warm else 1]
        for keys in passes:
            for mode, key in zip(MODES, keys, strict=True):
                times = []
                for q, v in zip(questions, query_vectors, strict=True):
                    t = time.perf_counter()
                    index.search(q, k=10, mode=mode, query_vector=v)
                    times.append(1000 * (time.perf_counter() - t))
                out[key] = percentiles(times)
        found = snap.dense
        assert found is not None
        recalls, exact_ms = [], []
        for v in query_vectors:
            got = set(found.search(v, 10)[0].tolist())
            t = time.perf_counter()
            truth = exact_top(found, v, 10)
            exact_ms.append(1000 * (time.perf_counter() - t))
            recalls.append(len(got & truth) / 10)
        out["recall@10"] = float(np.mean(recalls))
        out["exact_dense"] = percentiles(exact_ms)
        for mode in ("bm25", "hybrid"):
            shares = []
            for q, v in zip(questions, query_vectors, strict=True):
                expected = hit_keys(exact_hits(index, snap, q, v, mode))
                returned = hit_keys(index.search(q, k=10, mode=mode, query_vector=v))
                shares.append(len(returned & expected) / max(1, len(expected)))
            out[f"{mode}_recall@10"] = float(np.mean(shares))
        index.close()
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--alqac", type=Path, required=True, help="ALQAC 2023 directory")
    ap.add_argument("--home", type=Path, default=Path(__file__).parent / "out")
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--adds", type=int, default=5, help="plans added one at a time")
    ap.add_argument(
        "--plan",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "corpus/plans/000_98390ce94a0dd2c3.txt",
    )
    ap.add_argument("--tmp", type=Path, default=None, help="folder for the indexes built")
    ap.add_argument("--skip-legacy", action="store_true", help="do not write format 1")
    ap.add_argument("--warm", action="store_true", help="time a second pass too")
    ap.add_argument("--exact-bm25", action="store_true", help="BM25 scores every row")
    ap.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.exact_bm25:
        impact.IMPACT_MIN_ROWS = sys.maxsize
    if args.one_size:
        print(json.dumps(one_size(args)), flush=True)
        return
    print_head()
    for n in (int(s) for s in args.sizes.split(",")):
        cmd = [sys.executable, __file__, "--one-size", str(n), *(argv or sys.argv[1:])]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode:
            sys.exit(f"size {n} failed:\n{done.stderr[-3000:]}")
        print_row(json.loads(done.stdout.strip().splitlines()[-1]))


def print_head() -> None:
    head = (
        f"{'passages':>9} {'dense':>5} {'build s':>7} {'save s':>6} {'save MB':>8} "
        f"{'v1 MB':>7} | {'add s':>6} {'add KB':>8} {'max KB':>8} {'% of v1':>7} {'segs':>4} | "
        + " | ".join(f"{m + ' p50/p95':>16}" for m in MODES)
        + f" | {'exact':>11} | {'R@10':>5} | {'bm25 R':>6} | {'hyb R':>5} | {'peak MB':>7}"
    )
    print(head)
    print("-" * len(head), flush=True)


def print_row(r: dict[str, Any]) -> None:
    """One size's row (printed as soon as it is measured: the 1M size takes minutes)."""
    mb = 2**20
    legacy = r.get("legacy_bytes")
    share = f"{100 * r['add_bytes'] / legacy:>6.2f}%" if legacy else f"{'-':>7}"
    cells = " | ".join(f"{r[m][0]:>7.1f}/{r[m][1]:>7.1f}" for m in MODES)
    print(
        f"{r['passages']:>9} {r['dense_kind']:>5} {r['build_s']:>7.1f} {r['save_s']:>6.1f} "
        f"{r['save_bytes'] / mb:>8.1f} {(legacy or 0) / mb:>7.1f} | {r['add_s']:>6.2f} "
        f"{r['add_bytes'] / 1024:>8.0f} {r['add_bytes_max'] / 1024:>8.0f} {share} "
        f"{r['segments']:>4} | {cells} | {r['exact_dense'][0]:>4.1f}/{r['exact_dense'][1]:>5.1f} "
        f"| {r['recall@10']:>5.3f} | {r['bm25_recall@10']:>6.3f} | {r['hybrid_recall@10']:>5.3f} "
        f"| {r['peak_mb']:>7.0f}"
    )
    if "hybrid warm" in r:
        warm = " | ".join(f"{m} {r[m + ' warm'][0]:.1f}/{r[m + ' warm'][1]:.1f}" for m in MODES)
        print(f"  second pass p50/p95: {warm}")
    print(f"  (added plan: {r['add_passages']} passages; times in ms unless marked)", flush=True)


if __name__ == "__main__":
    main()
