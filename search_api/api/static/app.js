/* cancu web page: hash routes over the JSON API of the same server.
 *   #/                 search (and answer) with filters
 *   #/docs             list of documents
 *   #/doc/{id}         one document: metadata, legal basis, agencies, projects, targets, passages
 *   #/legal/{number}   a legal document: who cites it and how, with quotes and conflicts
 *   #/agency/{key}     an agency: its plans, projects, budgets and tasks (agency.js)
 *   #/graph?uri=...    graph explorer (vis-network, served from the pyvis package)
 *   #/sparql           SPARQL editor with example queries
 * All text from the server is inserted as text nodes (never as HTML).
 */
"use strict";

/* ---------- search ---------- */

let facets = null;
async function loadFacets() {
  if (facets) return facets;
  const data = await getJSON("/documents?limit=200");
  const provinces = new Set();
  const types = new Set();
  const years = new Set();
  for (const d of data.items) {
    if (d.province) provinces.add(d.province);
    if (d.doc_type) types.add(d.doc_type);
    if (d.year) years.add(d.year);
  }
  facets = { provinces: [...provinces].sort(), types: [...types].sort(), years: [...years].sort() };
  return facets;
}

function option(value, label, selected) {
  return h("option", { value, selected: selected ? "selected" : null }, label);
}

async function renderSearch(params) {
  const q = params.get("q") || "";
  if (!q) prefetchOverview(); // the landing view's charts: data and chart library start now
  // The filters fill in when the facets arrive: the overview's charts must not wait for them.
  const facets = loadFacets().catch(() => ({ provinces: [], types: [], years: [] }));
  const input = h("input", { type: "search", name: "q", value: q, placeholder: "Ví dụ: Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?", "aria-label": "Câu hỏi hoặc từ khóa", autofocus: true });
  const province = h("select", { name: "province" }, option("", "Tất cả tỉnh"));
  const docType = h("select", { name: "doc_type" }, option("", "Mọi loại văn bản"));
  facets.then((f) => {
    province.append(...f.provinces.map((p) => option(p, p, p === params.get("province"))));
    docType.append(...f.types.map((t) => option(t, t, t === params.get("doc_type"))));
  });
  const yearFrom = h("input", { type: "number", name: "year_from", placeholder: "từ năm", value: params.get("year_from") || "", min: 1990, max: 2100 });
  const yearTo = h("input", { type: "number", name: "year_to", placeholder: "đến năm", value: params.get("year_to") || "", min: 1990, max: 2100 });
  const mode = h("select", { name: "mode" }, [["hybrid", "Kết hợp"], ["dense", "Ngữ nghĩa"], ["bm25", "Từ khóa"]].map(([v, l]) => option(v, l, v === (params.get("mode") || "hybrid"))));
  const form = h("form", { class: "search", role: "search" }, input, h("button", { type: "submit" }, "Tìm"));
  const filters = h("div", { class: "filters" },
    h("label", {}, "Tỉnh", province), h("label", {}, "Loại", docType),
    h("label", {}, "Năm", yearFrom, "–", yearTo), h("label", {}, "Cách tìm", mode));
  const results = h("div", { id: "results" });
  const submit = (ev) => {
    if (ev) ev.preventDefault();
    const next = qs({ q: input.value.trim(), province: province.value, doc_type: docType.value, year_from: yearFrom.value, year_to: yearTo.value, mode: mode.value });
    location.hash = `#/?${next}`;
  };
  form.addEventListener("submit", submit);
  for (const el of [province, docType, mode]) el.addEventListener("change", () => input.value.trim() && submit());
  view().replaceChildren(h("h1", {}, "Tìm trong kế hoạch và văn bản pháp luật"), form, filters, results);
  if (!q) {
    results.append(await introCard());
    await overviewBlock(results);
    return;
  }
  results.append(h("p", { class: "muted" }, "Đang tìm…"));
  const searchParams = { q, k: 10, mode: params.get("mode") || "hybrid", province: params.get("province"), doc_type: params.get("doc_type"),
    year_from: params.get("year_from"), year_to: params.get("year_to"), offset: params.get("offset") || 0 };
  const filtered = searchParams.province || searchParams.doc_type || searchParams.year_from || searchParams.year_to;
  const [search, ask] = await Promise.allSettled([
    getJSON(`/search?${qs(searchParams)}`),
    filtered || Number(searchParams.offset) ? Promise.resolve(null) : getJSON(`/ask?${qs({ q, k: 5 })}`),
  ]);
  results.replaceChildren();
  if (ask.status === "fulfilled" && ask.value) results.append(answerCard(ask.value, q));
  if (search.status === "rejected") {
    results.append(errorBox(search.reason));
    return;
  }
  const hits = search.value.results;
  results.append(h("p", { class: "muted small", id: "result-count" }, hits.length ? `Kết quả ${Number(searchParams.offset) + 1}–${Number(searchParams.offset) + hits.length}` : "Không tìm thấy đoạn văn nào."));
  const terms = queryTerms(q);
  for (const hit of hits) results.append(hitCard(hit, terms));
  results.append(pager(params, hits.length, 10));
}

