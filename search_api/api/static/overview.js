/* cancu web page: the overview shown on the landing view (no query). Each chart is drawn
 * by plotly.js from one /overview/* route, with a table view of the same data and a link
 * to the filtered list (or the page) behind each bar. plotly.js is served by this server at
 * /static/vendor/plotly.min.js (its basic bundle from npm, else the full one from the
 * `plotly` Python package): no CDN.
 * Every chart div keeps its figure on `el.data` (plotly's own), which the tests read. */
"use strict";

const SERIES_COLORS = { basis: "#1e7d45", mention: "#1f5fbf", budget: "#8a4bd6", warn: "#c0392b" };
const YEAR_COLORS = ["#c77700", "#1f5fbf", "#1e7d45", "#8a4bd6", "#b3261e", "#0f8b8d", "#6b7280"];
const CHART_FONT = '"Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif';

/* plotly.js, loaded once on first use (only the overview needs it). */
let plotlyLoading = null;
let plotlyReadyMs = null; // when the library had loaded and run (ms since navigation)
function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!plotlyLoading) {
    plotlyLoading = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = "/static/vendor/plotly.min.js";
      s.onload = () => { plotlyReadyMs = Math.round(performance.now()); resolve(window.Plotly); };
      s.onerror = () => { plotlyLoading = null; reject(new Error("không tải được thư viện biểu đồ (/static/vendor/plotly.min.js)")); };
      document.head.append(s);
    });
  }
  return plotlyLoading;
}

/* The overview's routes, asked for as soon as the landing view starts (before the search
 * form's facets), each answer used once. */
const OVERVIEW_ROUTES = ["/overview/most-cited?limit=15", "/overview/citations-by-year?by=plan", "/overview/citations-by-year?by=cited",
  "/overview/budgets?by=province", "/overview/budgets?by=agency", "/overview/budgets?by=year", "/overview/indicator"];
const overviewAsked = new Map();
function prefetchOverview() {
  loadPlotly().catch(() => {}); // an error shows where the charts would be
  for (const path of OVERVIEW_ROUTES) {
    if (overviewAsked.has(path)) continue;
    const asked = getJSON(path);
    asked.catch(() => {}); // a failure is shown by the card that uses it
    overviewAsked.set(path, asked);
  }
}
function overviewJSON(path) {
  const asked = overviewAsked.get(path);
  overviewAsked.delete(path);
  return asked || getJSON(path);
}

const short = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);
const viNumber = (v) => (typeof v === "number" ? v.toLocaleString("vi-VN") : String(v ?? "—"));

