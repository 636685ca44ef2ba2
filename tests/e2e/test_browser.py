"""The web page in headless Debian chromium (playwright drives it; the browser is the
system one, never downloaded): search, open a hit's document, a legal document with its
timeline, the graph explorer (expanding a node; its library loaded only when it opens), the
SPARQL page, the find box landing on each kind of page, the overview's charts (drawn by
plotly.js, served by our server) and their table views against the API. No request may leave the host and no JS error may
occur. Screenshots go to $CANCU_SCREENSHOTS, else tests/artifacts/."""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from api_fixtures import free_port, home_copy, start_server, stop_server, wait_ready
from paths import ARTIFACTS as DEFAULT_ARTIFACTS

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("CANCU_SCREENSHOTS") or DEFAULT_ARTIFACTS)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium is absent: run .ci/install-browser.sh"
    ),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    home, log, port = home_copy(root / "home"), root / "server.log", free_port()
    proc = start_server(home, port, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc, log)
        yield url
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def page(base: str) -> Iterator:  # noqa: ANN401 - playwright's Page
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        # Only our own server: any other host would mean a CDN or a leak.
        foreign: list[str] = []
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                      else (foreign.append(route.request.url), route.abort()))  # fmt: skip
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        # Console errors too: a failed load (404) or an unhandled rejection shows there.
        pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        pg.set_default_timeout(30_000)
        yield pg
        browser.close()
        assert not errors, errors
        assert not foreign, foreign


def ready(page, prefix: str) -> None:  # noqa: ANN001
    page.wait_for_selector(f'body[data-ready^="{prefix}"]')


def test_search_then_document(page, base: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/")
    ready(page, "/")
    page.fill('input[name="q"]', "Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?")
    page.press('input[name="q"]', "Enter")
    page.wait_for_selector("#result-count")
    ready(page, "/")
    answer = page.inner_text("#answer")
    assert "112/KH-UBND" in answer and "87/KH-UBND" in answer
    assert page.locator("#answer mark.answer").count() >= 1
    assert page.locator(".hit").count() >= 3
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)

    # A plain query with a province filter: every hit from that province, sentence marked.
    page.goto(
        f"{base}/#/?q=trung+t%C3%A2m+t%C3%ADch+h%E1%BB%A3p+d%E1%BB%AF+li%E1%BB%87u&province=T%C3%A2y+Ninh"
    )
    page.wait_for_selector("#result-count")
    assert page.locator(".hit mark.answer").count() >= 1
    assert all("Tây Ninh" in m for m in page.locator(".hit .meta").all_inner_texts())
    page.screenshot(path=str(ARTIFACTS / "search_filtered.png"), full_page=False)

    page.locator("a.hit-link").first.click()
    ready(page, "/doc/")
    assert "112/KH-UBND" in page.inner_text("h1")
    assert page.locator("#basis a.legal-link").count() >= 2
    assert page.locator(".passage.target").count() == 1  # the hit's passage, scrolled to
    page.screenshot(path=str(ARTIFACTS / "document.png"), full_page=True)


def test_legal_document_page(page, base: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/#/doc/kh_ha_giang_2018")
    ready(page, "/doc/")
    page.locator("#basis a.legal-link", has_text="36a/NQ-CP").click()
    ready(page, "/legal/")
    assert "36a/NQ-CP" in page.inner_text("h1")
    assert page.locator("#cited-by tbody tr").count() == 2
    conflicts = page.inner_text("#conflicts")
    assert "2015-10-14" in conflicts and "2016-10-14" in conflicts
    page.screenshot(path=str(ARTIFACTS / "legal.png"), full_page=True)


def test_graph_explorer_expands_on_click(page, base: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/#/doc/kh_tay_ninh_2019")
    ready(page, "/doc/")
    page.get_by_text("Xem trên đồ thị").click()
    ready(page, "/graph")
    page.wait_for_function("window.cancuGraph && window.cancuGraph.nodes.length > 3")
    page.wait_for_timeout(1500)  # let the layout settle before clicking a node
    before = page.evaluate("window.cancuGraph.nodes.length")
    decree = "https://cancu.vn/eli/vn/cp/2007/nd/64"
    pos = page.evaluate(
        """(id) => { const g = window.cancuGraph; const p = g.network.getPosition(id);
                     const d = g.network.canvasToDOM(p); const r = document.querySelector('#graph').getBoundingClientRect();
                     return { x: r.left + d.x, y: r.top + d.y }; }""",
        decree,
    )
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_function(f"window.cancuGraph.nodes.length > {before}")
    assert "64/2007/NĐ-CP" in page.inner_text("#graph-side")
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "graph.png"), full_page=False)
    page.click("#open-legal")
    ready(page, "/legal/")
    assert "64/2007/NĐ-CP" in page.inner_text("h1")


