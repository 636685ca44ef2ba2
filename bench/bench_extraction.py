"""Extraction speed and memory on large and degenerate plan texts.

    python bench/bench_extraction.py [--sizes 0.25,1,5] [--large] [--cases plan,one_line_md,...]
                                     [--profile CASE:MB] [--json out.json] [--write-texts DIR]

Synthetic texts are built from the shipped plans in ``corpus/plans/`` so they stay
plan-like (header, legal basis, sections, flattened tables, citations): the first plan
whole, then the bodies of the plans in turn, their document numbers shifted per copy so
that citations stay distinct and keep growing with the text. Degenerate cases of the
same sizes: ``one_line_md`` (the plan text on one line, as ``.md``), ``no_breaks`` (the
same as ``.txt``), ``huge_table`` (one flattened table of budget rows) and ``pipe_table``
(one ``|`` table). ``--large`` adds 20 and 50 MB.

Each case runs in a fresh child process (so the peak RSS is its own) through the same
path as ingest: the file is read by ``ingest.read.read_path`` (with the size limit raised
to the text's size), then ``ingest.pipeline.process_source`` (``build_document`` then
``extract`` then the JSON), after a warm-up on one shipped plan (one-time costs such as
compiled patterns are a server's start, not a document's). Printed per case: seconds, MB/s, passages, citations, peak
RSS and the time of each stage (inclusive: reflow is also counted inside header and
citations). ``--profile CASE:MB`` prints the cProfile top functions of one case instead.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PLANS = ROOT / "corpus" / "plans"
MB = 1_000_000
CASES = ("plan", "one_line_md", "no_breaks", "huge_table", "pipe_table")
SUFFIX = {"one_line_md": ".md", "pipe_table": ".md"}

# (module, attribute, stage label): the functions timed as stages, patched where they are
# looked up. Stages nest (reflow runs inside header and citations): times are inclusive.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("ingest.structure.document", "normalize", "normalise"),
    ("ingest.structure.header", "reflow", "reflow(header)"),
    ("ingest.structure.document", "parse_header", "header"),
    ("ingest.structure.document", "parse_sections", "sections"),
    ("ingest.structure.document", "parse_tables", "tables"),
    ("ingest.structure.document", "make_passages", "passages"),
    ("ingest.extract.extraction", "extract_citations", "citations"),
    ("ingest.extract.citations", "reflow", "reflow(citations)"),
    ("ingest.extract.citations", "basis_ranges", "basis"),
    ("ingest.extract.citations", "find_law_mentions", "law_names"),
    ("ingest.extract.extraction", "extract_agencies", "agencies"),
    ("ingest.extract.extraction", "extract_projects", "projects"),
    ("ingest.extract.projects", "text_projects", "projects(text)"),
    ("ingest.extract.extraction", "extract_targets", "targets"),
    ("ingest.extract.extraction", "extraction_to_json", "json"),
)

_NUMBER_RE = re.compile(r"\b(\d{1,4})(?=(?:/\d{4})?/[A-ZĐ])")
_BODY_START_RE = re.compile(r"(?m)^(?:Căn cứ|Thực hiện|I\.|Phần I|PHẦN I)")


def plan_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(PLANS.glob("*.txt"))]


def _body(text: str) -> str:
    """A plan without its header block: the copies after the first read as annexes."""
    match = _BODY_START_RE.search(text)
    return text[match.start() :] if match else text


def _shift_numbers(text: str, copy: int) -> str:
    """Document numbers moved per copy ("64/2007/NĐ-CP" -> "2064/2007/NĐ-CP" ...)."""
    return _NUMBER_RE.sub(lambda m: str(int(m.group(1)) + 1000 * copy), text) if copy else text


def plan_like(size: int) -> str:
    """About ``size`` characters of plan text: the first plan whole, then plan bodies."""
    plans = plan_texts()
    parts, total, copy = [plans[0]], len(plans[0]), 0
    while total < size:
        copy += 1
        part = _shift_numbers(_body(plans[copy % len(plans)]), copy)
        parts.append(part)
        total += len(part)
    return "".join(parts)[:size]


def _table_row(n: int) -> str:
    lead = ("Sở Thông tin và Truyền thông", "Sở Tài chính", "UBND các huyện, thành phố")[n % 3]
    return (
        f" \t{n}\n\tXây dựng hệ thống thông tin chuyên ngành số {n}\n\t{lead}\n"
        f"\t2021-2025\n\t{(n * 37) % 900 + 100}\n\tNgân sách tỉnh\n\n"
    )


def huge_table(size: int) -> str:
    head = "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH\nSố: 12/KH-UBND\n\nKẾ HOẠCH\nỨng dụng CNTT\n\n"
    head += "Phụ lục: Danh mục dự án (Đơn vị: triệu đồng)\n\n"
    head += "\tSTT\n\tTên dự án\n\tCơ quan chủ trì\n\tThời gian\n\tKinh phí\n\tNguồn vốn\n\n"
    parts, total, n = [head], len(head), 0
    while total < size:
        n += 1
        row = _table_row(n)
        parts.append(row)
        total += len(row)
    return "".join(parts)


def pipe_table(size: int) -> str:
    head = "# KẾ HOẠCH ứng dụng CNTT\n\n| STT | Tên dự án | Cơ quan chủ trì | Kinh phí |\n|---|---|---|---|\n"
    parts, total, n = [head], len(head), 0
    while total < size:
        n += 1
        row = f"| {n} | Xây dựng hệ thống số {n} | Sở Tài chính | {(n * 37) % 900 + 100} |\n"
        parts.append(row)
        total += len(row)
    return "".join(parts)


def case_text(case: str, size: int) -> str:
    """The text of one case, ``size`` bytes in UTF-8 (cut at a character boundary)."""
    if case == "plan":
        text = plan_like(size)
    elif case in ("one_line_md", "no_breaks"):
        text = re.sub(r"\s*\n\s*", " ", plan_like(size))
    elif case == "huge_table":
        text = huge_table(size)
    elif case == "pipe_table":
        text = pipe_table(size)
    else:
        raise SystemExit(f"unknown case {case!r}; known: {', '.join(CASES)}")
    return text.encode("utf-8")[:size].decode("utf-8", errors="ignore")


def peak_rss_kb() -> int:
    """This process's peak resident memory (kB): ``VmHWM``, which, unlike ``ru_maxrss``,
    does not count the parent's memory at the time of the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _timed_stages() -> dict[str, float]:
    """Wrap every stage function with a timer; returns the dict the timers add to."""
    import importlib

    times: dict[str, float] = {}

    def wrap(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                times[label] = times.get(label, 0.0) + time.perf_counter() - t0

        return timed

    for module_name, attr, label in STAGES:
        module = importlib.import_module(module_name)
        setattr(module, attr, wrap(label, getattr(module, attr)))
    return times


def run_case(path: Path, profile: bool) -> dict[str, Any]:
    """Read and process one file in this process; the measurements as a dict."""
    from ingest.lang.law_names import LawNameTable
    from ingest.pipeline import process_source
    from ingest.read import read_path

    # A server pays its one-time costs (tables, compiled patterns) once: warm them up on a
    # shipped plan so that the timing is the document's own.
    LawNameTable.default()
    process_source(read_path(sorted(PLANS.glob("*.txt"))[0])[0])
    base_rss = peak_rss_kb()
    times = {} if profile else _timed_stages()
    size = path.stat().st_size
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    sources = read_path(path, max_bytes=size + 1)
    read_s = time.perf_counter() - t0
    profiler = cProfile.Profile() if profile else None
    t1 = time.perf_counter()
    if profiler is not None:
        processed = profiler.runcall(process_source, sources[0])
    else:
        processed = process_source(sources[0])
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    result: dict[str, Any] = {
        "bytes": size,
        "seconds": round(seconds, 3),
        "cpu_s": round(cpu, 3),
        "cpu_mb_per_s": round(size / MB / cpu, 3),
        "read_s": round(read_s, 3),
        "process_s": round(time.perf_counter() - t1, 3),
        "mb_per_s": round(size / MB / seconds, 3),
        "passages": len(processed.document.passages),
        "citations": len(processed.extraction.citations),
        "base_rss_mb": round(base_rss / 1024, 1),
        "peak_rss_mb": round(peak_rss_kb() / 1024, 1),
        "stages": {"read": round(read_s, 3)} | {k: round(v, 3) for k, v in times.items()},
    }
    if profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(35)
        result["profile"] = out.getvalue()
    return result


def _child(case: str, mb: float, profile: bool, workdir: Path, timeout: float) -> dict[str, Any]:
    size = int(mb * MB)
    path = workdir / f"{case}-{mb:g}MB{SUFFIX.get(case, '.txt')}"
    path.write_text(case_text(case, size), encoding="utf-8")  # the text is not kept here
    cmd = [sys.executable, __file__, "--child", str(path)] + (
        ["--child-profile"] if profile else []
    )
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"case": case, "mb": mb, "error": f"timed out after {timeout:g} s"}
    finally:
        path.unlink(missing_ok=True)
    if done.returncode != 0:
        return {"case": case, "mb": mb, "error": done.stderr.strip().splitlines()[-1:]}
    return {"case": case, "mb": mb} | json.loads(done.stdout)