/* Category labels must be unique factors: a repeated one gets " (2)", " (3)"... */
function uniqueLabels(labels) {
  const seen = new Map();
  return labels.map((l) => {
    const n = (seen.get(l) || 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} (${n})`;
  });
}

/* A chart: a div that `drawPlots` fills once it is in the page (plotly sizes a plot from
 * its container). `spec`: {orient: "h" | "v", labels, series: [{name, color, values}],
 * urls (a click on a bar opens it), warn (text beside a marked bar), xTitle, yTitle} or
 * {orient: "g", categories, groups: [{name, color, values by category}], yTitle}. */
function plotBox(spec, title) {
  const el = h("div", { class: "plot", role: "img", "aria-label": title });
  el.pendingPlot = spec;
  el.dataset.points = String(spec.orient === "g" ? spec.groups.reduce((n, g) => n + g.values.filter((v) => v !== null).length, 0) : spec.labels.length);
  return el;
}

const AXIS = { automargin: true, gridcolor: "#e3e7ef", zerolinecolor: "#c5cbd8" };

/* Margins wide enough for the tick labels, the axis title and the legend, measured before
 * drawing: plotly's automargin (kept on, for whatever this misses) would otherwise grow them
 * by drawing each chart a second time (the seven charts took ~390 ms to draw instead of ~220
 * on a first visit; bench/bench_page.py counts the charts it still widens). */
const textCanvas = document.createElement("canvas").getContext("2d");
function textWidth(texts) {
  textCanvas.font = `12px ${CHART_FONT}`;
  return Math.ceil(Math.max(0, ...texts.map((t) => textCanvas.measureText(String(t)).width)));
}
/* The widest value tick: a power of ten above the largest value ("100.000" for 93.969). */
const valueTick = (values) => viNumber(10 ** String(Math.round(Math.max(1, ...values.map((v) => Math.abs(Number(v) || 0))))).length);
function chartMargin({ left, leftTitle, categories, legend, bottom = 40 }) {
  return { l: textWidth(left) + (categories ? 30 : 14) + (leftTitle ? 20 : 0), r: 30, t: legend ? 50 : 36, b: bottom };
}

/* Stacked bars, one trace per series; a marked bar gets a red edge and its `warn` text. */
function barFigure(spec) {
  const horizontal = spec.orient === "h";
  const labels = uniqueLabels(spec.labels.map((l) => short(String(l ?? "—"), 44)));
  const warned = spec.warn && spec.warn.some(Boolean);
  const last = spec.series.length - 1;
  const traces = spec.series.map((se, i) => {
    const values = se.values.map((v) => Number(v) || 0);
    return { type: "bar", orientation: horizontal ? "h" : "v", name: se.name, [horizontal ? "y" : "x"]: labels, [horizontal ? "x" : "y"]: values,
      customdata: spec.urls || labels.map(() => ""), cliponaxis: false,
      marker: { color: se.color, line: warned ? { color: spec.warn.map((w) => (w ? SERIES_COLORS.warn : se.color)), width: spec.warn.map((w) => (w ? 3 : 0)) } : { width: 0 } },
      text: warned && i === last ? spec.warn.map((w) => w || "") : undefined, textposition: warned && i === last ? "outside" : undefined,
      textfont: { color: SERIES_COLORS.warn, size: 11 },
      hovertemplate: `%{${horizontal ? "y" : "x"}}<br>${se.name}: %{${horizontal ? "x" : "y"}:,}<extra></extra>` };
  });
  const value = { ...AXIS, tickformat: ",d", rangemode: "tozero", title: { text: (horizontal ? spec.xTitle : spec.yTitle) || "" } };
  const category = { ...AXIS, type: "category", title: { text: (horizontal ? spec.yTitle : spec.xTitle) || "" }, ...(horizontal ? { autorange: "reversed" } : {}) };
  const legend = spec.series.length > 1;
  const margin = chartMargin({ left: horizontal ? labels : [valueTick(spec.series.flatMap((se) => se.values))],
    categories: horizontal, leftTitle: spec.yTitle, legend, bottom: 46 });
  return [traces, { barmode: "stack", showlegend: legend, height: horizontal ? Math.max(170, 80 + labels.length * 24) : 320, margin,
    xaxis: horizontal ? value : category, yaxis: horizontal ? category : value }];
}

/* Grouped vertical bars: categories (provinces) on the axis, one colour per group (year). */
function groupedFigure(spec) {
  const traces = spec.groups.map((g) => {
    const keep = spec.categories.map((c, i) => [c, g.values[i]]).filter(([, v]) => v !== null);
    return { type: "bar", name: g.name, x: keep.map(([c]) => c), y: keep.map(([, v]) => v), marker: { color: g.color },
      hovertemplate: `%{x} · ${g.name}<br>%{y:,}<extra></extra>` };
  });
  const margin = chartMargin({ left: [valueTick(spec.groups.flatMap((g) => g.values.filter((v) => v !== null)))],
    leftTitle: spec.yTitle, legend: spec.groups.length > 1 });
  return [traces, { barmode: "group", height: 340, margin, xaxis: { ...AXIS, type: "category", categoryorder: "array", categoryarray: spec.categories },
    yaxis: { ...AXIS, rangemode: "tozero", title: { text: spec.yTitle || "" } } }];
}

async function drawPlots(root) {
  const Plotly = await loadPlotly();
  for (const el of root.querySelectorAll(".plot")) {
    if (!el.pendingPlot) continue;
    const spec = el.pendingPlot;
    delete el.pendingPlot;
    const [traces, layout] = spec.orient === "g" ? groupedFigure(spec) : barFigure(spec);
    await Plotly.newPlot(el, traces, {
      margin: { l: 10, r: 30, t: 36, b: 40 }, separators: ",.", hovermode: "closest",
      font: { family: CHART_FONT, size: 12, color: "#1d2433" }, paper_bgcolor: "#fff", plot_bgcolor: "#fff",
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", traceorder: "normal" }, ...layout,
    }, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] });
    el.on("plotly_click", (ev) => {
      const url = ev.points && ev.points[0] && ev.points[0].customdata;
      if (url) location.href = url;
    });
    el.dataset.rendered = "1";
  }
}

/* Horizontal bars, one row per item, top item first; `series`: [{key, name, color}]. */
function hbars(rows, series, opts) {
  return plotBox({ orient: "h", labels: rows.map((r) => r[opts.label]), urls: opts.href ? rows.map((r) => opts.href(r) || "") : null,
    series: series.map((se) => ({ name: se.name, color: se.color, values: rows.map((r) => r[se.key]) })),
    warn: opts.warn ? rows.map(opts.warn) : null, xTitle: opts.xTitle }, opts.title);
}

/* Vertical bars over categories (years), one stacked segment per series. */
function vbars(rows, series, opts) {
  return plotBox({ orient: "v", labels: rows.map((r) => String(r[opts.label])), urls: opts.href ? rows.map((r) => opts.href(r) || "") : null,
    series: series.map((se) => ({ name: se.name, color: se.color, values: rows.map((r) => r[se.key]) })),
    warn: opts.warn ? rows.map(opts.warn) : null, xTitle: opts.xTitle, yTitle: opts.yTitle }, opts.title);
}

function tableView(columns, rows) {
  return h("details", { class: "table-view" }, h("summary", {}, "Xem dạng bảng"),
    h("table", {}, h("thead", {}, h("tr", {}, columns.map(([, name]) => h("th", {}, name)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, columns.map(([key, , fmt]) => {
        const v = typeof key === "function" ? key(r) : r[key];
        return h("td", { class: typeof v === "number" ? "num" : null }, fmt ? fmt(v, r) : (typeof v === "number" ? fmtNumber(v) : (v ?? "")));
      }))))));
}

function chartCard(id, title, note, body) {
  return h("section", { class: "card chart", id }, h("h2", {}, title), note ? h("p", { class: "muted small" }, note) : "", body);
}

const empty = () => h("p", { class: "muted" }, "Không có dữ liệu.");
const linked = (v, r, key = "url") => (r[key] ? h("a", { href: r[key] }, v) : v);

async function mostCitedCard() {
  const data = await overviewJSON("/overview/most-cited?limit=15");
  const rows = data.items.map((r) => ({ ...r, name: r.number || r.title || r.uri }));
  const title = "Văn bản được trích dẫn nhiều nhất";
  return chartCard("chart-most-cited", title, "Số kế hoạch dẫn văn bản làm căn cứ hoặc chỉ nhắc đến; bấm vào thanh để mở trang văn bản.", [
    rows.length ? hbars(rows, [{ key: "basis", name: "làm căn cứ", color: SERIES_COLORS.basis }, { key: "mention", name: "chỉ nhắc đến", color: SERIES_COLORS.mention }],
      { label: "name", title, href: (r) => r.url, xTitle: "số kế hoạch" }) : empty(),
    tableView([["name", "Số hiệu", (v, r) => linked(v, r)], ["title", "Trích yếu"], ["basis", "Làm căn cứ"], ["mention", "Chỉ nhắc đến"], ["cited_by", "Tổng số kế hoạch"]], rows)]);
}

async function citationsByYearCard() {
  const data = await overviewJSON("/overview/citations-by-year?by=plan");
  const title = "Trích dẫn theo năm của kế hoạch";
  return chartCard("chart-citations-by-year", title, "Mỗi cặp kế hoạch – văn bản được dẫn tính một lần; kế hoạch không ghi ngày không được tính. Bấm vào cột để xem danh sách kế hoạch của năm.", [
    data.items.length ? vbars(data.items, [{ key: "basis", name: "làm căn cứ", color: SERIES_COLORS.basis }, { key: "mention", name: "chỉ nhắc đến", color: SERIES_COLORS.mention }],
      { label: "year", title, href: (r) => r.list, xTitle: "năm của kế hoạch", yTitle: "lượt trích dẫn" }) : empty(),
    tableView([["year", "Năm", (v, r) => linked(v, r, "list")], ["basis", "Làm căn cứ"], ["mention", "Chỉ nhắc đến"], ["citations", "Tổng"], ["plans", "Số kế hoạch"]], data.items)]);
}

async function citationsByCitedYearCard() {
  const data = await overviewJSON("/overview/citations-by-year?by=cited");
  const title = "Trích dẫn theo năm ban hành của văn bản được dẫn";
  const ages = (data.ages || []).map((a) => `${a.plan_year}: ${fmtNumber(a.median_age)} năm`).join(" · ");
  return chartCard("chart-citations-by-cited-year", title, `Văn bản cũ đến đâu vẫn còn được dẫn. Tuổi trung vị của văn bản được dẫn, theo năm của kế hoạch: ${ages || "—"}.${data.undated ? ` ${data.undated} lượt dẫn văn bản không rõ ngày không được tính.` : ""}`, [
    data.items.length ? vbars(data.items, [{ key: "basis", name: "làm căn cứ", color: SERIES_COLORS.basis }, { key: "mention", name: "chỉ nhắc đến", color: SERIES_COLORS.mention }],
      { label: "year", title, xTitle: "năm ban hành của văn bản được dẫn", yTitle: "lượt trích dẫn" }) : empty(),
    tableView([["year", "Năm ban hành"], ["basis", "Làm căn cứ"], ["mention", "Chỉ nhắc đến"], ["citations", "Tổng"], ["documents", "Số văn bản"],
      ["numbers", "Văn bản", (v) => (v || []).map((n, i) => [i ? ", " : "", /\//.test(n) ? legalLink(n) : n])]], data.items)]);
}

const BUDGET_VIEWS = {
  province: { title: "Kinh phí theo tỉnh (triệu đồng)", head: "Tỉnh", note: "Tổng kinh phí các dự án của kế hoạch; bấm vào thanh để xem danh sách dự án của tỉnh." },
  agency: { title: "Kinh phí theo cơ quan chủ trì (triệu đồng)", head: "Cơ quan chủ trì", note: "15 cơ quan chủ trì có tổng kinh phí dự án lớn nhất; bấm vào thanh để mở trang cơ quan." },
  year: { title: "Kinh phí theo năm (triệu đồng)", head: "Năm", note: "Tổng kinh phí các dòng ngân sách có ghi năm." },
};

const mismatchText = (r) => (r.mismatches || []).map((m) => `${m.number || m.doc_id}: “${m.label}” ghi ${fmtNumber(m.stated)}, cộng các dòng ${fmtNumber(m.computed)}`).join("; ");

async function budgetsCard(by) {
  const data = await overviewJSON(`/overview/budgets?${qs({ by })}`);
  const view = BUDGET_VIEWS[by];
  const rows = data.items.slice(0, by === "agency" ? 15 : 100).map((r) => ({ ...r,
    name: by === "agency" ? `${r.name || r.agency}${r.province ? ` (${r.province})` : ""}` : r[by], warn: (r.mismatches || []).length ? "⚠ lệch tổng" : "" }));
  const href = (r) => r.url || r.list;
  const series = [{ key: "total_vnd_million", name: "triệu đồng", color: SERIES_COLORS.budget }];
  const reconciled = `Đã đối chiếu ${data.checks} dòng tổng của các bảng kinh phí với tổng các dòng: ${data.mismatched} dòng lệch (⚠, viền đỏ).`;
  const chart = !rows.length ? empty() : by === "year"
    ? vbars(rows, series, { label: "year", title: view.title, yTitle: "triệu đồng", warn: (r) => r.warn })
    : hbars(rows, series, { label: "name", title: view.title, href, xTitle: "triệu đồng", warn: (r) => r.warn });
  return chartCard(`chart-budgets-${by}`, view.title, `${view.note} ${reconciled}`, [chart,
    tableView([["name", view.head, (v, r) => (href(r) ? h("a", { href: href(r) }, v) : v)], ["total_vnd_million", "Kinh phí (triệu đồng)"], ["projects", "Số dự án"],
      ["checked", "Dòng tổng đã đối chiếu"], [mismatchText, "Lệch tổng", (v) => (v ? h("span", { class: "warning" }, `⚠ ${v}`) : "")]], rows)]);
}

async function indicatorCard(group) {
  const data = await (group ? getJSON(`/overview/indicator?${qs({ group })}`) : overviewJSON("/overview/indicator"));
  const select = h("select", { id: "indicator-group", "aria-label": "Nhóm chỉ tiêu" }, data.groups.map((g) =>
    option(g.group, `${g.label || g.group} (${g.provinces} tỉnh)`, g.group === data.group)));
  const title = "Một chỉ tiêu giữa các tỉnh";
  const card = chartCard("chart-indicator", title, "Mục tiêu theo tỉnh, mỗi màu một năm hoặc giai đoạn; biểu đồ chỉ so các mục tiêu cùng đơn vị.", []);
  select.addEventListener("change", async () => {
    try {
      const next = await indicatorCard(select.value);
      card.replaceWith(next);
      await drawPlots(next);
    } catch (e) { card.append(errorBox(e)); }
  });
  const goals = data.items.filter((t) => t.kind === "goal" && t.unit === data.unit && typeof t.value === "number");
  const periods = [...new Set(goals.map((t) => String(t.year_or_period || "?")))].sort();
  const provinces = [...new Set(goals.map((t) => t.province || "?"))].sort((a, b) => a.localeCompare(b, "vi"));
  const groups = periods.map((p, i) => ({ name: p, color: YEAR_COLORS[i % YEAR_COLORS.length], values: provinces.map((prov) => {
    const t = goals.find((g) => (g.province || "?") === prov && String(g.year_or_period || "?") === p);
    return t ? t.value : null;
  }) }));
  card.append(h("div", { class: "toolbar" }, select, data.list ? h("a", { href: data.list }, "Danh sách chỉ tiêu (JSON)") : ""),
    goals.length ? plotBox({ orient: "g", categories: provinces, groups, yTitle: `mục tiêu (${data.unit || ""})` }, title) : h("p", { class: "muted" }, "Không có mục tiêu cùng đơn vị."),
    tableView([["province", "Tỉnh"], ["year_or_period", "Năm"], ["indicator", "Chỉ tiêu"], ["value", "Giá trị"], ["unit", "Đơn vị"], ["kind", "Loại", (v) => (v === "status" ? "hiện trạng" : "mục tiêu")]], data.items));
  return card;
}

/* The landing view's overview, drawn into `parent` (already in the page): every chart,
 * each failing on its own. `window.cancuOverview` records when the last chart was drawn
 * (`ms`, since navigation), how many there are, and when the chart library (`libraryMs`)
 * and the cards with their data (`dataMs`) were ready, for the browser tests and
 * bench/bench_page.py. */
async function overviewBlock(parent) {
  const block = h("div", { id: "overview" }, h("h2", {}, "Tổng quan"));
  parent.append(block);
  prefetchOverview();
  const cards = await Promise.allSettled([mostCitedCard(), citationsByYearCard(), citationsByCitedYearCard(),
    budgetsCard("province"), budgetsCard("agency"), budgetsCard("year"), indicatorCard()]);
  for (const c of cards) block.append(c.status === "fulfilled" ? c.value : errorBox(c.reason));
  const dataMs = Math.round(performance.now());
  try { await drawPlots(block); } catch (e) { block.prepend(errorBox(e)); }
  window.cancuOverview = { ms: Math.round(performance.now()), charts: block.querySelectorAll(".plot[data-rendered]").length,
    libraryMs: plotlyReadyMs, dataMs };
}

/* On the landing view (the router's search view without a query), ask for the charts' data
 * and library now, while the other deferred scripts still load and run (index.html runs this
 * file right after util.js): the router (app.js) starts only at DOMContentLoaded. */
function onLandingView() {
  const [path, query] = (location.hash.replace(/^#/, "") || "/").split("?");
  return !/^\/(doc|legal|agency|graph|sparql)/.test(path) && !new URLSearchParams(query || "").get("q");
}
if (onLandingView()) prefetchOverview();
