import { h } from "../dom.js";
import { get } from "../api.js";
import { pageHeader, docTable, pager, toHash, field } from "./common.js";

export async function documentsPage({ query }) {
  const f = { lang: query.get("lang") || "", outlet: query.get("outlet") || "", since: query.get("since") || "", until: query.get("until") || "" };
  const offset = Number(query.get("offset") || 0);
  const list = await get("documents", { ...f, limit: 50, offset });
  const form = h("form", { class: "filters", "aria-label": "Filter documents" },
    field("Language", h("input", { name: "lang", value: f.lang, placeholder: "ar, en, fr", size: 6 })),
    field("Outlet", h("input", { name: "outlet", value: f.outlet, dir: "auto" })),
    field("Published since", h("input", { name: "since", type: "date", value: f.since })),
    field("until", h("input", { name: "until", type: "date", value: f.until })),
    h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const d = new FormData(form);
    location.hash = toHash("documents", Object.fromEntries(d.entries()));
  });
  return h("section", {},
    pageHeader("Documents", "Every document in ingest order. Open one to read it with its entities and events highlighted."),
    form,
    docTable(list.items),
    pager(list, (o) => toHash("documents", { ...f, offset: o })));
}
