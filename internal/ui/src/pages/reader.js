// The reader: a document's clean text, paragraph by paragraph in its own direction, with entity
// mentions highlighted by type and event sentences by PLOVER type. Every sentence has an anchor
// (#/doc/ID?s=START) so graph edges, events and search hits link straight to their evidence.
import { h, chars, fmtDate, badge, entityLink, docHref, empty } from "../dom.js";
import { get } from "../api.js";
import { eventSummary, attribution } from "./common.js";

export async function readerPage({ params, query }) {
  const doc = await get(`documents/${encodeURIComponent(params[0])}`);
  const cs = chars(doc.text);
  const at = query.has("s") ? Number(query.get("s")) : null;

  // Events by sentence start, for highlighting and tooltips.
  const evBySent = new Map();
  for (const ev of doc.events) {
    const k = ev.span.start;
    if (!evBySent.has(k)) evBySent.set(k, []);
    evBySent.get(k).push(ev);
  }
  const sentences = doc.sentences.length ? doc.sentences.map((s) => s.span) : doc.paragraphs.map((p) => p.span);
  const mentions = doc.mentions.filter((m) => m.role !== "boiler").sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);

  const body = h("div", { class: "doc-text" });
  for (const p of doc.paragraphs) {
    const para = h("p", { dir: p.dir || "auto", lang: p.lang || doc.lang || null, class: p.dir === "rtl" ? "rtl" : null });
    let pos = p.span.start;
    for (const s of sentences) {
      const a = Math.max(s.start, p.span.start), b = Math.min(s.end, p.span.end);
      if (b <= a) continue;
      if (a > pos) para.append(cs.slice(pos, a).join(""));
      para.append(sentenceNode(s, a, b, cs, mentions, evBySent.get(s.start)));
      pos = b;
    }
    if (pos < p.span.end) para.append(cs.slice(pos, p.span.end).join(""));
    body.append(para);
  }

  const meta = h("dl", { class: "doc-meta" },
    dt("Published", doc.published ? fmtDate(doc.published, doc.published_precision) + (doc.published_text ? ` (“${doc.published_text}”)` : "") : "unknown"),
    dt("Outlet", doc.outlet || "—"),
    dt("Authors", (doc.authors || []).join(", ") || "—"),
    dt("Language", doc.lang || "—"),
    dt("Source", doc.source),
    dt("Format", `${doc.format}, ${doc.chars} characters, ${doc.sentences.length} sentences`),
    dt("Id", doc.id));

  const legend = h("div", { class: "legend", "aria-label": "Highlight legend" },
    h("span", { class: "muted" }, "Mentions: "),
    ["PERSON", "ORG", "GPE", "LOC", "FAC", "GROUP", "MISC"].map((t) => h("mark", { class: `m m-${t.toLowerCase()}` }, t)),
    doc.events.length ? [h("span", { class: "muted" }, " · Events: "), h("span", { class: "ev-sent legend-ev" }, "sentence with an event")] : null);

  const events = doc.events.length ? h("ol", { class: "doc-events" }, doc.events.map((ev) => h("li", {},
    h("a", { href: docHref(doc.id, ev.span.start), class: "ev-jump" }, fmtDate(ev.date && ev.date.start, ev.date && ev.date.precision)),
    " ", eventSummary(ev),
    ev.place ? [" in ", entityLink(ev.place.id, ev.place.name)] : null,
    h("div", { class: "small" }, "Attribution: ", attribution(ev.attribution), ev.hedged ? [" · hedged by ", h("q", {}, (ev.hedge_cues || []).join(", ") || "a cue")] : null,
      ` · confidence ${Math.round((ev.confidence || 0) * 100)}%`)))) : empty("No events found in this document.");

  const ents = new Map();
  for (const m of mentions) {
    if (!m.entity) continue;
    const e = ents.get(m.entity) || { id: m.entity, name: m.canonical || m.text, type: m.type, n: 0 };
    e.n++;
    ents.set(m.entity, e);
  }
  const entList = ents.size ? h("ul", { class: "doc-entities" }, [...ents.values()].sort((a, b) => b.n - a.n).map((e) =>
    h("li", {}, badge("ent", e.type), " ", entityLink(e.id, e.name), h("span", { class: "muted" }, ` ×${e.n}`)))) : empty("No entities found.");

  const dups = doc.near_duplicates.length ? h("ul", {}, doc.near_duplicates.map((d) => h("li", {}, h("a", { href: docHref(d.id), dir: "auto" }, d.title || d.id), ` (${d.lang || "?"}, ${d.outlet || "—"})`))) : null;

  const root = h("article", { class: "reader", "data-title": doc.title || "Document", "data-keep-scroll": at != null ? "" : null },
    h("header", { class: "page-head" }, h("h1", { dir: "auto", lang: doc.lang || null }, doc.title || "(untitled)")),
    h("div", { class: "reader-grid" },
      h("div", { class: "reader-main" }, legend, body),
      h("aside", { class: "reader-side", "aria-label": "About this document" },
        meta,
        h("h2", {}, `Events (${doc.events.length})`), events,
        h("h2", {}, `Entities (${ents.size})`), entList,
        dups ? [h("h2", {}, "Near duplicates"), dups] : null)));
  root.afterMount = () => {
    if (at == null) return;
    const el = document.getElementById(`s-${at}`) || nearestSentence(at);
    if (el) {
      el.classList.add("target");
      el.scrollIntoView({ block: "center" });
      el.focus({ preventScroll: true });
    }
  };
  return root;
}

function nearestSentence(at) {
  let best = null;
  for (const el of document.querySelectorAll(".doc-text .sent")) {
    if (Number(el.dataset.start) <= at) best = el;
  }
  return best;
}

function dt(k, v) {
  return [h("dt", {}, k), h("dd", { dir: "auto" }, v)];
}

/** sentenceNode renders characters [a, b) of sentence s with its mentions. */
function sentenceNode(s, a, b, cs, mentions, evs) {
  const cls = ["sent"];
  let title = null;
  if (evs && evs.length) {
    cls.push("ev-sent", `sev-${evs[0].type.toLowerCase()}`);
    if (evs.some((e) => e.hedged || e.mode === "possible")) cls.push("ev-hedged");
    title = evs.map((e) => `${e.type}${e.subtype ? "/" + e.subtype : ""} (${e.mode}${e.hedged ? ", hedged" : ""}) — ${attrText(e.attribution)}`).join("\n");
  }
  const el = h("span", { class: cls, id: `s-${s.start}`, "data-start": s.start, tabindex: "-1", title });
  let pos = a;
  for (const m of mentions) {
    if (m.span.end <= pos || m.span.start < pos) continue;
    if (m.span.start >= b) break;
    const end = Math.min(m.span.end, b);
    if (m.span.start > pos) el.append(cs.slice(pos, m.span.start).join(""));
    const text = cs.slice(m.span.start, end).join("");
    const label = `${m.type}${m.canonical && m.canonical !== m.text ? ": " + m.canonical : ""}${m.role ? " (" + m.role + ")" : ""}`;
    const mark = h("mark", { class: ["m", `m-${String(m.type).toLowerCase()}`, m.role ? `role-${m.role}` : null], title: label }, text);
    el.append(m.entity ? h("a", { href: `#/entity/${encodeURIComponent(m.entity)}`, class: "m-link" }, mark) : mark);
    pos = end;
  }
  if (pos < b) el.append(cs.slice(pos, b).join(""));
  return el;
}

function attrText(a) {
  if (!a || !a.kind) return "unattributed";
  return a.text ? `${a.kind}: ${a.text}` : a.kind;
}

