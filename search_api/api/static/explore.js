/* cancu web page: the graph explorer (#/graph, vis-network from the pyvis package) and
 * the SPARQL page (#/sparql). Uses the helpers of util.js. */
"use strict";

/* ---------- graph explorer ---------- */

/* vis-network, loaded once when the explorer first opens: its ~470 KB cost about 100 ms to
 * parse, which no other view (above all the landing overview) should pay. index.html names
 * its address in <meta name="cancu-graph-library">. */
const GRAPH_LIBRARY_DEFAULT = "/static/vendor/vis-network.min.js";
let graphLibraryLoading = null;
function loadGraphLibrary() {
  if (window.vis) return Promise.resolve(window.vis);
  if (!graphLibraryLoading) {
    const meta = document.querySelector('meta[name="cancu-graph-library"]');
    const src = (meta && meta.content) || GRAPH_LIBRARY_DEFAULT;
    graphLibraryLoading = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = () => (window.vis ? resolve(window.vis) : s.onerror());
      s.onerror = () => {
        graphLibraryLoading = null; // a later visit to the explorer tries again
        s.remove();
        reject(new Error(`không tải được thư viện đồ thị vis-network (${src})`));
      };
      document.head.append(s);
    });
  }
  return graphLibraryLoading;
}

const GROUP_COLORS = {
  legal: "#b3261e", plan: "#1f5fbf", org: "#1e7d45", project: "#8a4bd6", target: "#c77700", other: "#667085",
};

function groupOf(id, types) {
  const t = (types || []).join(" ");
  if (t.includes("Plan") || id.includes("/doc/")) return "plan";
  if (id.includes("/eli/")) return "legal";
  if (id.includes("/org/") || t.includes("Organization")) return "org";
  if (id.includes("/project/")) return "project";
  if (id.includes("/target/") || id.includes("/indicator/")) return "target";
  return "other";
}

/* Provenance nodes (passages, annotations, citation records) crowd the picture. */
function isDetail(id) {
  return /\/(passage|ann|cites|resp|budget|conflict)\//.test(id) || /\/graph\//.test(id);
}

