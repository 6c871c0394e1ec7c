package entity

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/nlp"
)

// EvalDoc is one document of an evaluation set (see testdata/eval/README.md for the format).
type EvalDoc struct {
	ID        string
	Lang      string
	Published *time.Time
	// Text is the clean text: the paragraphs joined by blank lines, marks removed.
	Text       string
	Paragraphs []mizan.Paragraph
	Gold       []GoldMention
	Line       int // where the document starts in its file
}

// GoldMention is one hand-marked mention.
type GoldMention struct {
	Span mizan.Span
	Text string
	Type mizan.EntityType
	// Entity is a KB id, or "new:" and the canonical name of an entity the KB does not know.
	Entity string
	Role   mizan.MentionRole
}

// EntityID returns the id a stage is expected to give: the KB id, or DiscoveredID of a "new:"
// name.
func (g GoldMention) EntityID() string {
	if name, ok := strings.CutPrefix(g.Entity, "new:"); ok {
		return DiscoveredID(g.Type, name)
	}
	return g.Entity
}

// Bounds on an evaluation file, which is read whole.
const (
	maxEvalLine = 64 << 10
	maxEvalDocs = 100000
)

var evalRoles = []mizan.MentionRole{mizan.RoleByline, mizan.RoleCredit, mizan.RoleSource, mizan.RoleBoiler}

// ReadEval reads an evaluation file. Errors are *mizan.Error (EINVALID) naming the line.
func ReadEval(r io.Reader) ([]EvalDoc, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxEvalLine+1)
	var (
		docs []EvalDoc
		cur  *EvalDoc
		b    strings.Builder
		ids  = make(map[string]bool)
		line int
	)
	flush := func() {
		if cur != nil {
			cur.Text = b.String()
			docs = append(docs, *cur)
		}
		cur = nil
		b.Reset()
	}
	for sc.Scan() {
		line++
		s := strings.TrimRight(sc.Text(), " \t\r")
		if line == 1 {
			s = strings.TrimPrefix(s, "\ufeff")
		}
		switch {
		case strings.TrimSpace(s) == "":
			continue
		case strings.HasPrefix(s, "## "):
			flush()
			d, err := parseEvalHeader(s[3:], line)
			if err != nil {
				return nil, err
			}
			if ids[d.ID] {
				return nil, mizan.Errorf(mizan.EINVALID, "eval line %d: document %q defined twice", line, d.ID)
			}
			if len(docs) == maxEvalDocs {
				return nil, mizan.Errorf(mizan.EINVALID, "eval line %d: more than %d documents", line, maxEvalDocs)
			}
			ids[d.ID] = true
			cur = &d
		case strings.HasPrefix(s, "#"):
			continue
		default:
			if cur == nil {
				return nil, mizan.Errorf(mizan.EINVALID, "eval line %d: text before any \"## doc\" header", line)
			}
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			start := utf8.RuneCountInString(b.String())
			gold, err := parseEvalLine(s, &b, start, line)
			if err != nil {
				return nil, err
			}
			end := utf8.RuneCountInString(b.String())
			cur.Paragraphs = append(cur.Paragraphs, mizan.Paragraph{Span: mizan.Span{Start: start, End: end}, Lang: cur.Lang})
			cur.Gold = append(cur.Gold, gold...)
		}
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return nil, mizan.Errorf(mizan.EINVALID, "eval line %d: longer than %d bytes", line+1, maxEvalLine)
		}
		return nil, fmt.Errorf("read eval: %w", err)
	}
	flush()
	return docs, nil
}

// parseEvalHeader reads "doc ID lang=LANG [date=YYYY-MM-DD]".
func parseEvalHeader(s string, line int) (EvalDoc, error) {
	f := strings.Fields(s)
	if len(f) < 3 || f[0] != "doc" {
		return EvalDoc{}, mizan.Errorf(mizan.EINVALID, "eval line %d: header is not \"## doc ID lang=LANG [date=YYYY-MM-DD]\"", line)
	}
	d := EvalDoc{ID: f[1], Line: line}
	for _, kv := range f[2:] {
		k, v, ok := strings.Cut(kv, "=")
		switch {
		case !ok || v == "":
			return EvalDoc{}, mizan.Errorf(mizan.EINVALID, "eval line %d: %q is not key=value", line, kv)
		case k == "lang":
			d.Lang = v
		case k == "date":
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				return EvalDoc{}, mizan.Errorf(mizan.EINVALID, "eval line %d: date %q is not YYYY-MM-DD", line, v)
			}
			d.Published = &t
		default:
			return EvalDoc{}, mizan.Errorf(mizan.EINVALID, "eval line %d: unknown header field %q", line, k)
		}
	}
	if d.Lang == "" {
		return EvalDoc{}, mizan.Errorf(mizan.EINVALID, "eval line %d: document %q has no lang", line, d.ID)
	}
	return d, nil
}

