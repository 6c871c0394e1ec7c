package resolve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/resolve/namesim"
)

// Labelled is one name of the evaluation set with the cluster (entity) it belongs to.
type Labelled struct {
	Cluster string
	Type    mizan.EntityType
	Lang    string
	Name    string
	// Context lists knowledge-base ids the name's document also mentions.
	Context []string
	Line    int
}

// ReadClusters reads an evaluation set: one name per line, cluster<TAB>type<TAB>lang<TAB>name and
// an optional <TAB>context of space-separated entity ids; blank lines and lines starting with #
// are skipped. A malformed line is EINVALID with its number.
func ReadClusters(r io.Reader) ([]Labelled, error) {
	var out []Labelled
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 4 || len(f) > 5 {
			return nil, mizan.Errorf(mizan.EINVALID, "line %d: want 4 or 5 tab-separated fields, got %d", n, len(f))
		}
		l := Labelled{Cluster: strings.TrimSpace(f[0]), Type: mizan.EntityType(strings.TrimSpace(f[1])), Lang: strings.TrimSpace(f[2]), Name: strings.TrimSpace(f[3]), Line: n}
		if l.Cluster == "" || l.Name == "" {
			return nil, mizan.Errorf(mizan.EINVALID, "line %d: empty cluster or name", n)
		}
		known := false
		for _, t := range mizan.EntityTypes {
			known = known || t == l.Type
		}
		if !known {
			return nil, mizan.Errorf(mizan.EINVALID, "line %d: unknown type %q", n, l.Type)
		}
		if len(f) == 5 {
			l.Context = strings.Fields(f[4])
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read clusters: %w", err)
	}
	return out, nil
}

// pairKind labels a pair of names for the report.
func pairKind(a, b Labelled) string {
	pa, pb := namesim.Parse(a.Name), namesim.Parse(b.Name)
	if pa.Script != pb.Script {
		return "cross-script"
	}
	return "same-script"
}

// EvaluatePairs scores name similarity alone: every pair of names of compatible types is
// predicted "same" when namesim.Compare reaches o.Accept, and compared with the labels. Rows are
// by pair kind (same or cross script) and "all".
func EvaluatePairs(set []Labelled, o Options) *evalkit.Report {
	rep := &evalkit.Report{Title: fmt.Sprintf("name similarity, pairwise (same entity at score >= %.2f)", o.Accept)}
	parsed := make([]namesim.Name, len(set))
	for i, l := range set {
		parsed[i] = namesim.Parse(l.Name)
	}
	for i := range set {
		for j := i + 1; j < len(set); j++ {
			a, b := set[i], set[j]
			if !namesim.Compatible(a.Type, b.Type) {
				continue
			}
			same := a.Cluster == b.Cluster
			pred := namesim.Compare(parsed[i], parsed[j]).Score >= o.Accept
			c := evalkit.Decision(same, pred)
			if c == (evalkit.Counts{}) {
				continue
			}
			rep.Add(pairKind(a, b), c)
			rep.Add("all", c)
		}
	}
	rep.Sort()
	return rep
}

// EvaluateResolution runs the whole resolver: each name of the set is a document introducing one
// discovered entity (with its context mentions), resolved against st and stored, in the order
// given. The entity each name ends with gives predicted clusters, scored pairwise against the
// labelled ones (rows by pair kind and "all"); names of clusters named like a knowledge-base id
// must end on that id, and no other name on a knowledge-base id ("kb-link" row).
func EvaluateResolution(ctx context.Context, set []Labelled, st interface {
	Store
	PutDocument(ctx context.Context, d *mizan.Document, a *mizan.Analysis, replace bool) (mizan.PutOutcome, error)
}, r *Resolver) (*evalkit.Report, error) {
	rep := &evalkit.Report{Title: "cross-document resolution, pairwise over the clusters it builds"}
	got := make([]string, len(set))
	for i, l := range set {
		text := l.Name + " ."
		for _, c := range l.Context {
			text += " " + c
		}
		raw := []byte(fmt.Sprintf("eval %d\n%s", i, text))
		d := &mizan.Document{ID: mizan.DocumentID(raw), Source: fmt.Sprintf("eval-%d", i), SourceKind: mizan.SourceFile,
			Title: "eval", Lang: l.Lang, Format: mizan.FormatText, Raw: raw, Text: text, Pipeline: nlp.Version}
		id := namesim.Slug(l.Type, l.Name)
		nd := &nlp.Doc{Document: d}
		nd.Mentions = append(nd.Mentions, mizan.Mention{Span: mizan.Span{Start: 0, End: len([]rune(l.Name))}, Text: l.Name, Type: l.Type,
			EntityID: id, Method: mizan.MethodModel, Confidence: 0.9, Canonical: l.Name})
		off := len([]rune(l.Name + " . "))
		for _, c := range l.Context {
			if e, ok := r.kb.Entity(c); ok {
				nd.Mentions = append(nd.Mentions, mizan.Mention{Span: mizan.Span{Start: off, End: off + len([]rune(c))}, Text: c,
					Type: e.Type, EntityID: c, Method: mizan.MethodKB, Confidence: 1})
			}
			off += len([]rune(c)) + 1
		}
		nd.Entities = []mizan.Entity{{ID: id, Name: l.Name, Type: l.Type, Source: "discovered", Names: []mizan.Name{{Text: l.Name, Lang: l.Lang, Kind: mizan.NameCanonical}}}}
		if err := r.Resolve(ctx, nd); err != nil {
			return nil, err
		}
		got[i] = nd.Mentions[0].EntityID
		if _, err := st.PutDocument(ctx, d, &nd.Analysis, false); err != nil {
			return nil, fmt.Errorf("line %d: %w", l.Line, err)
		}
	}
	// The entity a name ended with may itself have been linked later; names that share an
	// entity id at the end are one predicted cluster.
	for i := range set {
		for j := i + 1; j < len(set); j++ {
			a, b := set[i], set[j]
			if !namesim.Compatible(a.Type, b.Type) {
				continue
			}
			c := evalkit.Decision(a.Cluster == b.Cluster, got[i] == got[j])
			if c == (evalkit.Counts{}) {
				continue
			}
			rep.Add(pairKind(a, b), c)
			rep.Add("all", c)
		}
	}
	var misses []string
	for i, l := range set {
		if _, ok := r.kb.Entity(l.Cluster); !ok {
			if _, wrong := r.kb.Entity(got[i]); wrong {
				rep.Add("kb-link", evalkit.Counts{FP: 1})
				misses = append(misses, fmt.Sprintf("%s → %s (wrongly)", l.Name, got[i]))
			}
			continue
		}
		if got[i] == l.Cluster {
			rep.Add("kb-link", evalkit.Counts{TP: 1})
		} else {
			rep.Add("kb-link", evalkit.Counts{FN: 1})
			misses = append(misses, fmt.Sprintf("%s → %s", l.Name, got[i]))
		}
	}
	rep.Sort()
	sort.Strings(misses)
	if len(misses) > 0 {
		rep.Notes = append(rep.Notes, "knowledge-base links missed or wrong: "+strings.Join(misses, "; "))
	}
	return rep, nil
}