function shortLabel(node) {
  const number = node.attributes && (node.attributes["eli:id_local"] || [])[0];
  const label = number || node.label || node.id.replace(/^https:\/\/cancu\.vn\//, "");
  return label.length > 38 ? label.slice(0, 36) + "…" : label;
}

const neighboursPath = (uri, withDetails) => `/graph/neighbours?${qs({ uri, limit: withDetails ? 60 : 200 })}`;

async function renderGraph(params) {
  const start = params.get("uri");
  // Asked for at once, also on the empty explorer: it loads while the user types a name.
  const library = loadGraphLibrary();
  library.catch(() => {}); // shown on the canvas when a node is to be drawn
  const input = h("input", { type: "search", id: "graph-find", value: start || "", placeholder: "Số hiệu, tên luật, cơ quan, tỉnh hoặc URI…", style: "flex:1;padding:.45rem" });
  const form = h("form", { class: "toolbar", onsubmit: (ev) => { ev.preventDefault(); location.hash = `#/graph?${qs({ uri: input.value.trim() })}`; } },
    input, h("button", { type: "submit" }, "Mở"));
  const details = h("input", { type: "checkbox", id: "graph-details", checked: params.get("details") === "1" ? "checked" : null });
  details.addEventListener("change", () => {
    const p = new URLSearchParams(params);
    if (details.checked) p.set("details", "1"); else p.delete("details");
    location.hash = `#/graph?${p}`;
  });
  const side = h("div", { class: "side card", id: "graph-side" }, h("p", { class: "muted" }, "Bấm vào một nút để mở rộng các nút lân cận; chi tiết hiện ở đây."));
  const canvas = h("div", { id: "graph" });
  const legend = h("div", { class: "toolbar small" },
    Object.entries({ legal: "văn bản pháp luật", plan: "kế hoạch", org: "cơ quan", project: "dự án", target: "chỉ tiêu", other: "khác" })
      .map(([g, label]) => h("span", {}, h("span", { class: "dot", style: `background:${GROUP_COLORS[g]}` }), label)),
    h("label", { class: "muted" }, details, " hiện chi tiết (đoạn văn, bản ghi trích dẫn, chú thích)"));
  view().replaceChildren(h("h1", {}, "Khám phá đồ thị"), form, legend, h("div", { class: "graph-layout" }, canvas, side));
  attachSuggest(input, (it) => { location.hash = `#/graph?${qs({ uri: it.uri })}`; });
  if (!start) {
    canvas.replaceChildren(h("p", { class: "muted graph-empty" }, "Gõ vào ô phía trên một số hiệu (“Nghị định 64”), tên luật, cơ quan hay tỉnh, rồi chọn một gợi ý để đặt nút đó cùng các nút lân cận vào giữa; hoặc chọn một điểm bắt đầu bên phải."));
    const docs = await getJSON("/documents?limit=20");
    const ags = await getJSON("/agencies?limit=10");
    side.replaceChildren(h("strong", {}, "Bắt đầu từ:"),
      h("ul", {}, docs.items.filter((d) => d.uri).map((d) => h("li", {}, h("a", { href: `#/graph?${qs({ uri: d.uri })}` }, d.number || d.id)))),
      h("ul", {}, ags.items.map((a) => h("li", {}, h("a", { href: `#/graph?${qs({ uri: a.uri })}` }, a.name)))));
    return;
  }
  // The start node's neighbours are asked for while the library loads, not after.
  const firstNeighbours = getJSON(neighboursPath(start, details.checked));
  firstNeighbours.catch(() => {}); // awaited below, after the library
  let vis;
  try {
    vis = await library;
  } catch (e) {
    canvas.replaceChildren(errorBox(e));
    return;
  }
  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  const info = new Map();
  const expanded = new Set();
  const network = new vis.Network(canvas, { nodes, edges }, {
    nodes: { shape: "dot", size: 14, font: { size: 13, face: "Noto Sans, Arial" } },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, font: { size: 9, align: "middle", color: "#98a2b3", strokeWidth: 2 }, color: "#b8c0cf", smooth: { type: "dynamic" } },
    physics: { stabilization: { iterations: 150 }, barnesHut: { springLength: 140 } },
    interaction: { hover: true },
  });
  window.cancuGraph = { network, nodes, edges }; // for tests and the browser console
  const addNode = (n) => {
    const prev = info.get(n.id) || {};
    const merged = { ...prev, ...Object.fromEntries(Object.entries(n).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && !v.length))) };
    info.set(n.id, merged);
    const group = groupOf(n.id, merged.types);
    nodes.update({ id: n.id, label: shortLabel(merged), title: merged.label || n.id, color: GROUP_COLORS[group], size: n.id === start ? 22 : 14 });
  };
  const expand = async (uri, asked) => {
    if (expanded.has(uri)) return;
    expanded.add(uri);
    const data = await (asked || getJSON(neighboursPath(uri, details.checked)));
    const keep = (id) => id === uri || details.checked || !isDetail(id);
    for (const n of data.nodes) if (keep(n.id)) addNode(n);
    info.set(uri, { ...info.get(uri), attributes: data.attributes, truncated: data.truncated });
    for (const e of data.edges) {
      if (keep(e.source) && keep(e.target)) edges.update({ id: `${e.source}|${e.predicate}|${e.target}`, from: e.source, to: e.target, label: e.label });
    }
    addNode({ id: uri });
    showSide(uri);
  };
  const showSide = (uri) => {
    const n = info.get(uri) || { id: uri };
    const attrs = n.attributes || {};
    const number = (attrs["eli:id_local"] || [])[0];
    const docId = (attrs["cancu:docId"] || [])[0];
    const links = [];
    if (docId) links.push(h("a", { href: `#/doc/${encodeURIComponent(docId)}`, id: "open-doc" }, "Mở trang văn bản"));
    if (number) links.push(h("a", { href: `#/legal/${encodeURIComponent(number)}`, id: "open-legal" }, "Mở trang văn bản pháp luật"));
    side.replaceChildren(h("strong", {}, n.label || uri), h("div", { class: "uri" }, uri),
      h("p", {}, links.map((l, i) => [i ? " · " : "", l])),
      h("div", {}, Object.entries(attrs).slice(0, 30).map(([k, vs]) => h("div", { class: "attr" }, h("span", { class: "muted" }, k + ": "), vs.slice(0, 3).join(" | ")))),
      n.truncated ? h("p", { class: "warning small" }, "Chỉ hiện một phần các cạnh.") : "",
      h("p", { class: "muted small" }, `${nodes.length} nút · ${edges.length} cạnh`));
  };
  network.on("click", async (ev) => {
    if (!ev.nodes.length) return;
    const uri = ev.nodes[0];
    showSide(uri);
    try { await expand(uri); } catch (e) { side.append(errorBox(e)); }
  });
  network.on("doubleClick", (ev) => {
    if (ev.nodes.length) location.hash = `#/graph?${qs({ uri: ev.nodes[0] })}`;
  });
  await expand(start, firstNeighbours);
  network.once("stabilizationIterationsDone", () => network.fit());
}