async function introCard() {
  return h("div", { class: "card" }, h("p", {}, "Gõ một câu hỏi hoặc từ khóa. Kết quả là các đoạn văn của kế hoạch, câu trả lời được tô sáng; mỗi kết quả dẫn tới văn bản gốc. Ô “Tìm nhanh” ở đầu trang mở thẳng một văn bản, cơ quan hay tỉnh."));
}

function answerCard(ans, q) {
  const card = h("div", { class: "card answer-box", id: "answer" },
    h("div", { class: "meta" }, ans.kind === "graph" ? "Trả lời từ đồ thị tri thức" : "Trả lời từ đoạn văn phù hợp nhất"),
    h("div", { class: "answer-text" }, ans.answer || "—"));
  const terms = queryTerms(q);
  for (const ev of (ans.evidence || []).slice(0, 3)) {
    const span = ev.highlight && ev.highlight.end > ev.highlight.start ? ev.highlight : null;
    card.append(h("blockquote", {}, highlighted(ev.quote || "", span, terms)),
      h("div", { class: "meta" }, docLink(ev.doc_id), ` · đoạn ${ev.passage_id || "?"} · ký tự ${ev.start}–${ev.end}`));
  }
  return card;
}

function hitCard(hit, terms) {
  const title = [hit.doc_type, hit.title].filter(Boolean).join(" ") || hit.doc_id;
  const span = bestSentence(hit.text, terms);
  return h("div", { class: "card hit" },
    h("h3", {}, h("a", { href: `#/doc/${encodeURIComponent(hit.doc_id)}?p=${encodeURIComponent(hit.passage_id)}`, class: "hit-link" }, title)),
    h("div", { class: "meta" }, h("span", { class: `badge ${hit.kind}` }, hit.kind),
      [hit.province, hit.year, hit.section].filter(Boolean).join(" · "),
      ` · ${hit.doc_id} · ký tự ${hit.start}–${hit.end} · điểm ${Number(hit.score).toFixed(3)}`),
    h("div", { class: "text" }, highlighted(hit.text, span, terms)));
}

function pager(params, count, size) {
  const offset = Number(params.get("offset") || 0);
  const go = (o) => {
    const p = new URLSearchParams(params);
    p.set("offset", o);
    location.hash = `#/?${p}`;
  };
  return h("div", { class: "pager" },
    offset > 0 ? h("button", { class: "secondary", onclick: () => go(Math.max(0, offset - size)) }, "← Trước") : null,
    count === size ? h("button", { class: "secondary", onclick: () => go(offset + size) }, "Tiếp →") : null);
}

/* ---------- documents ---------- */

async function renderDocs() {
  const data = await getJSON("/documents?limit=200");
  view().replaceChildren(h("h1", {}, `Văn bản (${data.total})`),
    h("table", {}, h("thead", {}, h("tr", {}, ["Số", "Loại", "Ngày", "Tỉnh", "Trích yếu", "Đoạn"].map((c) => h("th", {}, c)))),
      h("tbody", {}, data.items.map((d) => h("tr", {},
        h("td", {}, docLink(d.id, d.number || d.id)), h("td", {}, d.doc_type || ""), h("td", {}, d.date || ""),
        h("td", {}, d.province || ""), h("td", {}, d.title || ""), h("td", { class: "num" }, d.passages))))));
}

