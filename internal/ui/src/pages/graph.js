// The network of the analysis graph: entities as nodes (most central first), and for every pair
// of entities that events link, one relation with its events counted by PLOVER type and
// direction, its NATO Admiralty grade and its evidence. Clicking (or pressing Enter on) a node
// shows its profile summary; an edge shows its grade with the reasons and its evidence sentences,
// each a link to the reader at that sentence. The same nodes and edges are listed as links in
// the side panel, so the graph is usable from the keyboard too.
import cytoscape from "cytoscape";
import { h, fmtDate, fmtNum, fmtPeriod, badge, entityLink, docHref, empty, replace } from "../dom.js";
import { get } from "../api.js";
import { pageHeader, toHash, field, select, typeOptions, attribution, gradeBadge, credibilityFilters, credibilityMeaning } from "./common.js";

const nodeColors = { PERSON: "#2f6db5", ORG: "#7a4fb0", GPE: "#1f8a5b", LOC: "#8a6d1f", FAC: "#6b6b6b", GROUP: "#b5452f", MISC: "#4f7f8a" };
const edgeColors = {
  AGREE: "#1f8a5b", CONSULT: "#2f6db5", SUPPORT: "#3d9a7a", CONCEDE: "#6aa84f", COOPERATE: "#1c7c8c", AID: "#4f9d2f",
  RETREAT: "#9aa84f", REQUEST: "#7f7fbf", ACCUSE: "#c27c0e", REJECT: "#b5702f", THREATEN: "#c0392b", PROTEST: "#d4883a",
  SANCTION: "#8e44ad", MOBILIZE: "#a0522d", COERCE: "#a93226", ASSAULT: "#7b1010",
};

