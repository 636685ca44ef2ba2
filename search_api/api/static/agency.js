/* cancu web page: one agency (#/agency/{scope}/{name}, GET /agencies/{scope}/{name}): its
 * names, the plans that assign it tasks or projects, the projects with their budgets and
 * the tasks with the passage that states each. Uses h(), docLink() from util.js. */
"use strict";

const AGENCY_ROOT = "https://cancu.vn/org/"; // an agency's page key is its URI's path after this
const ROLE_LABELS = { lead: "chủ trì", partner: "phối hợp" };

async function renderAgency(key) {
  const a = await getJSON(`/agencies/${key.split("/").map(encodeURIComponent).join("/")}`);
  const planLabel = (p) => [p.number, p.province].filter(Boolean).join(", ") || p.doc_id || p.uri;
  const plans = a.plans.length ? h("table", { id: "agency-plans" },
    h("thead", {}, h("tr", {}, ["Kế hoạch", "Ngày", "Tỉnh", "Trích yếu", "Nhiệm vụ chủ trì", "Phối hợp", "Dự án"].map((c) => h("th", {}, c)))),
    h("tbody", {}, a.plans.map((p) => h("tr", {},
      h("td", {}, p.doc_id ? docLink(p.doc_id, p.number || p.doc_id) : (p.number || p.uri)), h("td", {}, p.date || ""), h("td", {}, p.province || ""),
      h("td", {}, p.title || ""), h("td", { class: "num" }, p.lead), h("td", { class: "num" }, p.partner), h("td", { class: "num" }, p.projects))))) : h("p", { class: "muted" }, "Không có.");
  const projects = a.projects.length ? h("table", { id: "agency-projects" },
    h("thead", {}, h("tr", {}, ["Dự án / nhiệm vụ", "Vai trò", "Kinh phí (triệu đồng)", "Giai đoạn", "Kế hoạch"].map((c) => h("th", {}, c)))),
    h("tbody", {}, a.projects.map((p) => h("tr", {}, h("td", {}, p.name), h("td", {}, h("span", { class: `badge ${p.role}` }, ROLE_LABELS[p.role] || p.role)),
      h("td", { class: "num" }, fmtNumber(p.budget_vnd_million)), h("td", {}, p.period || ""),
      h("td", {}, p.doc_id ? docLink(p.doc_id, p.plan_number || p.doc_id) : ""))))) : h("p", { class: "muted" }, "Không có.");
  const tasks = a.responsibilities.length ? h("ul", { id: "agency-tasks" }, a.responsibilities.map((r) => h("li", {},
    h("span", { class: `badge ${r.role}` }, ROLE_LABELS[r.role] || r.role), r.task || "",
    r.doc_id ? h("span", { class: "meta" }, " · ", h("a", { href: `#/doc/${encodeURIComponent(r.doc_id)}${r.passage_id ? `?p=${encodeURIComponent(r.passage_id)}` : ""}` }, "xem đoạn văn")) : ""))) : h("p", { class: "muted" }, "Không có.");
  const b = a.budget;
  view().replaceChildren(
    h("h1", {}, a.name, a.province ? h("span", { class: "muted" }, ` — ${a.province}`) : ""),
    h("div", { class: "card" }, kv([["Tên gọi khác", a.aliases.join("; ")], ["Cấp", a.level], ["Tỉnh", a.province],
      ["Kinh phí chủ trì", b.lead_projects ? `${fmtNumber(b.lead_total_vnd_million)} triệu đồng (${b.lead_projects} dự án)` : null],
      ["Theo năm", b.by_year.length ? b.by_year.map((y) => `${y.year}: ${fmtNumber(y.total_vnd_million)}`).join(" · ") : null],
      ["URI", h("span", { class: "uri" }, a.uri)]]),
      h("p", {}, graphLink(a.uri), " · ", h("a", { href: `/projects?${qs({ lead_agency: a.uri })}`, target: "_blank" }, "Dự án chủ trì (JSON)"),
        " · ", h("a", { href: `/agencies/${key}`, target: "_blank" }, "JSON"))),
    h("h2", {}, `Kế hoạch giao nhiệm vụ (${a.plans.length})`), plans,
    h("h2", {}, `Dự án (${a.projects.length})`), projects,
    h("h2", {}, `Nhiệm vụ được giao (${a.responsibilities.length})`), tasks);
}
