"""Load bench: N concurrent clients for T seconds against a cancu server on loopback.

Starts its own server (``search_api.api.serve.serve`` in a fresh interpreter) on a copy of
``--home`` (the original is never written), bound to 127.0.0.1 only, and drives /search,
/ask, /sparql, /documents and /health; with ``--churn`` two more clients upload a plan
under a new name and delete it again, so reads run while the index changes. Reports, per
endpoint, requests answered, errors (5xx, an unexpected status or a failed connection),
throttled (429 with Retry-After: back-pressure, not an error), p50/p95/p99 latency; the
server's resident memory and thread count before, after and at their peak (sampled every
second); and the ``Server-Timing`` header of each endpoint's slowest answer.

    python bench/bench_load.py --home HOME [--clients 10] [--seconds 20] [--churn] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only: this bench never listens or connects elsewhere
MAX_CLIENTS = 64
MAX_SECONDS = 600
API_KEY = "bench-load-key"
QUERIES = ["công nghệ thông tin", "trung tâm dữ liệu", "dịch vụ công trực tuyến",
           "Nghị định 64/2007/NĐ-CP", "an toàn thông tin", "kinh phí thực hiện"]  # fmt: skip
QUESTIONS = ["Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?",
             "Cơ quan nào chủ trì xây dựng trung tâm dữ liệu?", "Kinh phí thực hiện là bao nhiêu?"]  # fmt: skip
SPARQL = "SELECT ?d WHERE { GRAPH ?g { ?d a <http://data.europa.eu/eli/ontology#LegalResource> } } LIMIT 20"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def proc_status(pid: int, field: str) -> int | None:
    """A number from ``/proc/PID/status`` (e.g. VmRSS in KiB, Threads); None elsewhere."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_mib(pid: int) -> float | None:
    """Resident memory of ``pid`` in MiB (Linux /proc; None elsewhere)."""
    kib = proc_status(pid, "VmRSS")
    return kib / 1024 if kib is not None else None


class Sampler(threading.Thread):
    """The server's resident memory and thread count every second, to report peaks."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.stop = pid, threading.Event()
        self.rss: list[float] = []
        self.threads: list[int] = []

    def run(self) -> None:
        while not self.stop.wait(1.0):
            rss, threads = rss_mib(self.pid), proc_status(self.pid, "Threads")
            if rss is not None and threads is not None:
                self.rss.append(rss)
                self.threads.append(threads)


def start_server(home: Path, port: int, log: Path, api_key: str | None) -> subprocess.Popen[bytes]:
    code = (
        "from search_api.api.serve import serve; from search_api.settings import Settings; "
        f"serve(Settings.from_env(home={str(home)!r}), host={HOST!r}, port={port})"
    )
    env = {"HF_HUB_OFFLINE": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    if api_key:
        env["CANCU_API_KEY"] = api_key
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-u", "-c", code], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)  # fmt: skip


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited before answering /health")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    raise SystemExit("the server did not answer /health in time")


class Tally:
    """Latencies and errors per endpoint, shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.throttled: dict[str, int] = defaultdict(int)
        self.samples: dict[str, str] = {}
        self.slowest: dict[str, tuple[float, str]] = {}  # endpoint -> (s, Server-Timing)

    def add(
        self, endpoint: str, seconds: float, error: str | None, throttled: bool, timing: str = ""
    ) -> None:
        with self.lock:
            if throttled:  # 429 + Retry-After: the server's designed back-pressure
                self.throttled[endpoint] += 1
                return
            self.latencies[endpoint].append(seconds)
            if seconds > self.slowest.get(endpoint, (0.0, ""))[0]:
                self.slowest[endpoint] = (seconds, timing)
            if error:
                self.errors[endpoint] += 1
                self.samples.setdefault(endpoint, error)

    def table(self) -> list[dict[str, Any]]:
        rows = []
        for endpoint in sorted(self.latencies):
            lat = sorted(self.latencies[endpoint])

            def pct(p: float, lat: list[float] = lat) -> float:
                return round(1000 * lat[min(len(lat) - 1, int(p * len(lat)))], 1)

            rows.append({"endpoint": endpoint, "requests": len(lat),
                         "errors": self.errors[endpoint],
                         "throttled": self.throttled[endpoint], "p50_ms": pct(0.50),
                         "p95_ms": pct(0.95), "p99_ms": pct(0.99)})  # fmt: skip
        return rows


def timed(tally: Tally, endpoint: str, send: Any, ok: tuple[int, ...] = (200,)) -> Any:
    started = time.perf_counter()
    error = None
    resp = None
    try:
        resp = send()
        if resp.status_code >= 500 or resp.status_code not in (*ok, 429):
            error = f"{resp.status_code}: {resp.text[:200]}"
    except httpx.HTTPError as err:
        error = f"{type(err).__name__}: {err}"
    throttled = resp is not None and resp.status_code == 429 and "Retry-After" in resp.headers
    if resp is not None and resp.status_code == 429 and not throttled:
        error = "429 without Retry-After"
    timing = resp.headers.get("Server-Timing", "") if resp is not None else ""
    tally.add(endpoint, time.perf_counter() - started, error, throttled, timing)
    return resp


