"""The overview's render time in headless Chromium: first visit and cached, with the full
plotly.js (``before``) and with its basic bundle (``after``), on one built home.

    python bench/bench_page.py --home DIR [--runs 7] [--cached-runs 7] [--only after] [--json]

Two ``cancu serve`` processes on the same home, one after the other: ``after`` runs the
package as installed (plotly.js's basic bundle when ``make install`` ran npm); ``before``
runs the same code from a copy of ``search_api/`` without ``vendor/node_modules`` put first
on PYTHONPATH, which is what a pip-only install serves (the full plotly.js from the
``plotly`` wheel). Each server's /static/vendor/plotly.min.js is fetched once to say which
bundle it sends.

A first visit is a fresh browser context (empty HTTP cache, no compiled-code cache); a
cached visit is one more navigation in a context that already loaded the page twice.
Each visit waits for ``window.cancuOverview`` (set by overview.js once every chart is
drawn) and reads from it and from the Resource Timing entries:

- ``render``: ms from navigation start to the last chart drawn (the issue's "< 1 s");
- ``scripts``: DOMContentLoaded (every deferred script of index.html fetched and run);
- ``library``: when plotly.js had loaded and run; ``data``: when every card had its data;
- ``api``: the slowest /overview/* request (ms; each route's median is printed below the
  table); ``lib_kb``: plotly.js bytes on the wire;
- ``(charts, grown)``: charts drawn, and how many of them plotly's automargin had to widen
  (each of those drawn twice: overview.js measures margins to avoid it).

Medians over the runs are printed per variant and mode; ``--json`` prints every visit.
Timings are noisy on a shared machine: run it under the heavy lock and compare medians.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# The browser tests' flags (tests/e2e/test_browser.py).
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
READ_VISIT = """() => {
  const o = window.cancuOverview;
  const nav = performance.getEntriesByType("navigation")[0];
  const res = performance.getEntriesByType("resource");
  const lib = res.find((r) => r.name.endsWith("/static/vendor/plotly.min.js"));
  const overview = res.filter((r) => r.name.includes("/overview/"));
  const api = overview.map((r) => r.duration);
  const routes = Object.fromEntries(overview.map((r) => [new URL(r.name).pathname + new URL(r.name).search, Math.round(r.duration)]));
  // Charts whose margins plotly's automargin had to grow (each drawn twice).
  const grown = [...document.querySelectorAll("#overview .plot[data-rendered]")].filter((el) =>
    ["l", "r", "t", "b"].some((k) => Math.round(el._fullLayout._size[k]) > (el.layout.margin || {})[k])).length;
  return { render: o.ms, charts: o.charts, grown, library: o.libraryMs, data: o.dataMs,
    scripts: Math.round(nav.domContentLoadedEventEnd), api: Math.round(Math.max(0, ...api)),
    lib_kb: lib ? Math.round(lib.transferSize / 1024) : null, routes };
}"""
FIELDS = ["render", "scripts", "library", "data", "api", "lib_kb"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(home: Path, pythonpath: Path | None, log: Path) -> Iterator[str]:
    """``cancu serve`` on ``home``; with ``pythonpath``, search_api is imported from there."""
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "CANCU_HOME": str(home)}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    cancu = Path(sys.executable).with_name("cancu")
    with log.open("wb") as out:
        proc = subprocess.Popen([str(cancu), "serve", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"server exited: {log.read_text('utf-8', errors='replace')}")
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("server did not answer /health in 120 s") from None
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def bundle_name(base: str) -> str:
    """Which plotly.js the server sends, from its banner, with its size."""
    with urllib.request.urlopen(f"{base}/static/vendor/plotly.min.js", timeout=30) as r:
        body = r.read()
    banner = body[:200].decode("utf-8", "replace").splitlines()[1].strip("* ")
    return f"{banner}, {len(body) / 1e6:.2f} MB"


def visit(context: Any, base: str) -> dict[str, Any]:
    page = context.new_page()
    try:
        page.goto(f"{base}/")
        page.wait_for_function("window.cancuOverview", timeout=60_000)
        return dict(page.evaluate(READ_VISIT))
    finally:
        page.close()


def measure(browser: Any, base: str, runs: int, cached_runs: int) -> dict[str, list[dict]]:
    first = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        first.append(visit(context, base))
        context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    for _ in range(2):  # fills the HTTP cache, then V8's code cache (kept from a 2nd load)
        visit(context, base)
    cached = [visit(context, base) for _ in range(cached_runs)]
    context.close()
    return {"first": first, "cached": cached}


def median(visits: list[dict], field: str) -> float | None:
    values = [v[field] for v in visits if v[field] is not None]
    return statistics.median(values) if values else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, required=True, help="a home built by `cancu ingest`")
    ap.add_argument("--runs", type=int, default=7, help="first visits per variant")
    ap.add_argument("--cached-runs", type=int, default=7, help="cached visits per variant")
    ap.add_argument("--only", choices=["before", "after"], help="measure one variant")
    ap.add_argument("--json", action="store_true", help="print every visit as JSON")
    args = ap.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit("/usr/bin/chromium is absent: run .ci/install-browser.sh")
    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-page-") as tmp:
        # `before`: search_api without the npm bundle, so the server falls back to the wheel's.
        copy = Path(tmp, "src")
        shutil.copytree(ROOT / "search_api", copy / "search_api",
                        ignore=shutil.ignore_patterns("node_modules", "__pycache__"))  # fmt: skip
        variants = {"before": copy, "after": None}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
            for name, pythonpath in variants.items():
                if args.only and name != args.only:
                    continue
                with server(args.home, pythonpath, Path(tmp, f"{name}.log")) as base:
                    bundle = bundle_name(base)
                    results[name] = {
                        "bundle": bundle,
                        **measure(browser, base, args.runs, args.cached_runs),
                    }
            browser.close()
    if args.json:
        print(json.dumps(results, indent=1))
        return
    print(
        f"median of {args.runs} first visits / {args.cached_runs} cached visits (ms; lib_kb: KiB)"
    )
    print(f"{'variant':8} {'visit':7} " + " ".join(f"{f:>8}" for f in FIELDS) + "  (charts, grown)")
    for name, res in results.items():
        for mode in ("first", "cached"):
            cells = [median(res[mode], f) for f in FIELDS]
            charts = {(v["charts"], v["grown"]) for v in res[mode]}
            print(f"{name:8} {mode:7} " + " ".join(f"{'-' if c is None else f'{c:.0f}':>8}" for c in cells)
                  + f"  {sorted(charts)}")  # fmt: skip
    for name, res in results.items():
        renders = [v["render"] for v in res["first"]]
        print(f"{name}: {res['bundle']}; first-visit renders {renders}")
        visits = res["first"] + res["cached"]
        paths = sorted({path for v in visits for path in v["routes"]})
        times = {
            p: statistics.median(v["routes"][p] for v in visits if p in v["routes"]) for p in paths
        }
        print(f"  API per chart, median ms: {', '.join(f'{p} {t:.0f}' for p, t in times.items())}")


if __name__ == "__main__":
    main()