// parseEvalLine appends the text of one marked paragraph to b, whose text so far holds start
// characters, and returns its marks.
func parseEvalLine(s string, b *strings.Builder, start, line int) ([]GoldMention, error) {
	var (
		gold  []GoldMention
		pos   = start
		inner strings.Builder // the mark being read
		in    bool
		fail  = func(format string, args ...any) error {
			return mizan.Errorf(mizan.EINVALID, "eval line %d: "+format, append([]any{line}, args...)...)
		}
	)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			return nil, fail("invalid UTF-8")
		case r == '\\':
			if i >= len(s) {
				return nil, fail("a backslash ends the line")
			}
			e, m := utf8.DecodeRuneInString(s[i:])
			i += m
			if in {
				inner.WriteByte('\\')
				inner.WriteRune(e)
			} else {
				b.WriteRune(e)
				pos++
			}
		case r == '[':
			if in {
				return nil, fail("a mark inside a mark")
			}
			in = true
			inner.Reset()
		case r == ']':
			if !in {
				return nil, fail("\"]\" without \"[\"")
			}
			in = false
			g, err := parseMark(inner.String(), line)
			if err != nil {
				return nil, err
			}
			n := utf8.RuneCountInString(g.Text)
			g.Span = mizan.Span{Start: pos, End: pos + n}
			b.WriteString(g.Text)
			pos += n
			gold = append(gold, g)
		case in:
			inner.WriteRune(r)
		default:
			b.WriteRune(r)
			pos++
		}
	}
	if in {
		return nil, fail("unclosed mark")
	}
	return gold, nil
}

// parseMark reads "surface|TYPE|ENTITY[|ROLE]" (escapes still in).
func parseMark(s string, line int) (GoldMention, error) {
	var fields []string
	var f strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			i++
			f.WriteByte(s[i])
		case s[i] == '|':
			fields = append(fields, f.String())
			f.Reset()
		default:
			f.WriteByte(s[i])
		}
	}
	fields = append(fields, f.String())
	if len(fields) < 3 || len(fields) > 4 {
		return GoldMention{}, mizan.Errorf(mizan.EINVALID, "eval line %d: mark %q is not [surface|TYPE|ENTITY] or [surface|TYPE|ENTITY|ROLE]", line, s)
	}
	g := GoldMention{Text: fields[0], Type: mizan.EntityType(fields[1]), Entity: fields[2]}
	switch {
	case strings.TrimSpace(g.Text) == "" || g.Text != strings.TrimSpace(g.Text):
		return GoldMention{}, mizan.Errorf(mizan.EINVALID, "eval line %d: mark %q: empty surface or surrounding spaces", line, s)
	case !slices.Contains(mizan.EntityTypes, g.Type):
		return GoldMention{}, mizan.Errorf(mizan.EINVALID, "eval line %d: mark %q: unknown type %q", line, s, fields[1])
	case g.Entity == "" || g.Entity == "new:" || strings.ContainsAny(g.Entity, " \t") && !strings.HasPrefix(g.Entity, "new:"):
		return GoldMention{}, mizan.Errorf(mizan.EINVALID, "eval line %d: mark %q: bad entity %q", line, s, g.Entity)
	}
	if len(fields) == 4 {
		g.Role = mizan.MentionRole(fields[3])
		if !slices.Contains(evalRoles, g.Role) {
			return GoldMention{}, mizan.Errorf(mizan.EINVALID, "eval line %d: mark %q: unknown role %q", line, s, fields[3])
		}
	}
	return g, nil
}

// ReadEvalDir reads every *.txt evaluation file of dir, in name order.
func ReadEvalDir(dir string) ([]EvalDoc, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("list eval files: %w", err)
	}
	if len(files) == 0 {
		return nil, mizan.Errorf(mizan.ENOTFOUND, "no evaluation files (*.txt) in %s", dir)
	}
	sort.Strings(files)
	var docs []EvalDoc
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, fmt.Errorf("open eval file: %w", err)
		}
		ds, err := ReadEval(fh)
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(f), err)
		}
		docs = append(docs, ds...)
	}
	return docs, nil
}

