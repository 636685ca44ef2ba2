/* cancu web page: find anything by name as the user types (GET /suggest). One box in the
 * header of every page; the graph explorer attaches the same list to its own box. */
"use strict";

const SUGGEST_KINDS = { document: "kế hoạch", legal: "văn bản", agency: "cơ quan", province: "tỉnh" };

/* Suggestions under `input`; `choose(item)` runs on a click or Enter on a suggestion. */
function attachSuggest(input, choose) {
  const list = h("ul", { class: "suggest-list", role: "listbox", hidden: true });
  input.setAttribute("autocomplete", "off");
  input.setAttribute("role", "combobox");
  input.after(list);
  let items = [];
  let active = -1;
  let timer = null;
  let asked = 0;
  const close = () => { list.hidden = true; active = -1; };
  const mark = () => list.querySelectorAll("li").forEach((li, i) => li.classList.toggle("active", i === active));
  const show = (found) => {
    items = found;
    active = found.length ? 0 : -1;
    list.replaceChildren(...found.map((it, i) => h("li", { role: "option", class: i === 0 ? "active" : null, "data-url": it.url,
      onmousedown: (ev) => { ev.preventDefault(); close(); choose(it); } },
      h("span", { class: `badge kind-${it.kind}` }, SUGGEST_KINDS[it.kind] || it.kind), h("strong", {}, it.label),
      it.detail ? h("span", { class: "muted small" }, ` — ${it.detail.length > 80 ? it.detail.slice(0, 78) + "…" : it.detail}`) : "")));
    list.hidden = !found.length;
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(async () => {
      const mine = ++asked;
      try {
        const found = await getJSON(`/suggest?${qs({ q, limit: 10 })}`);
        if (mine === asked) show(found); // an older answer must not replace a newer one
      } catch (e) { close(); }
    }, 180);
  });
  input.addEventListener("keydown", (ev) => {
    if (list.hidden) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      mark();
    } else if (ev.key === "Enter" && active >= 0) {
      ev.preventDefault();
      const it = items[active];
      close();
      choose(it);
    } else if (ev.key === "Escape") close();
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  return list;
}

window.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("find");
  if (box) attachSuggest(box, (it) => { box.value = ""; location.href = it.url; });
});
