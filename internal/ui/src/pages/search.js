import { h, fmtDate, docHref, empty, highlightText, fmtNum } from "../dom.js";
import { get } from "../api.js";
import { pageHeader, pager, toHash, field } from "./common.js";

export async function searchPage({ query }) {
  const f = { q: query.get("q") || "", lang: query.get("lang") || "" };
  const offset = Number(query.get("offset") || 0);
  const input = h("input", { name: "q", type: "search", value: f.q, dir: "auto", "data-autofocus": f.q ? null : "", size: 40, required: true });
  const form = h("form", { class: "filters", role: "search", "aria-label": "Search documents" },
    field("Words", input),
    field("Language", h("input", { name: "lang", value: f.lang, size: 4, placeholder: "any" })),
    h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = toHash("search", Object.fromEntries(new FormData(form).entries()));
  });
  const head = pageHeader("Search", "Full text, Arabic-aware: الجزائر also finds والجزائر, Algérie finds Algerie. \"Phrases\", OR and -word work.");
  if (!f.q) return h("section", {}, head, form);
  const list = await get("search", { ...f, limit: 20, offset });
  return h("section", {}, head, form,
    h("p", { class: "muted" }, `${fmtNum(list.total)} matching documents`),
    list.items.length ? h("ol", { class: "hits", start: null }, list.items.map((hit) => h("li", { class: "hit" },
      h("a", { href: docHref(hit.id, hit.span.start), class: "hit-title", dir: "auto", lang: hit.lang || null }, hit.title || hit.id),
      h("div", { class: "muted small" }, `${hit.lang || "?"} · ${fmtDate(hit.published, hit.published_precision)} · ${hit.outlet || "—"}`),
      h("p", { class: "snippet", dir: "auto" }, highlightText(hit.snippet, hit.highlights))))) : empty("Nothing matches."),
    pager(list, (o) => toHash("search", { ...f, offset: o })));
}
