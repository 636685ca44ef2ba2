"""Plain-text renderings for the CLI (pure functions: data in, text out)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ingest.errors import CancuError


def dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def kv_text(data: dict[str, Any]) -> str:
    width = max((len(k) for k in data), default=0)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in data.items())


def table_text(rows: list[dict[str, Any]], max_width: int = 60) -> str:
    """A fixed-width table of dict rows (cells cut to ``max_width``)."""
    if not rows:
        return "(no rows)"
    cols = list(dict.fromkeys(k for r in rows for k in r))

    def cell(v: Any) -> str:
        s = "" if v is None else (dump(v) if isinstance(v, (dict, list)) else str(v))
        s = " ".join(s.split())
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    grid = [[cell(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(g[i]) for g in grid)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(g, widths, strict=True)) for g in grid]
    return "\n".join(lines)


def ingest_summary(report: Any, stats: dict[str, Any], most_cited: list[dict[str, Any]]) -> str:
    lines = [
        f"ingested {len(report.documents)} documents in {report.seconds:.1f}s "
        f"({len(report.added)} new, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.errors)} skipped); {report.passages_indexed} passages indexed",
        "",
        kv_text(stats),
    ]
    if most_cited:
        lines += ["", "most-cited documents:", table_text(most_cited)]
    return "\n".join(lines)


def extraction_text(result: dict[str, Any]) -> str:
    doc = result["document"]
    lines = [f"{result['source']}", kv_text({k: v for k, v in doc.items() if k != "attached_plan"})]
    if doc.get("attached_plan"):
        lines += ["attached plan:", kv_text(doc["attached_plan"])]
    lines.append(f"\n{len(result['citations'])} citations:")
    for c in result["citations"]:
        basis = "căn cứ" if c["in_basis"] else "dẫn chiếu"
        lines.append(f"  [{basis}] {c['doc_type'] or '?'} {c['number'] or '(no number)'} {c['date'] or ''} "
                     f"{c['issuer'] or ''} x{len(c['mentions'])}")  # fmt: skip
    lines.append(
        f"{len(result['agencies'])} agencies, {len(result['projects'])} projects, {len(result['targets'])} targets"
    )
    return "\n".join(lines)


def cited_by_text(number: str, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return f"no ingested document cites {number}"
    lines = [f"{len(rows)} citing passages of {number}:"]
    for r in rows:
        basis = "căn cứ" if r.get("in_basis") else "dẫn chiếu"
        citing = r.get("citing_document") or {}
        label = " ".join(x for x in (citing.get("doc_type"), citing.get("number")) if x)
        label = label or r.get("doc_id") or ""
        where = ", ".join(x for x in (citing.get("province"), r.get("stated_date")) if x)
        lines.append(f"- {label} [{r.get('doc_id')}] ({where}) [{basis}]")
        if r.get("quote"):
            lines.append(
                f"    “{r['quote']}”  [{r.get('passage_id', '')} {r.get('start', '')}-{r.get('end', '')}]"
            )
    return "\n".join(lines)


def citations_text(doc: str, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return f"no citations found for {doc}"
    return table_text(rows)


def responsibilities_text(found: dict[str, Any]) -> str:
    """``graph.queries.agency_responsibilities``'s record: its roles, then its projects."""
    if not found.get("uris"):
        return f"no agency named {found.get('agency')} in the graph"
    return "\n\n".join(
        [
            f"{found['agency']}: {', '.join(found['uris'])}",
            "responsibilities:\n" + table_text(found.get("responsibilities") or []),
            "projects:\n" + table_text(found.get("projects") or []),
        ]
    )


def article_label(article_id: object) -> str:
    """The label of an article id ("Điều 13"), whether stored as "13" (ALQAC) or "Điều 13"."""
    text = str(article_id or "").strip()
    return text if not text or text.lower().startswith("điều") else f"Điều {text}"


def hits_text(hits: list[Any]) -> str:
    if not hits:
        return "no results"
    lines = []
    for h in hits:
        j = h.to_json()
        where = article_label(j.get("article_id")) or j.get("section") or ""
        lines.append(
            f"{j['rank']:>2}. [{j['score']:.3f}] {j['doc_id']}  {where}  ({j['start']}-{j['end']})"
        )
        text = " ".join(j["text"].split())
        lines.append(f"    {text[:300]}{'…' if len(text) > 300 else ''}")
    return "\n".join(lines)


def answer_text(answer: dict[str, Any]) -> str:
    """The answer, then each piece of evidence: its passage and span, and the sentence
    that answers (the highlight, with its span in the document) when there is one, else
    the passage's opening (a long passage's answer may lie past what is shown)."""
    lines = [answer.get("answer") or "(no answer)", ""]
    for ev in answer.get("evidence", []):
        lines.append(
            f"- {ev.get('doc_id')} [{ev.get('passage_id')} {ev.get('start')}-{ev.get('end')}]"
        )
        mark = ev.get("highlight") or {}
        if mark.get("text"):
            lines.append(
                f"    at {mark.get('doc_start')}-{mark.get('doc_end')}: "
                f"“{' '.join(mark['text'].split())[:400]}”"
            )
        elif ev.get("quote"):
            lines.append(f"    “{' '.join(ev['quote'].split())[:400]}”")
    return "\n".join(lines)


def sparql_result(result: Any, fmt: str) -> str:
    if fmt == "json":
        return _text(result.to_sparql_json())
    if fmt == "csv":
        return _text(result.to_csv())
    if fmt == "tsv":
        return _text(result.to_tsv())
    if fmt == "xml":
        return _text(result.to_sparql_xml())
    if getattr(result, "boolean", None) is not None:
        return str(result.boolean).lower()
    if getattr(result, "graph", None) is not None:
        return _text(result.graph.serialize(format="turtle"))
    return table_text(result.rows)


def _text(data: str | bytes) -> str:
    return data.decode("utf-8") if isinstance(data, bytes) else data


def run_batch(ws: Any, batch: Path, *, k: int, mode: str, filters: Any) -> list[str]:
    """``{"id","query"}`` per input line -> ``{"id","results"}`` per output line."""
    lines = []
    for n, raw in enumerate(batch.read_text("utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
            qid, query = item["id"], item["query"]
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise CancuError(f'{batch}:{n}: expected {{"id", "query"}} JSON ({err})') from None
        hits = ws.search(query, k=k, mode=mode, filters=filters)
        lines.append(
            json.dumps({"id": qid, "results": [h.to_json() for h in hits]}, ensure_ascii=False)
        )
    return lines
