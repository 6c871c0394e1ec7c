package source

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/mizan-osint/mizan"
)

// entry is a file found under a directory argument, or a part of the tree that could not be
// read (err set: an unreadable directory, a broken symbolic link).
type entry struct {
	path string
	err  error
}

// walkDir visits the regular files under root in sorted order, depth first. It skips hidden
// names (".git", ".DS_Store"), applies the globs, follows symbolic links, and enters every real
// directory at most once, so a link loop cannot make it run forever. Only one directory's names
// are held at a time per level of depth. It stops with visit's error or ctx's.
func (w *Walker) walkDir(ctx context.Context, root string, visit func(entry) error) error {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return visit(entry{path: root, err: fileError(err)})
	}
	if abs, err := filepath.Abs(real); err == nil {
		real = abs
	}
	d := dirWalk{w: w, ctx: ctx, visit: visit, done: map[string]bool{real: true}}
	return d.walk(root, "", real)
}

type dirWalk struct {
	w     *Walker
	ctx   context.Context
	visit func(entry) error
	done  map[string]bool // real paths of the directories entered
}

// walk lists dir (rel is its path under the root, real its path with links resolved).
func (d *dirWalk) walk(dir, rel, real string) error {
	entries, err := os.ReadDir(dir)
	if err != nil && len(entries) == 0 {
		return d.visit(entry{path: dir, err: fileError(err)})
	}
	for _, e := range entries {
		if err := d.ctx.Err(); err != nil {
			return err
		}
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p, r := filepath.Join(dir, name), path.Join(rel, name)
		typ := e.Type()
		realChild := filepath.Join(real, name)
		if typ&fs.ModeSymlink != 0 {
			fi, err := os.Stat(p)
			if err != nil {
				if d.excluded(r, name) || !d.included(r, name) {
					continue
				}
				if errors.Is(err, fs.ErrNotExist) {
					err = mizan.Errorf(mizan.ENOTFOUND, "broken symbolic link")
				}
				if err := d.visit(entry{path: p, err: fileError(err)}); err != nil {
					return err
				}
				continue
			}
			typ = fi.Mode().Type()
			if typ.IsDir() {
				if realChild, err = filepath.EvalSymlinks(p); err != nil {
					continue // raced with a change to the tree: the Stat above just worked
				}
			}
		}
		switch {
		case typ.IsDir():
			if d.excluded(r, name) || d.done[realChild] {
				continue
			}
			d.done[realChild] = true
			if err := d.walk(p, r, realChild); err != nil {
				return err
			}
		case typ.IsRegular():
			if d.excluded(r, name) || !d.included(r, name) {
				continue
			}
			if err := d.visit(entry{path: p}); err != nil {
				return err
			}
		}
		// Sockets, devices and named pipes found in a tree are not documents; a named pipe would
		// block the walk. (Named explicitly, they are read: `mizan ingest <(curl ...)` works.)
	}
	if err != nil {
		// ReadDir stopped part way: report it after the names it did return.
		return d.visit(entry{path: dir, err: fileError(err)})
	}
	return nil
}

func (d *dirWalk) excluded(rel, name string) bool { return matchAny(d.w.o.Exclude, rel, name) }

func (d *dirWalk) included(rel, name string) bool {
	return len(d.w.o.Include) == 0 || matchAny(d.w.o.Include, rel, name)
}

// matchAny reports whether one of the (validated) globs matches the relative path or the base
// name.
func matchAny(globs []string, rel, name string) bool {
	for _, g := range globs {
		if doublestar.MatchUnvalidated(g, rel) || doublestar.MatchUnvalidated(g, name) {
			return true
		}
	}
	return false
}

// fileError turns an OS error into a user-facing *mizan.Error carrying the OS reason ("no such
// file or directory", "permission denied") without repeating the path the item already names.
func fileError(err error) error {
	var me *mizan.Error
	if errors.As(err, &me) {
		return me
	}
	reason := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		reason = pe.Err.Error()
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return mizan.Errorf(mizan.ENOTFOUND, "%s", reason)
	case errors.Is(err, fs.ErrPermission):
		return mizan.Errorf(mizan.EFORBIDDEN, "%s", reason)
	default:
		return mizan.Errorf(mizan.EUNAVAILABLE, "%s", reason)
	}
}