/* ---------- SPARQL ---------- */

const PREFIXES = `PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX cancu: <https://cancu.vn/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
`;
const EXAMPLES = {
  "Văn bản được trích dẫn nhiều nhất": `${PREFIXES}
SELECT ?number (COUNT(DISTINCT ?plan) AS ?plans) WHERE {
  ?c a cancu:Citation ; cancu:citedDocument ?law ; cancu:citingDocument ?plan .
  ?law eli:id_local ?number .
} GROUP BY ?number ORDER BY DESC(?plans) ?number LIMIT 20`,
  "Kế hoạch theo tỉnh": `${PREFIXES}
SELECT ?province (COUNT(DISTINCT ?doc) AS ?documents) (GROUP_CONCAT(DISTINCT ?number; SEPARATOR=", ") AS ?numbers) WHERE {
  ?doc cancu:docId ?id ; cancu:province/rdfs:label ?province .
  OPTIONAL { ?doc eli:id_local ?number }
} GROUP BY ?province ORDER BY ?province`,
  "Kinh phí theo cơ quan chủ trì": `${PREFIXES}
SELECT ?agency (SUM(?budget) AS ?total_million_vnd) (COUNT(DISTINCT ?p) AS ?projects) WHERE {
  { SELECT DISTINCT ?p ?budget ?agency WHERE {
      ?p a cancu:Project ; cancu:budgetVndMillion ?budget ; cancu:leadAgency/skos:prefLabel ?agency . } }
} GROUP BY ?agency ORDER BY DESC(?total_million_vnd)`,
};

function renderSparql(params) {
  const area = h("textarea", { id: "sparql-query", spellcheck: "false" }, params.get("query") || Object.values(EXAMPLES)[0]);
  const out = h("div", { id: "sparql-results" });
  const run = async () => {
    out.replaceChildren(h("p", { class: "muted" }, "Đang chạy…"));
    try {
      const { body, headers } = await api("/sparql", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json" }, body: qs({ query: area.value }) });
      out.replaceChildren(...sparqlTable(body, headers));
    } catch (e) {
      out.replaceChildren(errorBox(e));
    }
  };
  const exampleButtons = Object.entries(EXAMPLES).map(([label, q]) => h("button", { class: "secondary", type: "button", onclick: () => { area.value = q; run(); } }, label));
  view().replaceChildren(h("h1", {}, "Truy vấn SPARQL"),
    h("p", { class: "muted" }, "Chỉ đọc; giới hạn thời gian và số dòng do máy chủ đặt. Điểm truy cập: /sparql (SPARQL 1.1 Protocol)."),
    h("div", { class: "toolbar" }, h("span", { class: "muted" }, "Ví dụ:"), exampleButtons),
    h("div", { class: "sparql" }, area),
    h("div", { class: "toolbar" }, h("button", { type: "button", id: "sparql-run", onclick: run }, "Chạy truy vấn"),
      h("a", { href: "#", onclick: (ev) => { ev.preventDefault(); window.open(`/sparql?${qs({ query: area.value, format: "csv" })}`); } }, "Tải CSV")),
    out);
  run();
}

function cellValue(term) {
  if (!term) return "";
  if (term.type === "uri") {
    const m = term.value.match(/^https:\/\/cancu\.vn\//);
    return m ? h("a", { href: `#/graph?${qs({ uri: term.value })}` }, term.value.replace(m[0], "")) : term.value;
  }
  const numeric = term.datatype && /#(integer|decimal|double|float|int|long)$/.test(term.datatype);
  return numeric ? fmtNumber(term.value) : term.value;
}

function sparqlTable(body, headers) {
  const parts = [];
  for (const w of body.warnings || []) parts.push(h("p", { class: "warning" }, w));
  if (headers.get("X-Cancu-Timeout") === "true" && !(body.warnings || []).length) parts.push(h("p", { class: "warning" }, "Truy vấn bị dừng do quá thời gian."));
  if ("boolean" in body) return [...parts, h("p", {}, `Kết quả: ${body.boolean ? "đúng" : "sai"}`)];
  const vars = body.head.vars;
  const rows = body.results.bindings;
  parts.push(h("p", { class: "muted small" }, `${rows.length} dòng · ${headers.get("X-Cancu-Elapsed-Ms") || "?"} ms`),
    h("table", {}, h("thead", {}, h("tr", {}, vars.map((v) => h("th", {}, v)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, vars.map((v) => h("td", { class: r[v] && r[v].datatype && /#(integer|decimal|double)$/.test(r[v].datatype) ? "num" : null }, cellValue(r[v]))))))));
  return parts;
}