def test_sparql_page(page, base: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/#/sparql")
    page.wait_for_selector("#sparql-results table")
    page.get_by_role("button", name="Kinh phí theo cơ quan chủ trì").click()
    page.wait_for_selector("#sparql-results th:has-text('total_million_vnd')")
    assert page.locator("#sparql-results tbody tr").count() >= 2
    page.screenshot(path=str(ARTIFACTS / "sparql.png"), full_page=True)


def test_openapi_docs_render_offline(page, base: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/docs")
    page.wait_for_selector(".swagger-ui .opblock-summary-path >> text=/sparql")
    assert page.locator(".swagger-ui .opblock").count() >= 20
    page.screenshot(path=str(ARTIFACTS / "docs.png"), full_page=False)


def test_find_box_opens_the_page(page, base: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/#/docs")
    ready(page, "/docs")
    page.locator("#find").press_sequentially("Nghị định 64", delay=20)
    page.wait_for_selector(".suggest-list li.active")
    page.screenshot(path=str(ARTIFACTS / "suggest.png"), full_page=False)
    page.press("#find", "Enter")
    ready(page, "/legal/")
    assert "64/2007/NĐ-CP" in page.inner_text("h1")

    # The explorer's own box centres the graph on the chosen node and its neighbours.
    page.goto(f"{base}/#/graph")
    ready(page, "/graph")
    page.locator("#graph-find").press_sequentially("64-2007-nd-cp", delay=20)
    page.wait_for_selector("#graph-find ~ .suggest-list li.active")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.press("#graph-find", "Enter")
    page.wait_for_function("window.cancuGraph && window.cancuGraph.nodes.length > 1")
    assert "cp/2007/nd/64" in page.evaluate("decodeURIComponent(location.hash)")


GRAPH_LIBRARY = "/static/vendor/vis-network.min.js"


def test_graph_library_loads_only_with_the_explorer(page, base: str) -> None:  # noqa: ANN001
    """vis-network (~470 KB) is asked for when the explorer opens, never by the overview or
    the other pages, and once per page however often the explorer opens."""
    errors: list[str] = []
    asked: list[str] = []

    def fresh_page():  # noqa: ANN202 - playwright's Page
        pg = page.context.new_page()
        pg.set_default_timeout(30_000)
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        pg.on("request", lambda req: asked.append(req.url) if req.url.endswith(GRAPH_LIBRARY) else None)  # fmt: skip
        return pg

    pg = fresh_page()
    try:
        pg.goto(f"{base}/")
        ready(pg, "/")
        pg.wait_for_function("window.cancuOverview")
        pg.goto(f"{base}/#/doc/kh_tay_ninh_2019")
        ready(pg, "/doc/")
        assert asked == [] and pg.evaluate("typeof window.vis") == "undefined"
        pg.get_by_text("Xem trên đồ thị").click()
        ready(pg, "/graph")
        pg.wait_for_function("window.cancuGraph && window.cancuGraph.nodes.length > 3")
        assert len(asked) == 1
        # Away and back in the same page: a new explorer, drawn without asking again.
        pg.evaluate("window.cancuGraph = null; location.hash = '#/docs'")
        ready(pg, "/docs")
        decree = quote("https://cancu.vn/eli/vn/cp/2007/nd/64", safe="")
        pg.evaluate(f"location.hash = '#/graph?uri={decree}'")
        pg.wait_for_function("window.cancuGraph && window.cancuGraph.nodes.length > 1")
        assert len(asked) == 1
    finally:
        pg.close()

    # A first visit straight to the empty explorer asks for it at once (it loads while the
    # user types); a suggestion then centres the graph.
    asked.clear()
    pg = fresh_page()
    try:
        pg.goto(f"{base}/#/graph")
        ready(pg, "/graph")
        pg.wait_for_function("typeof (window.vis && window.vis.Network) === 'function'")
        assert len(asked) == 1
        choose(pg, "#graph-find", "64-2007-nd-cp")
        pg.wait_for_function("window.cancuGraph && window.cancuGraph.nodes.length > 1")
        assert "cp/2007/nd/64" in pg.evaluate("decodeURIComponent(location.hash)")
        assert len(asked) == 1
    finally:
        pg.close()
    assert not errors, errors


def get_json(base: str, path: str) -> Any:  # noqa: ANN401 - JSON
    with urllib.request.urlopen(base + path) as resp:  # noqa: S310 - our own server
        return json.load(resp)


def choose(page, box: str, typed: str, url: str | None = None) -> None:  # noqa: ANN001
    """Type into a find box; pick the suggestion that opens ``url`` (else the first)."""
    page.locator(box).fill("")
    page.locator(box).press_sequentially(typed, delay=15)
    page.wait_for_selector(f"{box} ~ .suggest-list li.active")
    if url is None:
        page.press(box, "Enter")
    else:
        page.locator(f'{box} ~ .suggest-list li[data-url="{url}"]').dispatch_event("mousedown")


def test_find_box_lands_on_each_kind(page, base: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/#/docs")
    ready(page, "/docs")
    for typed in ("64-2007-nd-cp", "Nghị định 64"):  # a slug, a short form
        choose(page, "#find", typed)
        ready(page, "/legal/")
        assert "64/2007/NĐ-CP" in page.inner_text("h1"), typed

    # A law by its name lands on that law's page.
    law = next(r for r in get_json(base, "/overview/most-cited")["items"] if r["title"])
    choose(page, "#find", law["title"])
    ready(page, "/legal/")
    assert law["number"] in page.inner_text("h1")
    page.screenshot(path=str(ARTIFACTS / "find_law.png"), full_page=False)

    # An agency by its alias opens the agency's page: its plans, projects and tasks.
    # (an alias that is not the name in other letter case, such as "Sở TT&TT").
    agency, alias = next(
        (a, alias)
        for a in get_json(base, "/agencies?limit=200")["items"]
        for alias in a["aliases"]
        if alias.casefold() != a["name"].casefold()
    )
    key = agency["uri"].removeprefix("https://cancu.vn/org/")
    choose(page, "#find", alias, url=f"/#/agency/{key}")
    ready(page, "/agency/")
    assert agency["name"] in page.inner_text("h1")
    assert alias in page.inner_text("main")
    api = get_json(base, f"/agencies/{key}")
    assert page.locator("#agency-plans tbody tr").count() == len(api["plans"]) >= 1
    assert page.locator("#agency-tasks li").count() == len(api["responsibilities"])
    page.screenshot(path=str(ARTIFACTS / "agency.png"), full_page=True)


def test_legal_page_timeline(page, base: str) -> None:  # noqa: ANN001
    number = "64/2007/NĐ-CP"
    page.goto(f"{base}/#/legal/{quote(number, safe='')}")
    ready(page, "/legal/")
    status = get_json(base, f"/legal/{quote(number, safe='')}")["status"]
    dated = [e for e in status["timeline"] if e.get("date")]
    assert dated, "the fixture plans date their citations"
    events = page.locator("#timeline .tl-event")
    assert events.count() == len(dated)
    assert page.locator("#timeline .tl-event.cited").count() == sum(
        e["event"] == "cited" for e in dated
    )
    page.locator("#legal-status").screenshot(path=str(ARTIFACTS / "legal_timeline.png"))


# Each chart card, the route behind it and how one API row reads in the chart:
# (category label, {series name: value key}).
CHARTS: dict[str, tuple[str, str, dict[str, str]]] = {
    "most-cited": ("/overview/most-cited?limit=15", "number", {"làm căn cứ": "basis", "chỉ nhắc đến": "mention"}),
    "citations-by-year": ("/overview/citations-by-year?by=plan", "year", {"làm căn cứ": "basis", "chỉ nhắc đến": "mention"}),
    "citations-by-cited-year": ("/overview/citations-by-year?by=cited", "year", {"làm căn cứ": "basis", "chỉ nhắc đến": "mention"}),
    "budgets-province": ("/overview/budgets?by=province", "province", {"triệu đồng": "total_vnd_million"}),
    "budgets-agency": ("/overview/budgets?by=agency", "name", {"triệu đồng": "total_vnd_million"}),
    "budgets-year": ("/overview/budgets?by=year", "year", {"triệu đồng": "total_vnd_million"}),
}  # fmt: skip


def table_rows(page, card: str) -> list[list[str]]:  # noqa: ANN001
    page.locator(f"#chart-{card} details.table-view summary").click()
    return [
        r.locator("td").all_inner_texts()
        for r in page.locator(f"#chart-{card} details.table-view tbody tr").all()
    ]


def vi_number(value: float) -> str:
    """A number as the page writes it (vi-VN: 93.969 and 4,5)."""
    return f"{value:,}".replace(",", " ").replace(".", ",").replace(" ", ".")


def test_overview_charts_and_table_views(page, base: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/")
    ready(page, "/")
    page.wait_for_function("window.cancuOverview")
    drawn = page.evaluate("window.cancuOverview")
    for card, (route, label, series) in CHARTS.items():
        items = get_json(base, route)["items"][: 15 if card == "budgets-agency" else None]
        figure = page.evaluate(
            """(id) => { const el = document.querySelector(`#chart-${id} .plot`);
                 return el && el.data ? el.data.map((t) => ({ name: t.name,
                   labels: t.orientation === "h" ? t.y : t.x, values: t.orientation === "h" ? t.x : t.y })) : null; }""",
            card,
        )
        if not items:  # the card says so, with no chart
            assert figure is None and "Không có dữ liệu" in page.inner_text(f"#chart-{card}")
            continue
        # The library drew it: an SVG with one bar per row and series, labels in Vietnamese.
        assert figure is not None, card
        assert page.locator(f"#chart-{card} svg.main-svg .trace.bars .point").count() >= 1
        for trace in figure:
            key = series[trace["name"]] if len(series) > 1 else next(iter(series.values()))
            assert trace["values"] == [r[key] for r in items], (card, trace["name"])
            assert len(trace["labels"]) == len(items)
        if len(series) > 1:
            legend = page.locator(f"#chart-{card} .legendtext").all_text_contents()
            assert legend == list(series), (card, legend)
        # The table view holds the same rows: label first, values as the page writes them.
        rows = table_rows(page, card)
        assert len(rows) == len(items), card
        for row, item in zip(rows, items, strict=True):
            shown = item.get(label) or item.get("title") or item.get("agency")
            if card == "budgets-agency" and item["province"]:
                shown = f"{shown} ({item['province']})"
            assert row[0] == str(shown), (card, row, item)
            for key in series.values():
                assert vi_number(item[key]) in row, (card, key, row)
    # Budget rows whose plans state a table total that disagrees with their rows are marked.
    marked = [
        r for r in get_json(base, "/overview/budgets?by=province")["items"] if r["mismatches"]
    ]
    assert page.locator("#chart-budgets-province td .warning").count() == len(marked)

    indicator = get_json(base, "/overview/indicator")
    goals = [t for t in indicator["items"] if t["kind"] == "goal" and t["unit"] == indicator["unit"]
             and isinstance(t["value"], int | float)]  # fmt: skip
    points = page.evaluate(
        "(() => { const el = document.querySelector('#chart-indicator .plot');"
        " return el && el.data ? el.data.reduce((n, t) => n + t.y.length, 0) : 0; })()"
    )
    assert points == len(goals)
    assert len(table_rows(page, "indicator")) == len(indicator["items"])
    assert drawn["charts"] == page.locator("#overview .plot[data-rendered]").count() >= 4
    (ARTIFACTS / "overview_timing.json").write_text(json.dumps(drawn))
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

    # A click on a bar opens the page behind it (here: the most-cited document's page).
    first = get_json(base, "/overview/most-cited?limit=15")["items"][0]
    page.locator("#chart-most-cited .trace.bars .point path").first.click(force=True)
    ready(page, "/legal/")
    assert first["number"] in page.inner_text("h1")
