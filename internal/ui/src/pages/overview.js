import { h, fmtNum, fmtDate, badge, entityLink, docHref, empty } from "../dom.js";
import { get } from "../api.js";
import { pageHeader, docTable, gradeBadge } from "./common.js";

export async function overviewPage({ meta }) {
  const ov = await get("overview");
  const st = ov.stats;
  const card = (label, value, href) => h("a", { class: "card", href }, h("span", { class: "card-value" }, fmtNum(value)), h("span", { class: "card-label" }, label));
  const langs = Object.entries(st.by_lang || {}).sort((a, b) => b[1] - a[1]);
  return h("section", { class: "overview" },
    pageHeader("Overview", st.documents ? `From ${fmtDate(st.oldest)} to ${fmtDate(st.newest)}` : "The corpus is empty: ingest documents with `mizan ingest PATH`."),
    h("div", { class: "cards" },
      card("documents", st.documents, "#/documents"),
      card("entities", st.entities, "#/entities"),
      card("mentions", st.mentions, "#/entities"),
      card("events", st.events, "#/events"),
      card("near-duplicate groups", st.dup_groups, "#/documents"),
      card("failed inputs", st.failures, "#/documents")),
    langs.length ? h("p", { class: "langs" }, "Languages: ", langs.map(([l, n], i) => [i ? " · " : "", h("span", { lang: l }, `${l || "?"} ${fmtNum(n)}`)])) : null,
    h("div", { class: "grid-2" },
      h("section", {}, h("h2", {}, meta.graph ? "Most central actors" : "Most mentioned entities"),
        ov.actors.length ? h("ol", { class: "actors" }, ov.actors.map((a) => h("li", {},
          badge("ent", a.type), " ", entityLink(a.id, a.name),
          h("span", { class: "muted" }, a.events ? ` ${fmtNum(a.events)} events, ${fmtNum(a.partners)} partners, PageRank ${(a.pagerank || 0).toFixed(3)}` : ` ${fmtNum(a.mentions)} mentions in ${fmtNum(a.docs)} documents`)))) : empty("No entities yet.")),
      h("section", {}, h("h2", {}, "Newest relations"),
        ov.relations.length ? h("ul", { class: "relations" }, ov.relations.map((e) => {
          const ev = e.evidence[0];
          return h("li", {}, badge("ev", e.type), " ", entityLink(e.source, e.source_name), e.directed ? " → " : " — ", entityLink(e.target, e.target_name),
            h("span", { class: "muted" }, ` ${fmtNum(e.count)}× · ${e.dated ? fmtDate(e.last, e.last_precision) : "undated"} `), gradeBadge(e.grade),
            ev ? h("div", { class: "evidence-line" }, h("a", { href: docHref(ev.doc, ev.span.start), dir: "auto" }, ev.sentence)) : null);
        })) : empty(meta.events ? "No events yet." : "Events are not stored by this version yet."))),
    h("section", {}, h("h2", {}, "Latest documents"), docTable(ov.latest)));
}
