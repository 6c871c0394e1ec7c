import { h, fmtDate, fmtNum, fmtPeriod, badge, entityLink, docHref, table, empty, highlightText } from "../dom.js";
import { get } from "../api.js";
import { pageHeader, pager, toHash, field, select, typeOptions, gradeBadge } from "./common.js";
import { timelineChart } from "./timeline.js";

export async function entitiesPage({ query, meta }) {
  const f = { type: query.get("type") || "", q: query.get("q") || "" };
  const offset = Number(query.get("offset") || 0);
  const list = await get("entities", { ...f, limit: 50, offset });
  const form = h("form", { class: "filters", "aria-label": "Filter entities" },
    field("Name", h("input", { name: "q", value: f.q, dir: "auto", type: "search" })),
    field("Type", select("type", typeOptions(meta.entity_types), f.type)),
    h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = toHash("entities", Object.fromEntries(new FormData(form).entries()));
  });
  return h("section", {},
    pageHeader("Entities", "People, states, organisations, places and groups found in the corpus, most mentioned first."),
    form,
    list.items.length ? table([
      ["Name", (e) => entityLink(e.id, e.name)],
      ["Type", (e) => badge("ent", e.type)],
      ["Also written", (e) => h("span", { dir: "auto" }, (e.aliases || []).slice(0, 6).join(" · "))],
      ["Mentions", (e) => fmtNum(e.mentions)],
      ["Documents", (e) => fmtNum(e.docs)],
      ["Last seen", (e) => fmtDate(e.last_seen)],
    ], list.items) : empty("No entities match."),
    pager(list, (o) => toHash("entities", { ...f, offset: o })));
}

export async function entityPage({ params, meta }) {
  const e = await get(`entities/${params[0].split("/").map(encodeURIComponent).join("/")}`);
  const names = (e.names || []).filter((n) => n.text !== e.name);
  const attrs = Object.entries(e.attrs || {});
  return h("article", { class: "entity", "data-title": e.name },
    h("header", { class: "page-head" },
      h("h1", { dir: "auto" }, e.name, " ", badge("ent", e.type)),
      h("p", { class: "lead" }, `${fmtNum(e.mentions)} mentions in ${fmtNum(e.docs)} documents`,
        e.first_seen ? ` · seen ${fmtDate(e.first_seen)} – ${fmtDate(e.last_seen)}` : "", ` · id ${e.id}`)),
    h("div", { class: "grid-2" },
      h("section", {}, h("h2", {}, "Names and aliases"),
        names.length ? h("ul", { class: "names" }, names.map((n) => h("li", {}, h("span", { dir: "auto", lang: n.lang || null }, n.text),
          h("span", { class: "muted" }, ` ${[n.lang, n.kind].filter(Boolean).join(", ")}`)))) :
          (e.aliases.length ? h("p", { dir: "auto" }, e.aliases.join(" · ")) : empty("No other names known.")),
        attrs.length ? h("dl", { class: "attrs" }, attrs.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])) : null,
        (e.offices || []).length ? [h("h3", {}, "Offices"), h("ul", {}, e.offices.map((o) => h("li", {}, o.title, " — ", entityLink(o.holder, o.holder),
          ` (${o.start ? fmtDate(o.start) : "?"} – ${o.end ? fmtDate(o.end) : "now"})`)))] : null,
        (e.merged_from || []).length ? h("p", { class: "muted" }, "Merged from: ", e.merged_from.join(", ")) : null),
      h("section", {}, h("h2", {}, "Timeline"),
        meta.events ? (e.timeline.length ? timelineChart(e.timeline) : empty("No dated events.")) : empty("Events are not stored by this version yet."),
        meta.graph ? h("p", {}, h("a", { href: toHash("graph", { entity: e.id }) }, "Show in the network →"), " · ",
          h("a", { href: toHash("events", { entity: e.id }) }, "All events →")) : null)),
    h("section", {}, h("h2", {}, `Relations (${e.relations.length})`),
      e.relations.length ? table([
        ["Partner", (r) => [badge("ent", r.partner.type), " ", entityLink(r.partner.id, r.partner.name)]],
        ["Events", (r) => fmtNum(r.count)],
        ["Types", (r) => Object.entries(r.types).sort((a, b) => b[1] - a[1]).map(([t, n]) => [badge("ev", t), ` ${n} `])],
        ["Period", (r) => fmtPeriod(r)],
        ["Grade", (r) => gradeBadge(r.grade)],
        ["Evidence", (r) => r.evidence.length ? h("a", { href: docHref(r.evidence[0].doc, r.evidence[0].span.start), dir: "auto", class: "evidence-line" }, r.evidence[0].sentence) : "—"],
      ], e.relations, { class: "relations" }) : empty(meta.events ? "No relations found." : "Relations need events, which this version does not store yet.")),
    h("section", {}, h("h2", {}, `Documents (${fmtNum(e.docs)})`),
      e.documents.length ? h("ul", { class: "entity-docs" }, e.documents.map((d) => h("li", {},
        h("a", { href: docHref(d.id), dir: "auto" }, d.title || d.id), h("span", { class: "muted" }, ` ${fmtDate(d.published)} · ${d.mentions}×`)))) : empty("No documents.")),
    h("section", {}, h("h2", {}, "In context"),
      e.sentences.length ? h("ul", { class: "sentences" }, e.sentences.map((s) => h("li", {},
        h("a", { href: docHref(s.doc, s.span.start), dir: "auto", class: "sentence-link" },
          highlightText(s.text, s.mentions.map((m) => ({ start: m.start - s.span.start, end: m.end - s.span.start })))),
        h("div", { class: "muted small", dir: "auto" }, s.title, " · ", fmtDate(s.published))))) : empty("No sentences.")));
}