export async function graphPage({ query, meta, onCleanup }) {
  const keys = ["entity", "type", "entity_type", "since", "until", "as_of", "min_confidence", "no_hedged", "no_anonymous", "max_credibility", "min_reliability", "rank", "max_nodes"];
  const f = Object.fromEntries(keys.map((k) => [k, query.get(k) || ""]));
  const head = pageHeader("Network", "Who acts on whom, how surely. Click a node for its profile, a relation for its grade and the sentences that back it.");
  if (!meta.graph) return h("section", {}, head, empty("The network needs events, which this version does not store yet."));
  const g = await get("graph", { ...f, max_evidence: 10 });

  const form = h("form", { class: "filters", "aria-label": "Filter the network" },
    field("Entity", h("input", { name: "entity", value: f.entity, dir: "auto", placeholder: "focus on…" })),
    field("Event type", select("type", typeOptions(meta.event_types), f.type)),
    field("Entity type", select("entity_type", typeOptions(meta.entity_types), f.entity_type)),
    field("Since", h("input", { name: "since", type: "date", value: f.since })),
    field("Until", h("input", { name: "until", type: "date", value: f.until })),
    ...credibilityFilters(f),
    field("Min. confidence", select("min_confidence", [["", "any"], ["0.5", "50%"], ["0.7", "70%"], ["0.9", "90%"]], f.min_confidence)),
    h("div", { class: "field check" }, h("label", {}, h("input", { type: "checkbox", name: "no_hedged", value: "true", checked: f.no_hedged === "true" }), " no hedged claims")),
    h("div", { class: "field check" }, h("label", {}, h("input", { type: "checkbox", name: "no_anonymous", value: "true", checked: f.no_anonymous === "true" }), " no anonymous sources")),
    field("Rank by", select("rank", [["", "PageRank"], ["betweenness", "betweenness"], ["events", "events"]], f.rank)),
    field("Nodes", select("max_nodes", [["", "150"], ["50", "50"], ["300", "300"], ["1000", "1000"]], f.max_nodes)),
    h("button", { type: "submit" }, "Apply"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = toHash("graph", Object.fromEntries(new FormData(form).entries()));
  });

  const nodesById = new Map(g.nodes.map((n) => [n.id, n]));
  const edgesById = new Map(g.edges.map((e) => [e.id, e]));
  const canvas = h("div", { class: "graph-canvas", role: "img", "aria-label": `Network of ${g.nodes.length} entities and ${g.edges.length} relations; the list beside it has the same content` });
  const panel = h("div", { class: "graph-panel", "aria-live": "polite" });
  const lists = h("div", { class: "graph-lists" },
    h("h2", {}, `Relations (${fmtNum(g.edges.length)} of ${fmtNum(g.total_edges)})`),
    g.edges.length ? h("ul", { class: "edge-list" }, g.edges.slice(0, 200).map((e) => h("li", {},
      h("a", { href: "#", class: "edge-link", "data-edge": e.id, onclick: (ev) => { ev.preventDefault(); showEdge(e); pick(e.id); } },
        `${e.source_name} ${e.directed ? "→" : "—"} ${e.target_name}`), " ", badge("ev", e.type), ` ×${e.count} `, gradeBadge(e.grade)))) : empty("No relations match these filters."),
    h("h2", {}, `Entities (${fmtNum(g.nodes.length)} of ${fmtNum(g.total_nodes)})`),
    h("ul", { class: "node-list" }, g.nodes.slice(0, 200).map((n) => h("li", {},
      h("a", { href: "#", class: "node-link", onclick: (ev) => { ev.preventDefault(); showNode(n); pick(n.id); } }, n.name), " ", badge("ent", n.type), ` ${n.events} events`))));

  const fmtShare = (x) => (x == null ? "—" : x.toFixed(4));
  function showNode(n) {
    replace(panel, h("h2", { dir: "auto" }, n.name), badge("ent", n.type),
      h("p", {}, `${fmtNum(n.events)} events with ${fmtNum(n.degree)} partners.`),
      h("p", { class: "small muted" }, `PageRank ${fmtShare(n.pagerank)} · betweenness ${fmtShare(n.betweenness)}${n.betweenness_approx ? " (estimated)" : ""}`),
      h("p", {}, entityLink(n.id, "Open the profile →"), " · ", h("a", { href: toHash("graph", { ...f, entity: n.id }) }, "Focus the network on it")));
  }
  function showEdge(e) {
    const g8 = e.grade;
    replace(panel,
      h("h2", {}, entityLink(e.source, e.source_name), e.directed ? " → " : " — ", entityLink(e.target, e.target_name)),
      h("p", { class: "type-counts" }, e.types.map((t) => [badge("ev", t.type), ` ${fmtNum(t.count)} `])),
      h("p", {}, `${fmtNum(e.count)} events in ${fmtNum(e.docs)} documents · ${fmtPeriod(e)}`,
        h("br"), h("span", { class: "small muted" }, `${fmtNum(e.source_to_target)} ${e.source_name} → ${e.target_name}, ${fmtNum(e.target_to_source)} back, ${fmtNum(e.mutual)} together`)),
      g8 ? [h("h3", {}, "Grade ", gradeBadge(g8)),
        h("p", { class: "small" }, `Best of ${fmtNum(e.claims)} claims: outlet reliability ${g8.reliability}, credibility ${g8.credibility} (${credibilityMeaning[g8.credibility] || "?"}).`),
        (g8.reasons || []).length ? h("ul", { class: "reasons" }, g8.reasons.map((r) => h("li", {}, r))) : null]
        : h("p", { class: "small muted" }, g.graded ? "No claim to grade." : "Grades are being computed."),
      h("h3", {}, "Evidence"),
      h("ol", { class: "evidence" }, e.evidence.map((ev) => h("li", {},
        h("a", { href: docHref(ev.doc, ev.span.start), class: "evidence-link", dir: "auto" }, ev.sentence),
        h("div", { class: "small muted" }, badge("ev", ev.type), " ", fmtDate(ev.date, ev.precision), ev.outlet ? [" · ", h("span", { dir: "auto" }, ev.outlet), ` (${ev.reliability})`] : ` · outlet ${ev.reliability}`,
          " · ", ev.mode, ev.hedged ? " · hedged" : "", " · ", attribution({ kind: ev.attribution }), ` · ${Math.round(ev.confidence * 100)}% `,
          ev.grade ? gradeBadge({ grade: ev.grade, credibility: ev.credibility, reliability: ev.reliability }) : null)))),
      e.count > e.evidence.length ? h("p", {}, h("a", { href: toHash("events", { between: `${e.source},${e.target}` }) }, `All ${e.count} events →`)) : null);
  }

  let cy = null;
  function pick(id) {
    if (!cy) return;
    cy.elements().unselect();
    const el = cy.getElementById(id);
    if (el) el.select();
  }

  const note = g.graded ? null : h("p", { class: "small muted" }, "The claims are still being graded: grades and the credibility filter will be there in a few minutes.");
  const root = h("section", { class: "graph-page" }, head, form, note,
    h("div", { class: "graph-grid" }, canvas, h("aside", { class: "graph-side", "aria-label": "Selection and lists" }, panel, lists)));
  panel.append(empty("Select a node or an edge."));
  root.afterMount = () => {
    if (!g.nodes.length) return;
    const maxEvents = Math.max(1, ...g.nodes.map((n) => n.events));
    cy = cytoscape({
      container: canvas,
      elements: [
        ...g.nodes.map((n) => ({ group: "nodes", data: { id: n.id, label: n.name, type: n.type, size: 18 + 42 * Math.sqrt(n.events / maxEvents) } })),
        ...g.edges.map((e) => ({ group: "edges", data: { id: e.id, source: e.source, target: e.target, type: e.type, width: 1 + Math.min(8, Math.log2(1 + e.count) * 2), directed: e.directed ? 1 : 0 } })),
      ],
      style: [
        { selector: "node", style: { label: "data(label)", width: "data(size)", height: "data(size)", "background-color": (n) => nodeColors[n.data("type")] || "#888", color: "#1b1b1b", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3, "text-outline-color": "#fff", "text-outline-width": 2 } },
        { selector: "edge", style: { width: "data(width)", "line-color": (e) => edgeColors[e.data("type")] || "#999", "target-arrow-color": (e) => edgeColors[e.data("type")] || "#999", "target-arrow-shape": (e) => (e.data("directed") ? "triangle" : "none"), "curve-style": "bezier", opacity: 0.8 } },
        { selector: ":selected", style: { "border-width": 3, "border-color": "#111", "line-color": "#111", "target-arrow-color": "#111", opacity: 1 } },
      ],
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 24000, idealEdgeLength: () => 120, nodeOverlap: 20, numIter: 2000 },
      wheelSensitivity: 0.3,
      minZoom: 0.1,
      maxZoom: 4,
    });
    cy.on("tap", "node", (evt) => showNode(nodesById.get(evt.target.id())));
    cy.on("tap", "edge", (evt) => showEdge(edgesById.get(evt.target.id())));
    window.__mizanGraph = cy; // for tests and for the curious: the graph as cytoscape sees it
  };
  onCleanup(() => { if (cy) cy.destroy(); window.__mizanGraph = undefined; });
  return root;
}
