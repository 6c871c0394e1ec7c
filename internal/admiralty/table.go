package admiralty

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// MaxTableSize bounds a reliability file (it is read whole).
const MaxTableSize = 4 << 20

// Entry is one outlet of a reliability table.
type Entry struct {
	// Name is the outlet's name as documents give it ("Al Mayadeen English").
	Name string `yaml:"name"`
	// Grade is its reliability, A to F.
	Grade Reliability `yaml:"grade"`
	// Aliases are other names it goes by; Domains the web sites it publishes on (a document
	// fetched from a URL is matched by host, subdomains included).
	Aliases []string `yaml:"aliases,omitempty"`
	Domains []string `yaml:"domains,omitempty"`
	// Note says why the analyst gave that grade.
	Note string `yaml:"note,omitempty"`
}

// Table maps outlets to their reliability. The zero value grades everything F; a Table is safe
// for concurrent reads.
type Table struct {
	// Default is the grade of outlets the table does not list (F unless the file says
	// otherwise).
	Default Reliability
	Entries []Entry
	byName  map[string]int
	byHost  map[string]int
}

// file is the YAML layout of a reliability table.
type file struct {
	Default string  `yaml:"default,omitempty"`
	Outlets []Entry `yaml:"outlets"`
}

// Load reads a reliability table:
//
//	# Outlet reliability, NATO Admiralty code: A completely reliable, B usually reliable,
//	# C fairly reliable, D not usually reliable, E unreliable, F cannot be judged.
//	default: F
//	outlets:
//	  - name: Al Mayadeen English
//	    grade: C
//	    domains: [english.almayadeen.net]
//	    aliases: [Al Mayadeen]
//	    note: Lebanese channel close to Hezbollah; accurate on Russian officials' statements
//
// A malformed file, an unknown grade or an outlet listed twice is EINVALID.
func Load(r io.Reader) (*Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxTableSize+1))
	if err != nil {
		return nil, fmt.Errorf("read reliability table: %w", err)
	}
	if len(data) > MaxTableSize {
		return nil, mizan.Errorf(mizan.ETOOLARGE, "reliability table over %d bytes", MaxTableSize)
	}
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, mizan.Errorf(mizan.EINVALID, "reliability table: %v", err)
	}
	t := &Table{Default: F}
	if f.Default != "" {
		if t.Default, err = ParseReliability(f.Default); err != nil {
			return nil, mizan.Errorf(mizan.EINVALID, "reliability table: default: %v", err)
		}
	}
	for i, e := range f.Outlets {
		if strings.TrimSpace(e.Name) == "" {
			return nil, mizan.Errorf(mizan.EINVALID, "reliability table: outlet %d has no name", i+1)
		}
		g, err := ParseReliability(string(e.Grade))
		if err != nil {
			return nil, mizan.Errorf(mizan.EINVALID, "reliability table: %s: %v", e.Name, err)
		}
		e.Grade = g
		if err := t.add(e); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// LoadFile reads a reliability table from a file. A file that does not exist is ENOTFOUND.
func LoadFile(path string) (*Table, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, mizan.Errorf(mizan.ENOTFOUND, "no reliability file %s", path)
	}
	if err != nil {
		return nil, fmt.Errorf("reliability table: %w", err)
	}
	defer f.Close()
	t, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

func (t *Table) add(e Entry) error {
	if t.byName == nil {
		t.byName, t.byHost = map[string]int{}, map[string]int{}
	}
	i := len(t.Entries)
	for _, n := range append([]string{e.Name}, e.Aliases...) {
		k := textnorm.Key(n)
		if k == "" {
			continue
		}
		if j, ok := t.byName[k]; ok && j != i {
			return mizan.Errorf(mizan.EINVALID, "reliability table: %q is listed twice (%s and %s)", n, t.Entries[j].Name, e.Name)
		}
		t.byName[k] = i
	}
	for _, d := range e.Domains {
		h := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(d)), "www.")
		if h != "" {
			t.byHost[h] = i
		}
	}
	t.Entries = append(t.Entries, e)
	return nil
}

// Grade returns the reliability of a document's outlet, matched by the outlet's name (any
// spelling textnorm.Key folds together) or, failing that, by the host of the URL it came from;
// the entry that matched ("" for the default).
func (t *Table) Grade(outlet, source string) (Reliability, string) {
	def := F
	if t != nil && t.Default != "" {
		def = t.Default
	}
	if t == nil {
		return def, ""
	}
	if i, ok := t.byName[textnorm.Key(outlet)]; ok && outlet != "" {
		return t.Entries[i].Grade, t.Entries[i].Name
	}
	if u, err := url.Parse(source); err == nil && u.Host != "" {
		h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		for h != "" {
			if i, ok := t.byHost[h]; ok {
				return t.Entries[i].Grade, t.Entries[i].Name
			}
			dot := strings.IndexByte(h, '.')
			if dot < 0 {
				break
			}
			h = h[dot+1:]
		}
	}
	return def, ""
}

// WriteTemplate writes a reliability file that lists the given outlets (those of a corpus) at
// the table's current grades, for the analyst to edit.
func (t *Table) WriteTemplate(w io.Writer, outlets []string) error {
	f := file{Default: string(F)}
	if t != nil && t.Default != "" {
		f.Default = string(t.Default)
	}
	seen := map[string]bool{}
	if t != nil {
		for _, e := range t.Entries {
			f.Outlets = append(f.Outlets, e)
			seen[textnorm.Key(e.Name)] = true
		}
	}
	sorted := append([]string(nil), outlets...)
	sort.Strings(sorted)
	for _, o := range sorted {
		k := textnorm.Key(o)
		if o == "" || seen[k] {
			continue
		}
		seen[k] = true
		g, _ := t.Grade(o, "")
		f.Outlets = append(f.Outlets, Entry{Name: o, Grade: g})
	}
	if _, err := io.WriteString(w, `# Outlet reliability for mizan, NATO Admiralty code:
#   A completely reliable   B usually reliable   C fairly reliable
#   D not usually reliable  E unreliable         F reliability cannot be judged
# An outlet not listed gets the default. Match is by outlet name (any spelling) or by domain.
`); err != nil {
		return err
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return err
	}
	return enc.Close()
}
