// Adding documents from the browser. Writes need the server's token: the user types it here, it
// is kept in this tab's sessionStorage only, and sent as an Authorization header, which a page
// on another site can never make the browser send (the CSRF defence; see internal/http).
import { h, docHref, empty, replace } from "../dom.js";
import { post, ApiError } from "../api.js";
import { pageHeader, field } from "./common.js";

const TOKEN_KEY = "mizan-token";

export async function ingestPage({ meta }) {
  const head = pageHeader("Add documents", "Upload files (HTML, text, text copied from a browser, RSS/Atom feeds) or give a URL. They go through the same pipeline as `mizan ingest`.");
  if (!meta.ingest) return h("section", {}, head, empty("This server is read-only. Start it with `mizan serve --write --token TOKEN` to add documents from the browser."));
  const out = h("div", { class: "ingest-result", role: "status", "aria-live": "polite" });
  const token = h("input", { name: "token", type: "password", autocomplete: "off", value: sessionStorage.getItem(TOKEN_KEY) || "", required: true });
  const files = h("input", { name: "file", type: "file", multiple: true });
  const url = h("input", { name: "url", type: "url", placeholder: "https://…", size: 50 });
  const form = h("form", { class: "ingest-form" },
    field("Token", token),
    field("Files", files),
    field("or URL", url),
    h("button", { type: "submit" }, "Ingest"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, token.value);
    replace(out, h("p", {}, "Ingesting…"));
    try {
      let res;
      if (files.files.length) {
        const fd = new FormData();
        for (const f of files.files) fd.append("file", f, f.name);
        res = await post("documents", fd, token.value);
      } else if (url.value.trim()) {
        res = await post("documents", { url: url.value.trim() }, token.value);
      } else {
        replace(out, h("p", { class: "error" }, "Choose a file or give a URL."));
        return;
      }
      replace(out, h("ul", {}, res.outcomes.map((o) => h("li", {},
        o.id ? h("a", { href: docHref(o.id) }, o.source) : o.source, `: ${o.result || "failed"}`, o.error ? ` — ${o.error}` : ""))));
    } catch (err) {
      replace(out, h("p", { class: "error" }, err instanceof ApiError ? `${err.code}: ${err.message}` : "The request failed."));
    }
  });
  return h("section", {}, head, form, out);
}
