// Command mizan turns news documents into an evidence-backed knowledge graph. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// A second Ctrl-C while a batch winds down exits at once; committed work is safe.
		<-ctx.Done()
		stop()
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		fmt.Fprintln(os.Stderr, "mizan: interrupted again, exiting")
		os.Exit(130)
	}()
	// MIZAN_CPUPROFILE=FILE writes a CPU profile of the run (go tool pprof FILE).
	if path := os.Getenv("MIZAN_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer f.Close()
		}
	}
	app := NewApp()
	code := app.Run(ctx, os.Args[1:])
	pprof.StopCPUProfile()
	os.Exit(code)
}
