package main

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	mizanhttp "github.com/mizan-osint/mizan/internal/http"
	"github.com/mizan-osint/mizan/internal/ui"
)

func init() {
	register("serve", func(a *App) []*cobra.Command { return []*cobra.Command{a.serveCommand()} })
}

func (a *App) serveCommand() *cobra.Command {
	o := mizanhttp.DefaultOptions()
	var (
		write       bool
		maxMB       float64
		reliability string
	)
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--token T] [--write]",
		Short: "Serve the web UI and the JSON API",
		Long: `Serve the analyst's workbench in the browser — overview, documents and reader, entities,
events, network graph with Admiralty grades, timeline, search — and the JSON API under /api/v1/ (described at
/api/v1/openapi.json).

The server listens on 127.0.0.1 only unless --addr says otherwise, and is read-only. With --write
it also ingests uploads and URLs (POST /api/v1/documents, the "Add" page), which needs a token:
--token or $MIZAN_TOKEN, sent by clients as "Authorization: Bearer TOKEN".`,
		Example: `  mizan serve
  mizan serve --addr 127.0.0.1:9000
  MIZAN_TOKEN=$(openssl rand -hex 16) mizan serve --write`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if o.Token == "" {
				o.Token = a.Getenv("MIZAN_TOKEN")
			}
			o.ReadOnly = !write
			if write && o.Token == "" {
				return usagef("--write needs a token: --token T or $MIZAN_TOKEN")
			}
			if maxMB > 0 {
				o.Source.MaxBytes = int64(maxMB * (1 << 20))
				o.MaxBodyBytes = o.Source.MaxBytes + 1<<20
			}
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			// The network, the overview and the relations come from the analysis graph, graded
			// with the same outlet reliability table as `mizan relations` and `mizan claims`.
			if src, ok := st.(mizanhttp.AnalysisSource); ok {
				table, err := a.reliabilityTable(reliability)
				if err != nil {
					return err
				}
				o.Network = mizanhttp.NewAnalysisNetwork(src, table, a.Now)
			}
			in := a.ingester(st)
			o.Pipeline, o.Resolve, o.Now = in.Pipeline, in.Resolve, a.Now
			o.Version = version
			o.Source.UserAgent = "mizan/" + version + " (+https://github.com/mizan-osint/mizan)"
			o.UI = ui.FS()
			o.Logger = slog.New(slog.NewTextHandler(a.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
			srv, err := mizanhttp.New(st, o)
			if err != nil {
				return err
			}
			if !mizanhttp.Loopback(o.Addr) && o.Token == "" {
				fmt.Fprintf(a.Stderr, "mizan: warning: listening on %s, beyond this machine, without a token: anyone who can reach it reads the whole corpus\n", o.Addr)
			}
			if !ui.Built {
				fmt.Fprintln(a.Stderr, "mizan: this binary has no web UI (built without -tags ui): serving the API only")
			}
			return srv.ListenAndServe(ctx, func(addr string) {
				mode := "read-only"
				if write {
					mode = "writable with a token"
				}
				fmt.Fprintf(a.Stderr, "mizan: serving %s on http://%s/ (%s); Ctrl-C stops\n", a.dbLocation(), hostURL(addr), mode)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Addr, "addr", o.Addr, "address to listen on (host:port)")
	f.StringVar(&o.Token, "token", "", "bearer token required for writes (default $MIZAN_TOKEN)")
	f.BoolVar(&write, "write", false, "allow ingest through the API and the UI (needs a token)")
	f.StringVar(&reliability, "reliability", "", "outlet reliability table for the grades (YAML; default $MIZAN_RELIABILITY, else "+reliabilityFile+" next to the database; outlets not listed are F)")
	f.Float64Var(&maxMB, "max-size", float64(o.Source.MaxBytes)/(1<<20), "largest document accepted for ingest, in MB")
	return cmd
}

// hostURL makes a bound address printable as a URL host ("[::]:8080" stays as is).
func hostURL(addr string) string {
	if strings.HasPrefix(addr, "0.0.0.0:") {
		return "localhost" + strings.TrimPrefix(addr, "0.0.0.0")
	}
	return addr
}
