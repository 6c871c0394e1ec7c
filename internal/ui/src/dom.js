// DOM helpers. Documents are untrusted input: every string goes into the page as a text node or
// through setAttribute on a fixed set of attributes, never as markup, and links can only point
// inside the app or at its own API. The Content-Security-Policy would block an injected script
// anyway; this makes sure nothing is injected in the first place.

const ALLOWED_ATTRS = new Set([
  "id", "class", "title", "lang", "dir", "role", "tabindex", "type", "name", "value", "placeholder",
  "for", "min", "max", "step", "checked", "selected", "disabled", "multiple", "accept", "autocomplete",
  "aria-label", "aria-live", "aria-current", "aria-describedby", "aria-expanded", "aria-controls",
  "aria-hidden", "aria-pressed", "aria-sort", "colspan", "scope", "download", "required", "size", "maxlength",
  "spellcheck", "inputmode", "hidden",
]);

/** safeHref keeps in-app routes (#/...) and same-origin API paths; anything else becomes "#". */
export function safeHref(v) {
  const s = String(v);
  if (s.startsWith("#/") || s === "#") return s;
  if (s.startsWith("/api/v1/") && !s.startsWith("//")) return s;
  return "#";
}

/**
 * h builds an element. props: attributes (only a fixed safe set), class, href (checked),
 * dataset, and on<event> functions. children: nodes, strings (as text), arrays, null.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) {
      if (typeof v === "function") el.addEventListener(k.slice(2).toLowerCase(), v);
      continue;
    }
    if (k === "class") el.className = Array.isArray(v) ? v.filter(Boolean).join(" ") : String(v);
    else if (k === "href") el.setAttribute("href", safeHref(v));
    else if (k === "dataset") for (const [dk, dv] of Object.entries(v)) el.dataset[dk] = String(dv);
    else if (ALLOWED_ATTRS.has(k) || k.startsWith("data-")) el.setAttribute(k, v === true ? "" : String(v));
    else throw new Error(`h: attribute ${k} is not allowed`);
  }
  append(el, children);
  return el;
}

/** append adds children: strings become text nodes (never markup). */
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** clear empties an element. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** chars splits text into code points: the unit of every span the API returns. */
export const chars = (s) => Array.from(s || "");

// fmtPeriod is the time of a set of events (an edge, a relation) as exactly as their texts
// give it, saying how many the texts date: undated events are not given their report's date.
export function fmtPeriod(r) {
  if (!r.dated) return "undated";
  const a = fmtDate(r.first, r.first_precision), b = fmtDate(r.last, r.last_precision);
  const when = a === b ? a : `${a} – ${b}`;
  return r.dated < r.count ? `${when} (${fmtNum(r.dated)} of ${fmtNum(r.count)} dated)` : when;
}

/** fmtDate prints a date no more precisely than it is known. */
export function fmtDate(iso, precision) {
  if (!iso) return "—";
  const s = String(iso);
  switch (precision) {
    case "year": return s.slice(0, 4);
    // A season or a range ("end of 2024") is shown by the month it starts in, never a day.
    case "month": case "season": case "range": return s.slice(0, 7);
    default: return s.slice(0, 10);
  }
}

export const fmtNum = (n) => (n == null ? "—" : Number(n).toLocaleString("en"));

/** typeBadge shows an entity or event type. */
export function badge(kind, value) {
  return h("span", { class: ["badge", `${kind}-${String(value || "").toLowerCase()}`] }, value || "?");
}

/** entityLink links to an entity's profile. */
export function entityLink(id, name) {
  if (!id) return h("span", {}, name || "—");
  return h("a", { href: `#/entity/${encodeURIComponent(id)}`, class: "entity-link" }, name || id);
}

/** docLink links to the reader, at a sentence when start is given. */
export function docHref(id, start) {
  return `#/doc/${encodeURIComponent(id)}` + (start != null ? `?s=${start}` : "");
}

/** table builds an accessible table: cols are [header, cell(row) => node|string]. */
export function table(cols, rows, opts = {}) {
  return h("div", { class: "table-wrap" },
    h("table", { class: opts.class || "" },
      opts.caption ? h("caption", {}, opts.caption) : null,
      h("thead", {}, h("tr", {}, cols.map(([head]) => h("th", { scope: "col" }, head)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, cols.map(([, cell]) => h("td", {}, cell(r))))))));
}

/** empty is the message of an empty section. */
export const empty = (text) => h("p", { class: "empty" }, text);

/** highlightText renders text with marked character spans (spans inside text). */
export function highlightText(text, spans, cls = "hl") {
  const cs = chars(text);
  const out = [];
  let last = 0;
  for (const sp of [...(spans || [])].sort((a, b) => a.start - b.start)) {
    if (sp.start < last || sp.end > cs.length) continue;
    out.push(cs.slice(last, sp.start).join(""));
    out.push(h("mark", { class: cls }, cs.slice(sp.start, sp.end).join("")));
    last = sp.end;
  }
  out.push(cs.slice(last).join(""));
  return out;
}

/** replace sets an element's children (skipping null and false, like h). */
export function replace(el, ...children) {
  return append(clear(el), children);
}