def reader(base: str, seed: int, stop: threading.Event, tally: Tally) -> None:
    rng = random.Random(seed)
    requests = [
        ("/search", lambda c: c.get("/search", params={"q": rng.choice(QUERIES), "k": 10})),
        ("/ask", lambda c: c.get("/ask", params={"q": rng.choice(QUESTIONS)})),
        (
            "/sparql",
            lambda c: c.get(
                "/sparql",
                params={"query": SPARQL},
                headers={"Accept": "application/sparql-results+json"},
            ),
        ),  # fmt: skip
        ("/documents", lambda c: c.get("/documents")),
        ("/health", lambda c: c.get("/health")),
    ]
    with httpx.Client(base_url=base, timeout=60) as client:
        while not stop.is_set():
            endpoint, send = rng.choice(requests)
            timed(tally, endpoint, lambda send=send: send(client))


def churner(base: str, seed: int, plan: bytes, stop: threading.Event, tally: Tally) -> None:
    """Upload a plan under a new name, then delete it (202 when queued behind an upload)."""
    key = {"X-API-Key": API_KEY}
    with httpx.Client(base_url=base, timeout=120) as client:
        n = 0
        while not stop.is_set():
            doc_id = f"bench_churn_{seed}_{n}"
            n += 1
            files = {"file": (f"{doc_id}.txt", plan.replace(b"UBND", f"UBND {n}".encode(), 1))}
            resp = timed(tally, "POST /documents", lambda files=files: client.post("/documents", files=files,
                         headers=key), ok=(202,))  # fmt: skip
            if resp is None or resp.status_code != 202:
                continue
            job_id = resp.json()["id"]
            while not stop.is_set():
                job = client.get(f"/jobs/{job_id}").json()
                if job["status"] in ("done", "failed"):
                    break
                time.sleep(0.2)
            timed(tally, "DELETE /documents", lambda doc_id=doc_id: client.delete(f"/documents/{doc_id}",
                  headers=key), ok=(200, 202, 404))  # fmt: skip


def run(args: argparse.Namespace) -> dict[str, Any]:
    clients = max(1, min(args.clients, MAX_CLIENTS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    work = Path(tempfile.mkdtemp(prefix="cancu-load-"))
    try:
        home = work / "home"
        shutil.copytree(args.home, home)
        port = free_port()
        base = f"http://{HOST}:{port}"
        proc = start_server(home, port, work / "server.log", API_KEY if args.churn else None)
        try:
            wait_ready(base, proc)
            rss_before = rss_mib(proc.pid)
            threads_before = proc_status(proc.pid, "Threads")
            sampler = Sampler(proc.pid)
            sampler.start()
            tally, stop = Tally(), threading.Event()
            threads = [threading.Thread(target=reader, args=(base, i, stop, tally))
                       for i in range(clients)]  # fmt: skip
            if args.churn:
                plan = sorted(Path(args.home).glob("uploads/*.txt")) or sorted(
                    (ROOT / "tests/fixtures/api").glob("*.txt"))  # fmt: skip
                threads += [threading.Thread(target=churner, args=(base, i, plan[0].read_bytes(),
                            stop, tally)) for i in range(2)]  # fmt: skip
            for t in threads:
                t.start()
            time.sleep(seconds)
            stop.set()
            for t in threads:
                t.join(timeout=180)
            rss_after = rss_mib(proc.pid)
            threads_after = proc_status(proc.pid, "Threads")
            sampler.stop.set()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        return {"clients": clients, "seconds": seconds, "churn": args.churn,
                "rss_mib_before": rss_before, "rss_mib_after": rss_after,
                "rss_mib_peak": max(sampler.rss, default=rss_after),
                "threads_before": threads_before, "threads_after": threads_after,
                "threads_peak": max(sampler.threads, default=threads_after),
                "endpoints": tally.table(), "error_samples": tally.samples,
                "slowest_server_timing": {e: {"ms": round(1000 * s, 1), "server_timing": t}
                                          for e, (s, t) in tally.slowest.items()}}  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_table(result: dict[str, Any]) -> None:
    print(f"clients={result['clients']} seconds={result['seconds']} churn={result['churn']} "
          f"rss_mib before={result['rss_mib_before']:.0f} after={result['rss_mib_after']:.0f} "
          f"peak={result['rss_mib_peak']:.0f} threads before={result['threads_before']} "
          f"after={result['threads_after']} peak={result['threads_peak']}")  # fmt: skip
    print_endpoints(result)


def print_endpoints(result: dict[str, Any]) -> None:
    """Per endpoint: answered, errors, throttled, latency; first errors; slowest timings."""
    print("| endpoint | answered | errors | throttled (429) | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in result["endpoints"]:
        print(f"| {r['endpoint']} | {r['requests']} | {r['errors']} | {r['throttled']} | {r['p50_ms']} | "
              f"{r['p95_ms']} | {r['p99_ms']} |")  # fmt: skip
    for endpoint, sample in result["error_samples"].items():
        print(f"first error on {endpoint}: {sample}")
    for endpoint, slow in result["slowest_server_timing"].items():
        print(f"slowest {endpoint}: {slow['ms']} ms, Server-Timing: {slow['server_timing']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="cancu home to copy and serve")
    parser.add_argument("--clients", type=int, default=10, help=f"readers (at most {MAX_CLIENTS})")
    parser.add_argument(
        "--seconds", type=float, default=20, help=f"duration (at most {MAX_SECONDS})"
    )
    parser.add_argument("--churn", action="store_true", help="also upload and delete documents")
    parser.add_argument("--json", type=Path, help="write the result as JSON here")
    args = parser.parse_args()
    result = run(args)
    print_table(result)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
