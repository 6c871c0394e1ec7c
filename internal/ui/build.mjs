// Builds the web UI into dist/: one script bundle (with cytoscape from node_modules), one
// stylesheet and the static files. `go generate ./internal/ui` and `make ui` run it.
import * as esbuild from "esbuild";
import { cpSync, mkdirSync, rmSync } from "node:fs";

const out = "dist";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: { app: "src/main.js", style: "src/app.css" },
  outdir: out,
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "iife",
  target: ["es2020"],
  // Everything the page needs is in the bundle: no request ever leaves the server's origin.
  legalComments: "linked",
  logLevel: "warning",
});
cpSync("src/index.html", `${out}/index.html`);
cpSync("src/favicon.svg", `${out}/favicon.svg`);
