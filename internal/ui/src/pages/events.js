import { h, fmtDate, docHref, table, empty, entityLink } from "../dom.js";
import { get, qs } from "../api.js";
import { pageHeader, pager, toHash, field, select, typeOptions, eventSummary, attribution } from "./common.js";

export async function eventsPage({ query, meta }) {
  const keys = ["entity", "between", "type", "since", "until", "doc"];
  const f = Object.fromEntries(keys.map((k) => [k, query.get(k) || ""]));
  const offset = Number(query.get("offset") || 0);
  const head = pageHeader("Events", "Who did what to whom, when, according to whom and how surely, newest first. A row opens its sentence in the reader.");
  if (!meta.events) return h("section", {}, head, empty("Events are not stored by this version yet."));
  const list = await get("events", { ...f, limit: 50, offset });
  const form = h("form", { class: "filters", "aria-label": "Filter events" },
    field("Entity", h("input", { name: "entity", value: f.entity, dir: "auto", placeholder: "id or name" })),
    field("Between (A,B)", h("input", { name: "between", value: f.between, dir: "auto", placeholder: "Algeria,Russia" })),
    field("Type", select("type", typeOptions(meta.event_types), f.type)),
    field("Since", h("input", { name: "since", type: "date", value: f.since })),
    field("Until", h("input", { name: "until", type: "date", value: f.until })),
    h("input", { type: "hidden", name: "doc", value: f.doc }),
    h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = toHash("events", Object.fromEntries(new FormData(form).entries()));
  });
  const csv = h("a", { href: `/api/v1/events${qs({ ...f, format: "csv" })}`, class: "button", download: "mizan-events.csv" }, "Download CSV");
  return h("section", {}, head, form,
    h("p", { class: "actions" }, csv, f.doc ? [" Only document ", h("a", { href: docHref(f.doc) }, f.doc)] : null),
    list.items.length ? table([
      ["Date", (ev) => fmtDate(ev.date && ev.date.start, ev.date && ev.date.precision)],
      ["Event", (ev) => eventSummary(ev)],
      ["Place", (ev) => (ev.place ? entityLink(ev.place.id, ev.place.name) : "—")],
      ["Attribution", (ev) => attribution(ev.attribution)],
      ["Conf.", (ev) => `${Math.round((ev.confidence || 0) * 100)}%`],
      ["Sentence", (ev) => h("a", { href: docHref(ev.doc, ev.span.start), class: "evidence-line event-row-link", dir: "auto" }, ev.sentence)],
    ], list.items, { class: "events" }) : empty("No events match."),
    pager(list, (o) => toHash("events", { ...f, offset: o })));
}