function kv(pairs) {
  return h("dl", { class: "kv" }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function citationRow(c, basisStatus) {
  const first = (c.mentions || [])[0];
  return h("li", { class: "citation" },
    c.in_basis ? h("span", { class: "badge basis" }, "căn cứ") : h("span", { class: "badge" }, "nhắc đến"),
    [c.doc_type, " "], c.number ? legalLink(c.number) : h("span", {}, c.title || "(không số)"),
    c.date ? ` ngày ${c.date}` : "", c.title && c.number ? h("span", { class: "muted" }, ` — ${c.title}`) : "",
    (c.conflicts || []).length ? h("span", { class: "badge warn" }, "mâu thuẫn ngày/loại") : "",
    basisStatus ? basisBadge(basisStatus.get(c.number)) : "",
    first ? h("div", { class: "meta" }, `“${first.text}” · ký tự ${first.start}–${first.end}`) : "");
}

async function renderDoc(id, params) {
  const d = await getJSON(`/documents/${encodeURIComponent(id)}`);
  const meta = d.document || {};
  const basis = d.citations.filter((c) => c.in_basis);
  const others = d.citations.filter((c) => !c.in_basis);
  const basisStatus = new Map(((d.basis_status || {}).basis || []).map((b) => [b.number, b]));
  const passages = await getJSON(`/documents/${encodeURIComponent(id)}/passages?limit=200`);
  const target = params.get("p");
  const agencies = d.agencies.map((a) => h("li", {},
    h("a", { href: a.uri.startsWith(AGENCY_ROOT) ? `#/agency/${a.uri.slice(AGENCY_ROOT.length)}` : `#/graph?${qs({ uri: a.uri })}` }, a.name), h("span", { class: "muted" }, ` (${a.level || "?"})`), " ",
    (a.roles || []).map((r) => h("div", { class: "meta" }, h("span", { class: `badge ${r.role}` }, r.role === "lead" ? "chủ trì" : "phối hợp"), r.task || ""))));
  const projects = d.projects.length ? h("table", {},
    h("thead", {}, h("tr", {}, ["Dự án / nhiệm vụ", "Chủ trì", "Kinh phí (triệu đồng)", "Giai đoạn"].map((c) => h("th", {}, c)))),
    h("tbody", {}, d.projects.map((p) => h("tr", {}, h("td", {}, p.name), h("td", {}, p.lead_agency || ""),
      h("td", { class: "num" }, fmtNumber(p.budget_vnd_million)), h("td", {}, p.period || ""))))) : h("p", { class: "muted" }, "Không có.");
  const targets = d.targets.length ? h("table", {},
    h("thead", {}, h("tr", {}, ["Chỉ tiêu", "Giá trị", "Năm", "Loại"].map((c) => h("th", {}, c)))),
    h("tbody", {}, d.targets.map((t) => h("tr", {}, h("td", {}, t.indicator), h("td", { class: "num" }, `${t.value ?? ""}${t.unit ? " " + t.unit : ""}`),
      h("td", {}, t.year_or_period || ""), h("td", {}, t.kind === "status" ? "hiện trạng" : "mục tiêu"))))) : h("p", { class: "muted" }, "Không có.");
  const passageList = passages.items.map((p) => h("div", { class: `passage${p.id === target ? " target" : ""}`, id: `p-${p.id}` },
    h("div", { class: "meta" }, h("span", { class: "badge" }, p.kind), p.section || "", ` · ${p.id} · ký tự ${p.start}–${p.end}`),
    h("div", { class: "ptext" }, p.text)));
  view().replaceChildren(
    h("h1", {}, [meta.doc_type, meta.number].filter(Boolean).join(" ") || d.id),
    h("p", {}, meta.title || ""),
    h("div", { class: "card" }, kv([["Mã văn bản", d.id], ["Số ký hiệu", meta.number], ["Ngày", meta.date], ["Cơ quan ban hành", meta.issuer],
      ["Tỉnh", meta.province], ["Giai đoạn", meta.period], ["Người ký", meta.signer], ["Nguồn", d.summary && d.summary.source],
      ["URI", meta.uri ? h("span", { class: "uri" }, meta.uri) : null]]),
      h("p", {}, meta.uri ? graphLink(meta.uri) : "", " · ", h("a", { href: `/documents/${encodeURIComponent(id)}`, target: "_blank" }, "JSON"))),
    h("h2", {}, `Căn cứ pháp lý (${basis.length})`),
    d.basis_status && d.basis_status.date ? h("p", { class: "muted" }, `Hiệu lực xét tại ngày ${d.basis_status.date}`) : "",
    h("ul", { id: "basis" }, basis.map((c) => citationRow(c, basisStatus))),
    h("h2", {}, `Văn bản khác được nhắc đến (${others.length})`), others.length ? h("ul", {}, others.map((c) => citationRow(c))) : h("p", { class: "muted" }, "Không có."),
    h("h2", {}, `Cơ quan và vai trò (${d.agencies.length})`), h("ul", {}, agencies),
    h("h2", {}, `Dự án và kinh phí (${d.projects.length})`), projects,
    h("h2", {}, `Chỉ tiêu (${d.targets.length})`), targets,
    h("h2", {}, `Đoạn văn (${passages.total})`), h("div", { class: "card" }, passageList));
  if (target) {
    const el = document.getElementById(`p-${target}`);
    if (el) el.scrollIntoView({ block: "center" });
  }
}

/* ---------- legal documents ---------- */

async function renderLegal(number) {
  const [doc, cites] = await Promise.all([
    getJSON(`/legal/${encodeURIComponent(number)}`),
    getJSON(`/legal/${encodeURIComponent(number)}/cited-by?limit=200`),
  ]);
  const citing = new Map(cites.items.map((r) => [r.citing, r]));
  const citingLink = (uri) => {
    const r = citing.get(uri);
    const cd = (r && r.citing_document) || {};
    const label = [cd.number, cd.province].filter(Boolean).join(", ") || uri;
    return r && r.doc_id ? docLink(r.doc_id, label) : h("span", { class: "uri" }, uri);
  };
  const conflictBoxes = [];
  for (const [field, values] of [["ngày", doc.date_conflicts], ["loại văn bản", doc.type_conflicts]]) {
    if (values && Object.keys(values).length) {
      conflictBoxes.push(h("div", { class: "card conflict", id: "conflicts" }, h("strong", {}, `⚠ Các văn bản ghi ${field} khác nhau:`),
        h("ul", {}, Object.entries(values).map(([v, docs]) => h("li", {}, h("strong", {}, v), ` — ${docs.length} văn bản: `,
          docs.map((u, i) => [i ? "; " : "", citingLink(u)]))))));
    }
  }
  for (const c of doc.recorded_conflicts || []) {
    conflictBoxes.push(h("div", { class: "card conflict" }, `Trong cùng văn bản, ${c.field} được ghi là “${c.value}”`, c.quote ? `: “${c.quote}”` : ""));
  }
  const rows = cites.items.map((r) => {
    const cd = r.citing_document || {};
    return h("tr", {},
      h("td", {}, r.doc_id ? docLink(r.doc_id, cd.number || r.doc_id) : (cd.number || r.citing)),
      h("td", {}, cd.province || ""), h("td", {}, cd.date || ""),
      h("td", {}, r.in_basis ? h("span", { class: "badge basis" }, "căn cứ") : h("span", { class: "badge" }, "nhắc đến")),
      h("td", {}, r.stated_date || ""),
      h("td", {}, r.quote ? `“${r.quote}”` : "", h("div", { class: "meta" }, r.passage_id ? `đoạn ${r.passage_id} · ký tự ${r.start}–${r.end}` : "")));
  });
  const articles = (doc.articles || []).map((a) => h("div", { class: "passage" }, h("strong", {}, a.label || `Điều ${a.article_id}`), h("div", { class: "ptext" }, a.text || "")));
  view().replaceChildren(
    h("h1", {}, [(doc.doc_types || [])[0], doc.number].filter(Boolean).join(" ")),
    h("p", {}, (doc.titles || [])[0] || ""),
    h("div", { class: "card" }, kv([["Số ký hiệu", doc.number], ["Ngày ban hành", (doc.dates || []).join(", ")], ["Loại", (doc.doc_types || []).join(", ")],
      ["Cơ quan ban hành", (doc.issuers || []).join(", ")], ["Hiệu lực (văn bản ghi)", (doc.stated_status || doc.in_force || []).join(", ")],
      ["URI", (doc.uris || []).map((u) => h("div", { class: "uri" }, u))]]),
      h("p", {}, (doc.uris || [])[0] ? graphLink(doc.uris[0]) : "")),
    statusBlock(doc.status),
    ...conflictBoxes,
    h("h2", {}, `Được trích dẫn bởi ${cites.total} văn bản`),
    h("table", { id: "cited-by" }, h("thead", {}, h("tr", {}, ["Văn bản", "Tỉnh", "Ngày", "Cách dẫn", "Ngày được ghi", "Trích dẫn"].map((c) => h("th", {}, c)))), h("tbody", {}, rows)),
    articles.length ? [h("h2", {}, `Các điều (${articles.length})`), h("div", { class: "card" }, articles)] : []);
}

/* ---------- router ---------- */

function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, query] = raw.split("?");
  return { path, params: new URLSearchParams(query || "") };
}

