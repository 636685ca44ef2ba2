"""Several API workers on one Oxigraph server while one writer ingests: load and freshness.

    python bench/bench_workers.py [--workers 2] [--clients 50] [--seconds 60] [--writes 6]

What the README's "several API workers on one shared store" promises, measured in one
run on loopback:
- ``oxigraph serve`` (from the ``oxigraph`` package) on a free port, empty;
- a fresh home whose graph is on that server, filled by ``cancu --graph-store URL ingest
  corpus/`` (the shipped vectors: nothing is embedded);
- ``uvicorn --factory search_api.api.app:create_app --workers N`` over that home,
  read-only (no API key);
- the load of ``bench_load.py`` (its readers: /search, /ask, /sparql, /documents,
  /health) from ``--clients`` clients for ``--seconds``;
- meanwhile a writer process (``cancu ingest``) adds ``--writes`` new plans one by one;
  after each commit, probes on fresh connections (spread over the workers by the
  kernel) ask ``/documents/{id}`` and ``/search`` for a term only that plan holds, until
  every probe in a row of ``3 × workers`` sees it. Reported: errors, answers from a
  worker that did not yet see a committed plan (stale), and the time from the commit to
  the first all-fresh row.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_load import HOST, Tally, free_port, print_endpoints, reader  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def start_oxigraph(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = BIN / "oxigraph" if (BIN / "oxigraph").exists() else shutil.which("oxigraph")
    if binary is None:
        raise SystemExit("no `oxigraph` command: pip install -c constraints.txt oxigraph")
    port = free_port()
    proc = subprocess.Popen(
        [str(binary), "serve", "--location", str(root / "oxigraph"), "--bind", f"{HOST}:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://{HOST}:{port}"
    wait_until(lambda: httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1), 30)
    return proc, url


def wait_until(probe: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if probe().status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("a server did not answer in time")


def writer_plans(work: Path, writes: int) -> list[tuple[str, Path, str]]:
    """(file stem, file, a term only it holds) for each plan the writer adds (the doc id
    is read from the ingest report)."""
    base = sorted((ROOT / "corpus" / "plans").glob("*.txt"))[0].read_text(encoding="utf-8")
    plans = []
    for n in range(writes):
        term = f"mãkiểmtra{n}x"
        path = work / "writes" / f"bench_write_{n}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(base + f"\n\nPhụ lục kiểm tra: {term}.\n", encoding="utf-8")
        plans.append((path.stem, path, term))
    return plans


def fresh_everywhere(base: str, doc_id: str, term: str, probes: int) -> tuple[bool, int]:
    """(every probe saw the plan, how many did not); a new connection per probe."""
    stale = 0
    for _ in range(probes):
        with httpx.Client(base_url=base, timeout=30) as client:
            doc = client.get(f"/documents/{doc_id}")
            hits = client.get("/search", params={"q": term, "k": 3, "mode": "bm25"})
        found = hits.status_code == 200 and any(
            h.get("doc_id") == doc_id for h in hits.json().get("results", [])
        )
        stale += int(doc.status_code != 200 or not found)
    return stale == 0, stale


def writer(env: dict[str, str], base: str, plans: list[tuple[str, Path, str]], workers: int,
           out: dict[str, Any], stop: threading.Event) -> None:  # fmt: skip
    delays, stale_total = [], 0
    for doc_id, path, term in plans:
        if stop.is_set():
            break
        done = subprocess.run([str(BIN / "cancu"), "ingest", "--json", str(path)], env=env,
                              check=True, capture_output=True, text=True)  # fmt: skip
        committed = time.monotonic()
        doc_id = (json.loads(done.stdout)["added"] or [doc_id])[0]
        while True:
            ok, stale = fresh_everywhere(base, doc_id, term, 3 * workers)
            stale_total += stale
            if ok:
                delays.append(time.monotonic() - committed)
                break
            if time.monotonic() - committed > 60:
                delays.append(float("inf"))
                break
    out.update(writes=len(delays), stale_answers=stale_total,
               fresh_after_s={"median": statistics.median(delays) if delays else None,
                              "max": max(delays, default=None)})  # fmt: skip


def run(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="cancu-workers-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        oxigraph, store_url = start_oxigraph(work)
        procs.append(oxigraph)
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "CANCU_HOME": str(work / "home"),
               "CANCU_GRAPH_STORE": store_url}  # fmt: skip
        env.pop("CANCU_API_KEY", None)
        started = time.perf_counter()
        subprocess.run([str(BIN / "cancu"), "ingest", "--json", str(ROOT / "corpus")], env=env,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        ingest_s = time.perf_counter() - started
        port = free_port()
        base = f"http://{HOST}:{port}"
        with (work / "uvicorn.log").open("wb") as log:
            procs.append(subprocess.Popen(
                [str(BIN / "uvicorn"), "--factory", "search_api.api.app:create_app",
                 "--workers", str(args.workers), "--host", HOST, "--port", str(port)],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))  # fmt: skip
        wait_until(lambda: httpx.get(f"{base}/health", timeout=2), 180)
        tally, stop, written = Tally(), threading.Event(), {}
        threads = [threading.Thread(target=reader, args=(base, i, stop, tally))
                   for i in range(args.clients)]  # fmt: skip
        threads.append(threading.Thread(
            target=writer, args=(env, base, writer_plans(work, args.writes), args.workers,
                                 written, stop)))  # fmt: skip
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        stop.set()
        for t in threads:
            t.join(timeout=300)
        return {"workers": args.workers, "clients": args.clients, "seconds": args.seconds,
                "corpus_ingest_s": round(ingest_s, 1), "writer": written,
                "endpoints": tally.table(), "error_samples": tally.samples,
                "slowest_server_timing": {e: {"ms": round(1000 * s, 1), "server_timing": t}
                                          for e, (s, t) in tally.slowest.items()}}  # fmt: skip
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--clients", type=int, default=50, help="concurrent readers")
    parser.add_argument("--seconds", type=float, default=60, help="duration of the load")
    parser.add_argument("--writes", type=int, default=6, help="plans the writer adds")
    args = parser.parse_args()
    result = run(args)
    print(f"workers={result['workers']} corpus ingest into the server: "
          f"{result['corpus_ingest_s']} s; writer: {result['writer']}")  # fmt: skip
    print_endpoints(result)


if __name__ == "__main__":
    main()