def _print_row(row: dict[str, Any]) -> None:
    if "error" in row:
        print(f"{row['case']:<12} {row['mb']:>6g}  ERROR {row['error']}")
        return
    print(
        f"{row['case']:<12} {row['mb']:>6g} {row['seconds']:>8.2f} {row['mb_per_s']:>7.2f}"
        f" {row['cpu_s']:>7.2f} {row['cpu_mb_per_s']:>7.2f}"
        f" {row['passages']:>9} {row['citations']:>6} {row['peak_rss_mb']:>8.0f}"
        f" {row['base_rss_mb']:>8.0f}"
    )
    stages = "  ".join(f"{k}={v:.2f}" for k, v in row["stages"].items() if v >= 0.005)
    print(f"{'':>20} stages: {stages}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0.25,1,5", help="MB, comma separated")
    parser.add_argument("--large", action="store_true", help="add 20 and 50 MB")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--profile", metavar="CASE:MB", help="cProfile one case instead")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per case")
    parser.add_argument("--json", type=Path, help="write the rows as JSON here")
    parser.add_argument("--write-texts", type=Path, metavar="DIR", help="only write the texts")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child is not None:
        print(json.dumps(run_case(args.child, args.child_profile)))
        return 0
    sizes = [float(s) for s in args.sizes.split(",") if s]
    if args.large:
        sizes += [20.0, 50.0]
    cases = [c for c in args.cases.split(",") if c]
    if args.write_texts is not None:
        args.write_texts.mkdir(parents=True, exist_ok=True)
        for case in cases:
            for mb in sizes:
                name = f"{case}-{mb:g}MB{SUFFIX.get(case, '.txt')}"
                (args.write_texts / name).write_text(case_text(case, int(mb * MB)), "utf-8")
        return 0
    with tempfile.TemporaryDirectory(prefix="cancu-bench-") as tmp:
        if args.profile:
            case, mb = args.profile.split(":")
            row = _child(case, float(mb), True, Path(tmp), args.timeout)
            print(row.pop("profile", row))
            return 0
        print(f"{'case':<12} {'MB':>6} {'seconds':>8} {'MB/s':>7} {'cpu s':>7} {'cpuMB/s':>7}"
              f" {'passages':>9} {'cites':>6}"
              f" {'peak MB':>8} {'base MB':>8}")  # fmt: skip
        rows = []
        for case in cases:
            for mb in sizes:
                row = _child(case, mb, False, Path(tmp), args.timeout)
                _print_row(row)
                rows.append(row)
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
