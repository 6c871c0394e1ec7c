package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/mizan-osint/mizan/internal/nlp"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func (a *App) versionCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version of mizan, its pipeline and its build",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := map[string]any{"version": version, "pipeline": nlp.Version, "go": runtime.Version()}
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" || s.Key == "vcs.time" {
						v[s.Key] = s.Value
					}
				}
			}
			if asJSON {
				return a.writeJSON(v)
			}
			fmt.Fprintf(a.Stdout, "mizan %s (pipeline %d, %s)\n", version, nlp.Version, runtime.Version())
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
