"""Coverage of the legal status table over the plans' legal basis.

    python bench/legal_coverage.py [--plans DIR] [--table FILE] [--json]

Each plan goes through the library as ``cancu ingest`` does (``ingest.read.read_path`` ->
``ingest.pipeline.process_source``), then ``check_basis`` classifies its legal basis
against the status table (default ``corpus/national/legal_status.csv``). Printed:

* per plan: its date, the share of legal-basis items classified (not ``unknown``), each
  unknown item (number, type, title), and each item no longer in force on the plan's date
  with its evidence (since when, what replaced it, the sources);
* over all plans: the share of distinct national documents cited (basis or not) whose
  status is known with a source (``LegalStatus.known``), and the national ones still
  unknown. Provincial documents (UBND, HĐND, Tỉnh ủy, Sở) count in the per-plan share but
  not in the national figure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.lang.legal_status import (  # noqa: E402
    StatusTable,
    check_basis,
    is_national,
    load_status_table,
)
from ingest.pipeline import process_source  # noqa: E402
from ingest.read import read_path  # noqa: E402

REQUIRED_SHARE = 0.6


def plan_report(path: Path, table: StatusTable) -> dict[str, Any]:
    """One plan: its checked basis, the share classified, unknown and ended items."""
    extraction = process_source(read_path(path)[0]).extraction_json
    checked = check_basis(extraction, table)
    cited = {c.get("number"): c for c in extraction["citations"] if c.get("number")}
    basis = checked["basis"]
    classified = [item for item in basis if item["status"] != "unknown"]
    unknown = [
        {
            "number": item["number"],
            "type": (cited.get(item["number"]) or {}).get("doc_type"),
            "title": item["title"],
            "national": bool(item["number"]) and is_national(item["number"]),
        }
        for item in basis
        if item["status"] == "unknown"
    ]
    ended = [
        {key: item[key] for key in ("number", "title", "since", "replaced_by", "source")}
        for item in basis
        if item["status"] == "not_in_force"
    ]
    return {
        "plan": path.name,
        "document": checked["document"],
        "date": checked["date"],
        "date_source": checked["date_source"],
        "basis": len(basis),
        "classified": len(classified),
        "share": round(len(classified) / len(basis), 3) if basis else None,
        "unknown": unknown,
        "not_in_force": ended,
        "date_conflicts": [
            {"number": item["number"], **item["date_conflict"]}
            for item in basis
            if "date_conflict" in item
        ],
        "citations": [
            (c["number"], c.get("date"), c.get("title")) for c in extraction["citations"]
        ],
    }


def national_coverage(reports: list[dict[str, Any]], table: StatusTable) -> dict[str, Any]:
    """Distinct national documents cited by the plans, and how many have a known status.

    A document is the table row a citation resolves to (so one document cited with two
    dates counts once); a citation without a row is its own document."""
    documents: dict[tuple[str, str | None], bool] = {}
    for report in reports:
        for number, cited_date, title in report["citations"]:
            if not number or not is_national(number):
                continue
            row = table.find(number, cited_date, title)
            key = (row.number, row.year) if row else (number, None)
            documents[key] = documents.get(key, False) or bool(row and row.known)
    unknown = sorted(
        f"{num}" + (f" ({year})" if year else "") for (num, year), ok in documents.items() if not ok
    )
    known = sum(documents.values())
    return {
        "distinct": len(documents),
        "known": known,
        "share": round(known / len(documents), 3) if documents else None,
        "unknown": unknown,
    }


def print_text(reports: list[dict[str, Any]], national: dict[str, Any]) -> None:
    for r in reports:
        mark = "ok" if r["share"] is not None and r["share"] >= REQUIRED_SHARE else "BELOW"
        print(
            f"{r['plan']}  {r['document']}  {r['date']} ({r['date_source']})  "
            f"basis classified {r['classified']}/{r['basis']} = {r['share']}  [{mark}]"
        )
        for item in r["unknown"]:
            scope = "" if item["national"] else "  [provincial]"
            print(f"    unknown       {item['number']}  {item['type']}  {item['title']}{scope}")
        for item in r["not_in_force"]:
            replaced = ", ".join(item["replaced_by"]) or "-"
            print(
                f"    NOT IN FORCE  {item['number']} since {item['since']}, replaced by "
                f"{replaced}; evidence: {' '.join(item['source'])}"
            )
        for conflict in r["date_conflicts"]:
            print(
                f"    date conflict {conflict['number']}: cited {conflict['cited']}, "
                f"official {conflict['official']}"
            )
    print(
        f"distinct national documents cited: {national['distinct']}, status known with a "
        f"source: {national['known']} = {national['share']}"
    )
    print(f"  unknown: {', '.join(national['unknown'])}")
    ended = [r["plan"] for r in reports if r["not_in_force"]]
    print(f"plans with basis items no longer in force at signing: {', '.join(ended) or 'none'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=Path, default=ROOT / "corpus" / "plans")
    parser.add_argument(
        "--table", type=Path, default=ROOT / "corpus" / "national" / "legal_status.csv"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    table = load_status_table(args.table)
    reports = [plan_report(path, table) for path in sorted(args.plans.glob("*.txt"))]
    national = national_coverage(reports, table)
    if args.json:
        for report in reports:
            report.pop("citations")
        print(json.dumps({"plans": reports, "national": national}, ensure_ascii=False, indent=2))
    else:
        print_text(reports, national)
    return 0 if all((r["share"] or 0) >= REQUIRED_SHARE for r in reports) else 1


if __name__ == "__main__":
    raise SystemExit(main())
