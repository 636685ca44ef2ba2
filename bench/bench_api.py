"""Latency of the HTTP service under a small, bounded load on loopback.

Starts ``search_api.api.serve.serve`` in its own process on 127.0.0.1 (a free port), sends
``--requests`` requests per endpoint with ``--concurrency`` clients to /search and
/sparql (and /health as a floor), and prints p50/p95/max latency and throughput.

    python bench/bench_api.py                    # the corpus in $CANCU_HOME / .cancu
    python bench/bench_api.py --home /tmp/h      # another home
    python bench/bench_api.py --fixtures         # a fresh home from tests/fixtures/api

If the home holds no documents, the corpus (corpus/plans) is ingested into it first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from search_api.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "trung tâm tích hợp dữ liệu", "dịch vụ công trực tuyến mức độ 3", "an toàn thông tin mạng",
    "kinh phí thực hiện kế hoạch", "Nghị định 64/2007/NĐ-CP", "phần mềm quản lý văn bản",
    "chính quyền điện tử", "đào tạo cán bộ chuyên trách công nghệ thông tin",
]  # fmt: skip
SPARQL = [
    """PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX cancu: <https://cancu.vn/ontology#>
SELECT ?number (COUNT(DISTINCT ?plan) AS ?n) WHERE { ?c a cancu:Citation ; cancu:citedDocument ?l ;
cancu:citingDocument ?plan . ?l eli:id_local ?number } GROUP BY ?number ORDER BY DESC(?n) LIMIT 10""",
    """PREFIX cancu: <https://cancu.vn/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?agency (SUM(?b) AS ?total) WHERE { ?p a cancu:Project ; cancu:budgetVndMillion ?b ;
cancu:leadAgency/skos:prefLabel ?agency } GROUP BY ?agency ORDER BY DESC(?total)""",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_home(home: Path, fixtures: bool) -> None:
    from search_api.workspace import Workspace

    ws = Workspace(home)
    if ws.docs.ids():
        ws.graph.close()
        return
    source = ROOT / "tests" / "fixtures" / "api" if fixtures else ROOT / "corpus" / "plans"
    print(f"ingesting {source} into {home} ...", flush=True)
    report = ws.ingest([source])
    print(f"  {len(report.documents)} documents in {report.seconds:.1f}s", flush=True)
    ws.graph.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def load(base: str, name: str, make: list, n: int, concurrency: int) -> dict[str, float]:  # noqa: ANN001
    """``n`` requests (cycling through ``make``), ``concurrency`` at a time; all must succeed."""

    def one(i: int, client: httpx.Client) -> float:
        method, path, kwargs = make[i % len(make)]
        started = time.perf_counter()
        resp = client.request(method, path, **kwargs)
        elapsed = time.perf_counter() - started
        if resp.status_code != 200:
            raise RuntimeError(f"{name}: HTTP {resp.status_code}: {resp.text[:200]}")
        return elapsed

    with httpx.Client(base_url=base, timeout=60) as client:
        one(0, client)  # warm this endpoint once, not counted
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            latencies = list(pool.map(lambda i: one(i, client), range(n)))
        wall = time.perf_counter() - started
    ms = [x * 1000 for x in latencies]
    return {
        "n": n,
        "p50_ms": statistics.median(ms),
        "p95_ms": percentile(ms, 0.95),
        "max_ms": max(ms),
        "rps": n / wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", type=Path, default=None, help="default: $CANCU_HOME, else .cancu")
    parser.add_argument(
        "--fixtures", action="store_true", help="use a temporary home with the two fixture plans"
    )
    parser.add_argument(
        "--requests", type=int, default=200, help="requests per endpoint (max 2000)"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent clients (max 16)")
    args = parser.parse_args()
    n, concurrency = min(args.requests, 2000), min(args.concurrency, 16)

    tmp = Path(tempfile.mkdtemp(prefix="cancu-bench-")) if args.fixtures else None
    home = tmp / "home" if tmp else (args.home or ROOT / Settings.from_env().home)
    ensure_home(home, fixtures=bool(tmp))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp or Path(tempfile.gettempdir())) / f"cancu-bench-{port}.log"
    code = (
        "from search_api.api.serve import serve; from search_api.settings import Settings; "
        f"serve(Settings.from_env(home={str(home)!r}), host='127.0.0.1', port={port})"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server did not start; see {log}")
            time.sleep(0.3)
        docs = httpx.get(f"{base}/health").json()["documents"]
        print(
            f"server {base} over {home} ({docs} documents); {n} requests per endpoint, {concurrency} concurrent"
        )
        plans = {
            "/health": [("GET", "/health", {})],
            "/search (hybrid, k=10)": [
                ("GET", "/search", {"params": {"q": q, "k": 10}}) for q in QUERIES
            ],
            "/search (bm25, k=10)": [
                ("GET", "/search", {"params": {"q": q, "k": 10, "mode": "bm25"}}) for q in QUERIES
            ],
            "/sparql (POST form)": [
                (
                    "POST",
                    "/sparql",
                    {
                        "data": {"query": q},
                        "headers": {"Accept": "application/sparql-results+json"},
                    },
                )
                for q in SPARQL
            ],
        }
        print(f"{'endpoint':<26}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'req/s':>9}")
        for name, make in plans.items():
            r = load(base, name, make, n, concurrency)
            print(
                f"{name:<26}{r['n']:>6}{r['p50_ms']:>10.1f}{r['p95_ms']:>10.1f}{r['max_ms']:>10.1f}{r['rps']:>9.1f}"
            )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
