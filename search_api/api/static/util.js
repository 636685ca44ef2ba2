/* cancu web page, shared helpers: DOM building, API calls, highlighting. Loaded first. */
"use strict";

const view = () => document.getElementById("view");

/* ---------- small helpers ---------- */

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

async function api(path, options) {
  const res = await fetch(path, options);
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) {
    const msg = body && body.detail ? body.detail : `${res.status} ${res.statusText}`;
    const err = new Error(msg);
    err.status = res.status;
    throw err;
  }
  return { body, headers: res.headers };
}

async function getJSON(path) {
  return (await api(path)).body;
}

function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") p.set(k, v);
  return p.toString();
}

/* Term matching: accent-insensitive only when the query itself has no diacritics, so
 * "dữ liệu" does not light up "dự án" but "du lieu" still finds "dữ liệu". Both keys
 * keep string length for NFC text, so match offsets are offsets into the text. */
let termKey = (s) => (s || "").normalize("NFC").toLowerCase();

function setTermMode(query) {
  termKey = fold(query) === (query || "").toLowerCase() ? fold : (s) => (s || "").normalize("NFC").toLowerCase();
}

function fold(s) {
  return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

const fmtNumber = (n) => (n === null || n === undefined ? "—" : Number(n).toLocaleString("vi-VN"));
const errorBox = (e) => h("p", { class: "error" }, "Lỗi: ", e.message || String(e));
const docLink = (id, label) => h("a", { href: `#/doc/${encodeURIComponent(id)}` }, label || id);
const legalLink = (number, label) => h("a", { href: `#/legal/${encodeURIComponent(number)}`, class: "legal-link" }, label || number);
const graphLink = (uri, label) => h("a", { href: `#/graph?${qs({ uri })}` }, label || "Xem trên đồ thị");

/* Highlight text: wrap [start, end) in <mark class="answer"> and query terms in <mark>. */
function highlighted(text, span, terms) {
  const frag = document.createDocumentFragment();
  const pieces = span ? [[text.slice(0, span.start), false], [text.slice(span.start, span.end), true], [text.slice(span.end), false]] : [[text, false]];
  for (const [piece, isAnswer] of pieces) {
    if (!piece) continue;
    const holder = isAnswer ? h("mark", { class: "answer" }) : frag;
    appendTerms(holder, piece, terms);
    if (isAnswer) frag.append(holder);
  }
  return frag;
}

function appendTerms(parent, text, terms) {
  const words = (terms || []).filter((t) => t.length > 1);
  if (!words.length) {
    parent.append(text);
    return;
  }
  const folded = termKey(text);
  let i = 0;
  const re = new RegExp(`(^|[^\\p{L}\\p{N}])(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})(?=$|[^\\p{L}\\p{N}])`, "gu");
  let m;
  while ((m = re.exec(folded)) !== null) {
    const start = m.index + m[1].length;
    const end = start + m[2].length;
    if (start > i) parent.append(text.slice(i, start));
    parent.append(h("b", {}, text.slice(start, end)));
    i = end;
  }
  if (i < text.length) parent.append(text.slice(i));
}

const STOP = new Set(["cua", "va", "cac", "nhung", "la", "co", "duoc", "cho", "voi", "trong", "de", "nay", "theo", "ve", "tai", "tu", "mot", "nao", "gi", "ai"]);

function queryTerms(q) {
  setTermMode(q);
  return termKey(q).split(/[^\p{L}\p{N}/]+/u).filter((t) => t && !STOP.has(fold(t)));
}

/* The sentence of a hit that shares most query terms (shown highlighted). */
function bestSentence(text, terms) {
  const re = /[^.;!?\n]+[.;!?]?/g;
  let best = null;
  let m;
  while ((m = re.exec(text)) !== null) {
    const f = termKey(m[0]);
    const score = terms.reduce((s, t) => s + (f.includes(t) ? 1 : 0), 0);
    if (score > 0 && (!best || score > best.score)) best = { start: m.index, end: m.index + m[0].length, score };
  }
  if (!best || best.score < Math.min(2, terms.length)) return null; // one common word is no answer
  while (best.start < best.end && /\s/.test(text[best.start])) best.start++;
  return best;
}

