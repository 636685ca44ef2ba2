"""The web page in headless Debian chromium (playwright drives it; the browser is the
system one, never downloaded): search, open a hit's document, a legal document, the
graph explorer (expanding a node), the SPARQL page. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_fixtures import free_port, home_copy, start_server, stop_server, wait_ready
from paths import ARTIFACTS

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ARTIFACTS
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

    ARTIFACTS.mkdir(exist_ok=True)
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


def test_overview_charts_and_table_views(page, base: str) -> None:  # noqa: ANN001
    import json
    import urllib.request

    page.goto(f"{base}/")
    ready(page, "/")
    for chart in ("most-cited", "citations-by-year", "budgets-province"):
        assert page.locator(f"#chart-{chart} svg.bars rect.bar").count() >= 1, chart
    # The fixture plans state no budget year: the card is there, without bars.
    assert page.locator("#chart-budgets-year, #chart-indicator").count() == 2
    with urllib.request.urlopen(f"{base}/overview/most-cited?limit=15") as resp:  # noqa: S310 - our server
        items = json.load(resp)["items"]
    page.locator("#chart-most-cited summary").click()
    rows = page.locator("#chart-most-cited table tbody tr")
    assert rows.count() == len(items)
    first = rows.first.locator("td").all_inner_texts()
    assert first[0] == (items[0]["number"] or items[0]["title"])
    assert [int(c) for c in first[2:5]] == [
        items[0]["basis"],
        items[0]["mention"],
        items[0]["cited_by"],
    ]
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
