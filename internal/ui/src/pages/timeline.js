import { h, fmtNum, badge, empty } from "../dom.js";
import { get } from "../api.js";
import { pageHeader, toHash, field, select, typeOptions } from "./common.js";

/** timelineChart draws buckets as bars stacked by PLOVER type, each a link to its events. */
export function timelineChart(buckets, entity) {
  const maxCount = Math.max(1, ...buckets.map((b) => b.count));
  const bars = buckets.map((b) => {
    const bar = h("a", { class: "tl-bar", href: toHash("events", { entity, since: b.period, until: nextPeriod(b.period) }), title: `${b.period}: ${b.count} events` },
      h("span", { class: "tl-count" }, fmtNum(b.count)));
    const stack = h("span", { class: "tl-stack", "aria-hidden": "true" });
    for (const [t, n] of Object.entries(b.types).sort()) {
      const seg = h("span", { class: `tl-seg ev-bg-${t.toLowerCase()}` });
      seg.style.height = `${(n / maxCount) * 100}%`; // CSSOM, allowed by the CSP (no inline style attribute)
      stack.append(seg);
    }
    bar.prepend(stack);
    return h("li", {}, bar, h("span", { class: "tl-label" }, b.period));
  });
  return h("ol", { class: "timeline", "aria-label": "Events by period" }, bars);
}

/** nextPeriod is the start of the period after p ("2024" → "2025", "2024-12" → "2025-01"). */
function nextPeriod(p) {
  const parts = p.split("-").map(Number);
  if (parts.length === 1) return String(parts[0] + 1);
  if (parts.length === 2) {
    const [y, m] = parts;
    return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  }
  const d = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2] + 1));
  return d.toISOString().slice(0, 10);
}

export async function timelinePage({ query, meta }) {
  const f = { entity: query.get("entity") || "", type: query.get("type") || "", bucket: query.get("bucket") || "month", since: query.get("since") || "", until: query.get("until") || "" };
  const form = h("form", { class: "filters", "aria-label": "Timeline filters" },
    field("Entity (id or name)", h("input", { name: "entity", value: f.entity, dir: "auto" })),
    field("Event type", select("type", typeOptions(meta.event_types), f.type)),
    field("Period", select("bucket", [["day", "day"], ["month", "month"], ["year", "year"]], f.bucket)),
    field("Since", h("input", { name: "since", type: "date", value: f.since })),
    field("Until", h("input", { name: "until", type: "date", value: f.until })),
    h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = toHash("timeline", Object.fromEntries(new FormData(form).entries()));
  });
  const head = pageHeader("Timeline", "Events by period. A bar opens the events of its period.");
  if (!meta.events) return h("section", {}, head, empty("Events are not stored by this version yet."));
  const tl = await get("timeline", f);
  return h("section", {}, head, form,
    h("p", { class: "muted" }, `${fmtNum(tl.total)} events, ${fmtNum(tl.undated)} undated.`),
    tl.buckets.length ? timelineChart(tl.buckets, f.entity) : empty("No dated events match."),
    h("div", { class: "legend" }, meta.event_types.map((t) => badge("ev", t))));
}