// Evaluate runs st over every document of the evaluation files in dir (each with its
// paragraphs, language and date, and no sentences: st must split them if it needs them) and
// scores its mentions against the marks:
//
//   - "detect/…" rows: mention detection, an exact span with the same type;
//   - "link/…" rows: linking, an exact span with the same entity id (a "new:" mark must get the
//     DiscoveredID of its type and name);
//   - "role/all": the exact span with the same non-participant role (byline, credit, source,
//     boiler).
//
// Detection and linking have one row per entity type, one per language and "all".
func Evaluate(st nlp.Stage, dir string) (*evalkit.Report, error) {
	docs, err := ReadEvalDir(dir)
	if err != nil {
		return nil, err
	}
	rep := &evalkit.Report{Title: "entity mentions (" + filepath.Base(dir) + ")"}
	type row struct{ detect, link evalkit.Counts }
	byType := make(map[mizan.EntityType]*row)
	byLang := make(map[string]*row)
	var all row
	var roles evalkit.Counts
	get := func(m map[mizan.EntityType]*row, t mizan.EntityType) *row {
		if m[t] == nil {
			m[t] = &row{}
		}
		return m[t]
	}
	paragraphs, marks := 0, 0
	for i := range docs {
		ed := &docs[i]
		paragraphs += len(ed.Paragraphs)
		marks += len(ed.Gold)
		d := &nlp.Doc{Document: &mizan.Document{
			ID: ed.ID, Raw: []byte(ed.Text), Text: ed.Text, Lang: ed.Lang, Published: ed.Published,
			Paragraphs: slices.Clone(ed.Paragraphs), Format: mizan.FormatText,
		}}
		if err := st.Process(context.Background(), d); err != nil {
			return nil, fmt.Errorf("eval document %s: %w", ed.ID, err)
		}
		if byLang[ed.Lang] == nil {
			byLang[ed.Lang] = &row{}
		}
		lr := byLang[ed.Lang]
		type key struct {
			span mizan.Span
			v    string
		}
		gd, gl, gr := make(map[key]mizan.EntityType), make(map[key]mizan.EntityType), make(map[key]bool)
		for _, g := range ed.Gold {
			gd[key{g.Span, string(g.Type)}] = g.Type
			gl[key{g.Span, g.EntityID()}] = g.Type
			if g.Role != "" {
				gr[key{g.Span, string(g.Role)}] = true
			}
		}
		pd, pl := make(map[key]mizan.EntityType), make(map[key]mizan.EntityType)
		for _, m := range d.Mentions {
			pd[key{m.Span, string(m.Type)}] = m.Type
			if m.EntityID != "" {
				pl[key{m.Span, m.EntityID}] = m.Type
			}
			if m.Role != "" {
				if gr[key{m.Span, string(m.Role)}] {
					roles.TP++
					delete(gr, key{m.Span, string(m.Role)})
				} else {
					roles.FP++
				}
			}
		}
		roles.FN += len(gr)
		score := func(gold, pred map[key]mizan.EntityType, pick func(*row) *evalkit.Counts) {
			for k, t := range pred {
				c := evalkit.Counts{FP: 1}
				if _, ok := gold[k]; ok {
					c = evalkit.Counts{TP: 1}
				}
				pick(get(byType, t)).Add(c)
				pick(lr).Add(c)
				pick(&all).Add(c)
			}
			for k, t := range gold {
				if _, ok := pred[k]; !ok {
					pick(get(byType, t)).Add(evalkit.Counts{FN: 1})
					pick(lr).Add(evalkit.Counts{FN: 1})
					pick(&all).Add(evalkit.Counts{FN: 1})
				}
			}
		}
		score(gd, pd, func(r *row) *evalkit.Counts { return &r.detect })
		score(gl, pl, func(r *row) *evalkit.Counts { return &r.link })
	}
	langs := make([]string, 0, len(byLang))
	for l := range byLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, part := range []string{"detect", "link"} {
		pick := func(r *row) evalkit.Counts {
			if part == "detect" {
				return r.detect
			}
			return r.link
		}
		for _, t := range mizan.EntityTypes {
			if r := byType[t]; r != nil {
				rep.Add(part+"/"+string(t), pick(r))
			}
		}
		for _, l := range langs {
			rep.Add(part+"/"+l, pick(byLang[l]))
		}
		rep.Add(part+"/all", pick(&all))
	}
	rep.Add("role/all", roles)
	rep.Notes = append(rep.Notes, fmt.Sprintf("%d documents, %d paragraphs, %d marked mentions", len(docs), paragraphs, marks))
	return rep, nil
}
