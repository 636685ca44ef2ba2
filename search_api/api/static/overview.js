/* cancu web page: the overview shown on the landing view (no query). Each chart is drawn
 * as inline SVG from one /overview/* route, with a table view of the same data and a link
 * to the filtered list behind it. No chart library: nothing to load from anywhere. */
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const SERIES_COLORS = ["#1e7d45", "#1f5fbf", "#c77700", "#8a4bd6"];

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/* Horizontal stacked bars: one row per item, one segment per series. */
function barChart(rows, series, opts) {
  if (!rows.length) return h("p", { class: "muted" }, "Không có dữ liệu.");
  const labelW = 190, barW = 520, rowH = 24, top = 24;
  const total = (r) => series.reduce((s, se) => s + (Number(r[se.key]) || 0), 0);
  const max = Math.max(1, ...rows.map(total));
  const height = top + rows.length * rowH + 8;
  const chart = svg("svg", { class: "bars", width: labelW + barW + 90, height, role: "img", "aria-label": opts.title });
  series.forEach((se, i) => {
    chart.append(svg("rect", { x: labelW + i * 150, y: 4, width: 12, height: 12, fill: se.color || SERIES_COLORS[i] }),
      svg("text", { x: labelW + i * 150 + 16, y: 15, class: "legend" }, se.name));
  });
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const label = String(r[opts.label] ?? "—");
    const text = svg("text", { x: labelW - 6, y: y + 15, "text-anchor": "end", class: "label" }, label.length > 28 ? label.slice(0, 27) + "…" : label);
    const href = opts.href && opts.href(r);
    if (href) {
      const a = svg("a", { href });
      a.append(text);
      chart.append(a);
    } else chart.append(text);
    let x = labelW;
    series.forEach((se, j) => {
      const v = Number(r[se.key]) || 0;
      const w = (v / max) * barW;
      if (w > 0) chart.append(svg("rect", { x, y: y + 3, width: w, height: rowH - 8, fill: se.color || SERIES_COLORS[j], class: "bar" },
        svg("title", {}, `${label} · ${se.name}: ${fmtNumber(v)}`)));
      x += w;
    });
    chart.append(svg("text", { x: x + 4, y: y + 15, class: "value" }, fmtNumber(total(r))));
  });
  return chart;
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

async function mostCitedCard() {
  const data = await getJSON("/overview/most-cited?limit=15");
  const rows = data.items.map((r) => ({ ...r, name: r.number || r.title || r.uri }));
  return chartCard("chart-most-cited", "Văn bản được trích dẫn nhiều nhất", "Số kế hoạch dẫn văn bản làm căn cứ hoặc chỉ nhắc đến; bấm vào số hiệu để mở trang văn bản.", [
    barChart(rows, [{ key: "basis", name: "làm căn cứ" }, { key: "mention", name: "chỉ nhắc đến" }], { label: "name", title: "Văn bản được trích dẫn nhiều nhất", href: (r) => r.url }),
    tableView([["name", "Số hiệu", (v, r) => (r.url ? h("a", { href: r.url }, v) : v)], ["title", "Trích yếu"], ["basis", "Làm căn cứ"], ["mention", "Chỉ nhắc đến"], ["cited_by", "Tổng số kế hoạch"]], rows)]);
}

async function citationsByYearCard() {
  const data = await getJSON("/overview/citations-by-year");
  return chartCard("chart-citations-by-year", "Trích dẫn theo năm của kế hoạch", "Mỗi cặp kế hoạch – văn bản được dẫn tính một lần; kế hoạch không ghi ngày không được tính.", [
    barChart(data.items, [{ key: "basis", name: "làm căn cứ" }, { key: "mention", name: "chỉ nhắc đến" }], { label: "year", title: "Trích dẫn theo năm" }),
    tableView([["year", "Năm"], ["basis", "Làm căn cứ"], ["mention", "Chỉ nhắc đến"], ["citations", "Tổng"], ["plans", "Số kế hoạch"]], data.items)]);
}

async function budgetsCard(by) {
  const data = await getJSON(`/overview/budgets?${qs({ by })}`);
  const title = by === "province" ? "Kinh phí theo tỉnh (triệu đồng)" : "Kinh phí theo năm (triệu đồng)";
  const key = by === "province" ? "province" : "year";
  return chartCard(`chart-budgets-${by}`, title, by === "province" ? "Tổng kinh phí các dự án của kế hoạch; bấm tên tỉnh để xem danh sách dự án." : "Tổng kinh phí các dòng ngân sách có ghi năm.", [
    barChart(data.items, [{ key: "total_vnd_million", name: "triệu đồng", color: "#8a4bd6" }], { label: key, title, href: (r) => r.list }),
    tableView([[key, by === "province" ? "Tỉnh" : "Năm", (v, r) => (r.list ? h("a", { href: r.list }, v) : v)], ["total_vnd_million", "Kinh phí (triệu đồng)"], ["projects", "Số dự án"]], data.items)]);
}

async function indicatorCard(group) {
  const data = await getJSON(`/overview/indicator?${qs({ group })}`);
  const select = h("select", { id: "indicator-group", "aria-label": "Nhóm chỉ tiêu" }, data.groups.map((g) =>
    option(g.group, `${g.label || g.group} (${g.provinces} tỉnh)`, g.group === data.group)));
  const card = chartCard("chart-indicator", "Một chỉ tiêu giữa các tỉnh", "Mục tiêu theo tỉnh và năm; biểu đồ chỉ so các mục tiêu cùng đơn vị.", []);
  select.addEventListener("change", async () => {
    try { card.replaceWith(await indicatorCard(select.value)); } catch (e) { card.append(errorBox(e)); }
  });
  const goals = data.items.filter((t) => t.kind === "goal" && t.unit === data.unit && typeof t.value === "number")
    .map((t) => ({ ...t, name: `${t.province || "?"} · ${t.year_or_period || "?"}` }));
  card.append(h("div", { class: "toolbar" }, select, data.list ? h("a", { href: data.list }, "Danh sách chỉ tiêu (JSON)") : ""),
    goals.length ? barChart(goals, [{ key: "value", name: `mục tiêu (${data.unit || ""})`, color: "#c77700" }], { label: "name", title: "Chỉ tiêu" }) : h("p", { class: "muted" }, "Không có mục tiêu cùng đơn vị."),
    tableView([["province", "Tỉnh"], ["year_or_period", "Năm"], ["indicator", "Chỉ tiêu"], ["value", "Giá trị"], ["unit", "Đơn vị"], ["kind", "Loại", (v) => (v === "status" ? "hiện trạng" : "mục tiêu")]], data.items));
  return card;
}

/* The landing view's overview: every chart, each failing on its own. */
async function overviewBlock() {
  const block = h("div", { id: "overview" }, h("h2", {}, "Tổng quan"));
  const cards = await Promise.allSettled([mostCitedCard(), citationsByYearCard(), budgetsCard("province"), budgetsCard("year"), indicatorCard()]);
  for (const c of cards) block.append(c.status === "fulfilled" ? c.value : errorBox(c.reason));
  return block;
}
