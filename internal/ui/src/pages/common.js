// Pieces shared by several pages.
import { h, fmtDate, fmtNum, badge, entityLink, docHref, table, empty } from "../dom.js";

/** pageHeader is a page's title and an optional lead paragraph. */
export function pageHeader(title, lead) {
  return h("header", { class: "page-head" }, h("h1", {}, title), lead ? h("p", { class: "lead" }, lead) : null);
}

/** docTable lists documents. */
export function docTable(docs, caption) {
  if (!docs.length) return empty("No documents.");
  return table([
    ["Title", (d) => h("a", { href: docHref(d.id), dir: "auto", lang: d.lang || null }, d.title || "(untitled)")],
    ["Lang", (d) => d.lang || "—"],
    ["Published", (d) => fmtDate(d.published, d.published_precision)],
    ["Outlet", (d) => h("span", { dir: "auto" }, d.outlet || "—")],
    ["Chars", (d) => fmtNum(d.chars)],
    ["Near-dup", (d) => (d.dup_group ? h("a", { href: docHref(d.dup_group), title: "first document of its near-duplicate group" }, d.dup_group.slice(0, 8)) : "")],
  ], docs, { caption, class: "docs" });
}

/** actorNames lists event actors as profile links. */
export function actorNames(actors) {
  if (!actors || !actors.length) return "—";
  const out = [];
  actors.forEach((a, i) => {
    if (i) out.push(", ");
    out.push(entityLink(a.id, a.name || a.text));
  });
  return out;
}

/** eventSummary is one line for an event: type, who, whom, mode, hedging, attribution. */
export function eventSummary(ev) {
  return h("span", { class: "ev-summary" },
    badge("ev", ev.type), ev.subtype ? h("span", { class: "subtype" }, `/${ev.subtype}`) : null, " ",
    actorNames(ev.source), " → ", actorNames(ev.target),
    ev.mode && ev.mode !== "asserted" ? [" ", h("span", { class: `mode mode-${ev.mode}` }, ev.mode)] : null,
    ev.hedged ? [" ", h("span", { class: "hedged", title: (ev.hedge_cues || []).join(", ") }, "hedged")] : null);
}

/** attribution says who asserts a claim. */
export function attribution(a) {
  if (!a || !a.kind) return "—";
  const kinds = { author: "the outlet", named_person: "named person", named_org: "named organisation", media: "other media", document: "a document", anonymous: "anonymous source" };
  return h("span", { class: `attr attr-${a.kind}` }, kinds[a.kind] || a.kind, a.text ? [": ", h("q", { dir: "auto" }, a.text)] : null);
}

/** pager is previous/next links for a paginated listing. */
export function pager(list, hrefFor) {
  const { total, limit, offset } = list;
  const from = total ? offset + 1 : 0;
  const to = Math.min(offset + list.items.length, total);
  return h("nav", { class: "pager", "aria-label": "Pages" },
    offset > 0 ? h("a", { href: hrefFor(Math.max(offset - limit, 0)), rel: null }, "← Previous") : h("span", { class: "disabled" }, "← Previous"),
    h("span", { class: "count" }, `${fmtNum(from)}–${fmtNum(to)} of ${fmtNum(total)}`),
    to < total ? h("a", { href: hrefFor(offset + limit) }, "Next →") : h("span", { class: "disabled" }, "Next →"));
}

/** toHash builds an in-app link with a query. */
export function toHash(path, params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== "" && v !== false) u.set(k, String(v));
  const s = u.toString();
  return `#/${path}${s ? `?${s}` : ""}`;
}

/** field is a labelled form control. */
export function field(label, control) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}

/** select builds a select of options [value, label]. */
export function select(name, options, value) {
  return h("select", { name }, options.map(([v, l]) => h("option", { value: v, selected: v === value }, l)));
}

export const typeOptions = (types, anyLabel = "any type") => [["", anyLabel], ...types.map((t) => [t, t])];

/** credibilityMeaning is the standard wording of an Admiralty credibility (1–6). */
export const credibilityMeaning = { 1: "confirmed", 2: "probably true", 3: "possibly true", 4: "doubtful", 5: "improbable", 6: "cannot be judged" };

/** gradeBadge shows an Admiralty grade ("B2"), its meaning and reasons in the tooltip. */
export function gradeBadge(g) {
  if (!g || !g.grade) return h("span", { class: "grade grade-none", title: "not graded" }, "—");
  const cred = g.credibility || Number(String(g.grade).slice(1)) || 6;
  const title = [`reliability ${g.reliability || String(g.grade)[0]}, credibility ${cred}: ${credibilityMeaning[cred] || ""}`, ...(g.reasons || [])].join("\n");
  return h("span", { class: `grade grade-${cred}`, title }, g.grade);
}

/** credibilityFilters are the network's filters by Admiralty grade and as-of date. */
export function credibilityFilters(f) {
  return [
    field("As of", h("input", { name: "as_of", type: "date", value: f.as_of || "", title: "the network as it stood on this date" })),
    field("Credibility ≤", select("max_credibility", [["", "any"], ["1", "1 confirmed"], ["2", "2 probably true"], ["3", "3 possibly true"], ["4", "4 doubtful"], ["5", "5 improbable"]], f.max_credibility || "")),
    field("Reliability ≥", select("min_reliability", [["", "any"], ["A", "A"], ["B", "B"], ["C", "C"], ["D", "D"], ["E", "E"]], f.min_reliability || "")),
  ];
}
