// mizan's web workbench: a small single-page app routed by the URL fragment (#/doc/ID?s=120),
// so every view — a document at a sentence, an entity, a filtered event table — has a link.
import { h, clear } from "./dom.js";
import { meta, ApiError } from "./api.js";
import { overviewPage } from "./pages/overview.js";
import { documentsPage } from "./pages/documents.js";
import { readerPage } from "./pages/reader.js";
import { entitiesPage, entityPage } from "./pages/entity.js";
import { eventsPage } from "./pages/events.js";
import { graphPage } from "./pages/graph.js";
import { timelinePage } from "./pages/timeline.js";
import { searchPage } from "./pages/search.js";
import { ingestPage } from "./pages/ingest.js";

const routes = [
  [/^$/, overviewPage, "Overview", "#/"],
  [/^documents$/, documentsPage, "Documents", "#/documents"],
  [/^doc\/([^/]+)$/, readerPage, "Document", "#/documents"],
  [/^entities$/, entitiesPage, "Entities", "#/entities"],
  [/^entity\/(.+)$/, entityPage, "Entity", "#/entities"],
  [/^events$/, eventsPage, "Events", "#/events"],
  [/^graph$/, graphPage, "Network", "#/graph"],
  [/^timeline$/, timelinePage, "Timeline", "#/timeline"],
  [/^search$/, searchPage, "Search", "#/search"],
  [/^ingest$/, ingestPage, "Add documents", "#/ingest"],
];

/** parseHash splits "#/doc/abc?s=10" into ["doc/abc", URLSearchParams]. */
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const i = raw.indexOf("?");
  const path = i < 0 ? raw : raw.slice(0, i);
  return [decodeURIComponentSafe(path), new URLSearchParams(i < 0 ? "" : raw.slice(i + 1))];
}

function decodeURIComponentSafe(s) {
  try { return decodeURIComponent(s); } catch { return s; }
}

let seq = 0;
let cleanup = null;

async function render() {
  const view = document.getElementById("view");
  const mySeq = ++seq;
  const [path, query] = parseHash();
  const route = routes.find(([re]) => re.test(path));
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
  view.dataset.state = "loading";
  for (const a of document.querySelectorAll("#nav a")) {
    if (route && a.getAttribute("href") === route[3]) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  let node;
  let title = "Not found";
  try {
    if (!route) {
      node = h("section", {}, h("h1", {}, "Not found"), h("p", {}, "There is no such page. "), h("a", { href: "#/" }, "Back to the overview"));
    } else {
      const [re, page, name] = route;
      const m = path.match(re);
      const ctx = { query, meta: await meta(), params: m.slice(1), onCleanup: (fn) => { cleanup = fn; } };
      title = name;
      node = await page(ctx);
      if (node && node.dataset && node.dataset.title) title = node.dataset.title;
    }
  } catch (err) {
    node = errorView(err);
    title = "Error";
  }
  if (mySeq !== seq) return; // a newer navigation won
  clear(view).append(node);
  document.title = `${title} · mizan`;
  view.dataset.state = "ready";
  view.dataset.route = route ? route[2] : "notfound";
  // Send focus to the new view (or the element a page asked for), for keyboard and screen
  // reader users; pages that scroll to a target handle their own.
  const target = view.querySelector("[data-autofocus]") || view.querySelector("h1");
  if (target && !view.querySelector("[data-keep-scroll]")) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
  if (node && typeof node.afterMount === "function") node.afterMount();
}

/** errorView shows an API or code error in words, never as markup. */
export function errorView(err) {
  const code = err instanceof ApiError ? err.code : "error";
  const msg = err instanceof ApiError ? err.message : "Something went wrong while showing this page.";
  if (!(err instanceof ApiError)) console.warn(err); // a bug: keep it visible to developers
  return h("section", { class: "error-view" },
    h("h1", {}, err instanceof ApiError && err.status === 404 ? "Not found" : "Error"),
    h("p", { class: "error" }, h("strong", {}, code), ": ", msg),
    h("p", {}, h("a", { href: "#/" }, "Back to the overview")));
}

function init() {
  window.addEventListener("hashchange", render);
  document.getElementById("quick-search").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = document.getElementById("quick-q").value.trim();
    if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
  });
  meta().then((m) => {
    if (m.ingest) document.getElementById("nav-ingest").hidden = false;
  }).catch(() => { /* shown by the page itself */ });
  render();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
