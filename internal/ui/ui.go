// Package ui is mizan's web UI: an npm project (package.json, package-lock.json, src/) that
// esbuild bundles into dist/, embedded in the binary. No third-party code is committed: npm
// fetches cytoscape and esbuild at build time.
//
// Build it with `make ui` (or `go generate ./internal/ui`) and compile with `-tags ui` to embed
// it; without the tag a placeholder page is embedded so `go build` works without npm.
package ui

//go:generate npm ci --no-audit --no-fund
//go:generate npm run build