async function route() {
  const { path, params } = parseHash();
  delete document.body.dataset.ready;
  const section = path.startsWith("/doc") ? "docs" : path.startsWith("/graph") ? "graph" : path.startsWith("/sparql") ? "sparql" : path.startsWith("/legal") || path.startsWith("/agency") ? "docs" : "search";
  for (const a of document.querySelectorAll("nav a[data-nav]")) a.classList.toggle("active", a.dataset.nav === section);
  try {
    if (path.startsWith("/doc/")) await renderDoc(decodeURIComponent(path.slice(5)), params);
    else if (path === "/docs") await renderDocs();
    else if (path.startsWith("/legal/")) await renderLegal(decodeURIComponent(path.slice(7)));
    else if (path.startsWith("/agency/")) await renderAgency(path.slice(8));
    else if (path.startsWith("/graph")) await renderGraph(params);
    else if (path.startsWith("/sparql")) renderSparql(params);
    else await renderSearch(params);
  } catch (e) {
    view().replaceChildren(errorBox(e));
  }
  document.body.dataset.ready = path;
}

async function showHealth() {
  try {
    const hl = await getJSON("/health");
    document.getElementById("health").textContent = ` · ${hl.documents} văn bản`;
  } catch (e) { /* footer only */ }
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", () => { route(); showHealth(); });
