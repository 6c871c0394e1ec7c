package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/sqlite"
)

// App is the mizan command with its environment injected, so tests run it in-process.
type App struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time

	// Flags shared by every command.
	dbPath string
	quiet  bool

	storeOnce sync.Once
	store     mizan.Store
	storeErr  error
}

// NewApp returns an App wired to the process's standard streams and environment.
func NewApp() *App {
	return &App{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now}
}

// Run executes the command line and returns the process exit code: 0 on success, 1 when the
// command failed, 2 for a usage error.
func (a *App) Run(ctx context.Context, args []string) int {
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(a.Stdin)
	root.SetOut(a.Stdout)
	root.SetErr(a.Stderr)
	err := root.ExecuteContext(ctx)
	if a.store != nil {
		if cerr := a.store.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(a.Stderr, "mizan: %v\n", err)
		return 2
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(a.Stderr, "mizan: interrupted")
		return 130
	}
	fmt.Fprintf(a.Stderr, "mizan: %s\n", errorText(err))
	return 1
}

// errorText is what a user sees for an error: the message of a *mizan.Error, else the chain.
func errorText(err error) string {
	var e *mizan.Error
	if errors.As(err, &e) && e.Message != "" {
		if s := err.Error(); strings.HasSuffix(s, e.Message) {
			return s // keep the context a caller added in front
		}
		return e.Message
	}
	return err.Error()
}

// usageError marks a bad command line (exit code 2).
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func (a *App) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "mizan",
		Short: "Turn news documents into an evidence-backed knowledge graph",
		Long: `mizan ingests news documents — HTML pages, clean articles, text copied from a browser,
in English, Arabic and French — and turns them into a searchable corpus and a knowledge graph
of who did what to whom, when and where, according to whom and how surely.

The database is --db PATH, else $MIZAN_DB, else ./mizan.db (SQLite).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&a.dbPath, "db", "", "database: a SQLite file path (default $MIZAN_DB or ./mizan.db)")
	root.PersistentFlags().BoolVarP(&a.quiet, "quiet", "q", false, "no progress bar")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	used := map[string]bool{}
	for _, f := range features {
		used[f.group] = true
	}
	for _, g := range groups {
		if used[g.id] {
			root.AddGroup(&cobra.Group{ID: g.id, Title: g.title})
		}
	}
	for _, f := range features {
		for _, c := range f.commands(a) {
			c.GroupID = f.group
			root.AddCommand(c)
		}
	}
	root.AddCommand(a.versionCommand())
	markUsageErrors(root)
	return root
}

// markUsageErrors makes argument-count errors usage errors (exit code 2), like flag errors.
func markUsageErrors(c *cobra.Command) {
	if args := c.Args; args != nil {
		c.Args = func(cmd *cobra.Command, a []string) error {
			if err := args(cmd, a); err != nil {
				return usageError{fmt.Errorf("%s: %w (see 'mizan %s --help')", cmd.Name(), err, cmd.Name())}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		markUsageErrors(sub)
	}
}

// groups order the sections of `mizan --help`.
var groups = []struct{ id, title string }{
	{"corpus", "Corpus:"},
	{"graph", "Knowledge graph:"},
	{"kb", "Knowledge base:"},
	{"serve", "Interfaces and export:"},
	{"scale", "Scale-out:"},
}

// A feature is a set of commands in one help group. Each command file registers its own in an
// init function, so adding a feature does not mean editing a shared list.
type feature struct {
	group    string
	commands func(*App) []*cobra.Command
}

var features []feature

func register(group string, commands func(*App) []*cobra.Command) {
	features = append(features, feature{group, commands})
}

// dbLocation resolves --db, $MIZAN_DB and the default.
func (a *App) dbLocation() string {
	switch {
	case a.dbPath != "":
		return a.dbPath
	case a.Getenv("MIZAN_DB") != "":
		return a.Getenv("MIZAN_DB")
	}
	return "mizan.db"
}

// openStore opens the database once per command run.
func (a *App) openStore(ctx context.Context) (mizan.Store, error) {
	a.storeOnce.Do(func() {
		loc := a.dbLocation()
		for prefix, open := range storeOpeners {
			if strings.HasPrefix(loc, prefix) {
				a.store, a.storeErr = open(ctx, a, loc)
				return
			}
		}
		db, err := sqlite.Open(ctx, strings.TrimPrefix(loc, "sqlite:"))
		if err != nil {
			a.storeErr = err
			return
		}
		db.Now = a.Now
		a.store = db
	})
	return a.store, a.storeErr
}

// storeOpeners open stores other than the SQLite default, by URL prefix ("postgres://").
var storeOpeners = map[string]func(ctx context.Context, a *App, loc string) (mizan.Store, error){}

// writeJSON prints v as indented JSON on stdout.
func (a *App) writeJSON(v any) error {
	enc := json.NewEncoder(a.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
