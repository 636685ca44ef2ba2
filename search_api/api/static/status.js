/* Validity of legal documents: a badge per legal-basis item (GET /documents/{id}
 * basis_status) and a legal document's status with its timeline (GET /legal/{n} status),
 * drawn with plain HTML/CSS. Uses h() and legalLink() from util.js / app.js. */
"use strict";

function sourceLinks(sources) {
  return (sources || []).map((s, i) => [i ? " " : "",
    /^https?:\/\//.test(s) ? h("a", { href: s, target: "_blank", rel: "noopener", class: "source" }, "nguồn") : h("span", { class: "source muted" }, s)]);
}

const STATUS_LABELS = {
  in_force: ["ok", "còn hiệu lực"],
  not_in_force: ["ended", "hết hiệu lực"],
  not_yet_in_force: ["warn", "chưa có hiệu lực"],
  partially_in_force: ["warn", "còn hiệu lực một phần"],
  unknown: ["unknown", "chưa rõ hiệu lực"],
};

function basisBadge(item) {
  if (!item) return "";
  const [cls, label] = STATUS_LABELS[item.status] || STATUS_LABELS.unknown;
  let text = label;
  if (item.status === "not_in_force" && item.since) text += ` từ ${item.since}`;
  const parts = [h("span", { class: `badge status ${cls}`, "data-status": item.status }, text)];
  if ((item.replaced_by || []).length) parts.push(" thay bằng ", item.replaced_by.map((n, i) => [i ? ", " : "", legalLink(n)]));
  if (item.date_conflict) parts.push(h("span", { class: "badge warn" }, `ngày ghi ${item.date_conflict.cited}, chính thức ${item.date_conflict.official}`));
  parts.push(" ", sourceLinks(item.source));
  return h("span", { class: "basis-status" }, parts);
}

const EVENT_LABELS = {
  issued: "ban hành", in_force: "có hiệu lực", amended_by: "được sửa đổi bởi", amends: "sửa đổi",
  replaced_by: "được thay thế bởi", not_in_force: "hết hiệu lực", checked_in_force: "nguồn ghi còn hiệu lực", cited: "được căn cứ",
};

function statusBlock(status) {
  if (!status) return "";
  const [cls, label] = STATUS_LABELS[status.in_force || "unknown"] || STATUS_LABELS.unknown;
  const head = h("p", {}, h("span", { class: `badge status ${cls}`, "data-status": status.in_force || "unknown" }, label),
    status.until ? ` từ ${status.until}` : status.in_force_from ? ` từ ${status.in_force_from}` : "",
    (status.replaced_by || []).length ? [" · thay bằng ", status.replaced_by.map((r, i) => [i ? ", " : "", r.number ? legalLink(r.number) : r.uri])] : "",
    (status.amended_by || []).length ? [" · sửa đổi bởi ", status.amended_by.map((r, i) => [i ? ", " : "", r.number ? legalLink(r.number) : r.uri])] : "",
    " ", sourceLinks(status.sources));
  const dated = (status.timeline || []).filter((e) => e.date);
  const days = dated.map((e) => Date.parse(e.date));
  const lo = Math.min(...days), hi = Math.max(...days), span = Math.max(hi - lo, 1);
  const axis = h("div", { class: "timeline", id: "timeline" }, dated.map((e) => {
    const left = ((Date.parse(e.date) - lo) / span) * 100;
    const late = e.event === "cited" && e.after_end;
    const what = e.event === "cited" && e.doc_id ? docLink(e.doc_id, e.number || e.doc_id) : e.number ? legalLink(e.number) : "";
    return h("div", { class: `tl-event ${e.event}${late ? " late" : ""}`, style: `left:${left.toFixed(2)}%`, title: `${e.date} ${EVENT_LABELS[e.event] || e.event}` },
      h("span", { class: "tl-dot" }), h("span", { class: "tl-label" }, `${e.date} ${EVENT_LABELS[e.event] || e.event} `, what));
  }));
  const late = status.cited_after_end || [];
  return h("div", { class: "card", id: "legal-status" }, h("h2", {}, "Hiệu lực"), head, dated.length ? axis : "",
    late.length ? h("div", { class: "card conflict" }, h("strong", {}, `⚠ ${late.length} kế hoạch căn cứ văn bản này sau khi hết hiệu lực:`),
      h("ul", {}, late.map((p) => h("li", {}, p.doc_id ? docLink(p.doc_id, p.plan_number || p.doc_id) : p.plan, ` (${p.plan_date || "?"})`)))) : "");
}
