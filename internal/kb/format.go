package kb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mizan-osint/mizan"
)

// The YAML format of a knowledge base, shared by the embedded data files, Load, WriteYAML and
// Import(..., "yaml", ...). A document has up to three sections:
//
//	entities:
//	  - id: gpe/dz                # required, unique: "<type>/<slug>"
//	    type: GPE                 # optional when the id starts with gpe/ org/ loc/ fac/ person/ group/ misc/
//	    name: Algeria             # display name; defaults to the English canonical name
//	    names: {en: Algeria, ar: الجزائر}            # canonical name per language
//	    aliases: {en: [Algerian Republic], fr: [...]}  # a string or a list per language
//	    abbrevs: {en: [DZ]}
//	    demonyms: {en: [Algerian], fr: [algérien], ar: [جزائري]}  # base forms; inflected by rule
//	    capitals: {en: [...]}     # explicit capital-metonym names (usually via attrs.capital)
//	    attrs: {country: dz, iso3: DZA, wikidata: Q262, capital: loc/algiers}
//	offices:
//	  - id: dz/foreign-minister   # "<country or org>/<role>"
//	    entity: gpe/dz            # the state or organisation (may be left out when unknown)
//	    title: Minister of Foreign Affairs
//	    role: foreign-minister    # optional: generate role aliases from the template
//	    aliases: {en: [...], ar: [...], fr: [...]}  # extra role-only names
//	    holders:
//	      - {holder: person/ahmed-attaf, start: 2023-03-18}   # dates YYYY, YYYY-MM or YYYY-MM-DD
//	roles:
//	  foreign-minister:
//	    en: ["{adj} Foreign Minister", "{name}'s foreign minister"]
//	    ar: ["وزير الخارجية {adj}"]
//
// attrs.capital names a LOC entity whose canonical names and aliases become names of kind
// "capital" of the GPE ("Moscow said…" → Russia). Role templates fill {name} with the state's
// canonical name, {adj} and {adjf} with the masculine and feminine adjective made from its
// first demonym in the template's language (Arabic: definite, "الجزائري"); a template whose
// placeholder the state lacks is skipped. A language written "und" is a name of unknown language.

// MaxYAMLSize bounds a YAML document Load or Import reads into memory.
const MaxYAMLSize = 64 << 20

type fileDoc struct {
	Entities []fileEntity           `yaml:"entities,omitempty"`
	Offices  []fileOffice           `yaml:"offices,omitempty"`
	Roles    map[string]langStrings `yaml:"roles,omitempty"`
}

type fileEntity struct {
	ID       string            `yaml:"id"`
	Type     string            `yaml:"type,omitempty"`
	Name     string            `yaml:"name,omitempty"`
	Names    langStrings       `yaml:"names,omitempty"`
	Aliases  langStrings       `yaml:"aliases,omitempty"`
	Abbrevs  langStrings       `yaml:"abbrevs,omitempty"`
	Demonyms langStrings       `yaml:"demonyms,omitempty"`
	Capitals langStrings       `yaml:"capitals,omitempty"`
	Attrs    map[string]string `yaml:"attrs,omitempty"`
	Source   string            `yaml:"source,omitempty"`
}

type fileOffice struct {
	ID      string       `yaml:"id"`
	Entity  string       `yaml:"entity"`
	Title   string       `yaml:"title,omitempty"`
	Role    string       `yaml:"role,omitempty"`
	Aliases langStrings  `yaml:"aliases,omitempty"`
	Holders []fileTenure `yaml:"holders,omitempty"`
}

type fileTenure struct {
	Holder string `yaml:"holder"`
	Start  string `yaml:"start,omitempty"`
	End    string `yaml:"end,omitempty"`
}

// langStrings maps a language to strings. In YAML each value is a string or a list of strings;
// it is written with languages in a fixed order (en ar fr ru fa, then the rest sorted).
type langStrings map[string][]string

func (l *langStrings) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want a map of language to names", n.Line)
	}
	out := langStrings{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		lang, v := n.Content[i].Value, n.Content[i+1]
		switch v.Kind {
		case yaml.ScalarNode:
			out[lang] = append(out[lang], v.Value)
		case yaml.SequenceNode:
			for _, x := range v.Content {
				if x.Kind != yaml.ScalarNode {
					return fmt.Errorf("line %d: want a name, got a %s", x.Line, nodeKind(x))
				}
				out[lang] = append(out[lang], x.Value)
			}
		default:
			return fmt.Errorf("line %d: want a name or a list of names for %q", v.Line, lang)
		}
	}
	*l = out
	return nil
}

func (l langStrings) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, lang := range sortedLangs(l) {
		vs := l[lang]
		key := &yaml.Node{Kind: yaml.ScalarNode, Value: lang}
		var val *yaml.Node
		if len(vs) == 1 {
			val = &yaml.Node{Kind: yaml.ScalarNode, Value: vs[0]}
		} else {
			val = &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, v := range vs {
				val.Content = append(val.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: v})
			}
		}
		n.Content = append(n.Content, key, val)
	}
	return n, nil
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "map"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

// langOrder is the order languages are listed in: the product's languages first.
var langOrder = []string{"en", "ar", "fr", "ru", "fa"}

func langRank(l string) int {
	if i := slices.Index(langOrder, l); i >= 0 {
		return i
	}
	return len(langOrder)
}

func sortedLangs[V any](m map[string]V) []string {
	ls := slices.Collect(maps.Keys(m))
	slices.SortFunc(ls, func(a, b string) int {
		if ra, rb := langRank(a), langRank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	return ls
}

// fileLang maps a file language to a Name.Lang and back: "und" is the empty language.
func fileLang(l string) string {
	if l == "und" {
		return ""
	}
	return l
}

func writeLang(l string) string {
	if l == "" {
		return "und"
	}
	return l
}

var (
	idRe   = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._:/-]*$`)
	qidRe  = regexp.MustCompile(`^Q[1-9][0-9]*$`)
	typeOf = map[string]mizan.EntityType{
		"gpe": mizan.GPE, "org": mizan.ORG, "loc": mizan.LOC, "fac": mizan.FAC,
		"person": mizan.PERSON, "group": mizan.GROUP, "misc": mizan.MISC,
	}
)

// parseType reads an entity type in any case; "" infers it from the id's prefix.
func parseType(t, id string) (mizan.EntityType, error) {
	if t == "" {
		prefix, _, _ := strings.Cut(id, "/")
		if et, ok := typeOf[prefix]; ok {
			return et, nil
		}
		return "", errors.New("missing type")
	}
	et := mizan.EntityType(strings.ToUpper(strings.TrimSpace(t)))
	switch et {
	case "ORGANIZATION", "ORGANISATION":
		et = mizan.ORG
	case "PER", "PERS":
		et = mizan.PERSON
	}
	if !slices.Contains(mizan.EntityTypes, et) {
		return "", fmt.Errorf("unknown type %q", t)
	}
	return et, nil
}

// entity converts a file entity to a domain entity, inflecting demonyms.
func (f *fileEntity) entity(source string) (*mizan.Entity, error) {
	id := strings.TrimSpace(f.ID)
	if id == "" {
		return nil, errors.New("missing id")
	}
	if !idRe.MatchString(id) {
		return nil, fmt.Errorf("bad id %q: letters, digits and . _ : / - only", id)
	}
	t, err := parseType(f.Type, id)
	if err != nil {
		return nil, fmt.Errorf("entity %s: %w", id, err)
	}
	e := &mizan.Entity{ID: id, Type: t, Name: strings.TrimSpace(f.Name), Source: f.Source}
	if e.Source == "" {
		e.Source = source
	}
	add := func(ls langStrings, kind mizan.NameKind) {
		for _, lang := range sortedLangs(ls) {
			for _, v := range ls[lang] {
				if kind == mizan.NameDemonym {
					for _, form := range inflectDemonym(lang, v) {
						addNames(e, mizan.Name{Text: form, Lang: fileLang(lang), Kind: kind})
					}
					continue
				}
				addNames(e, mizan.Name{Text: v, Lang: fileLang(lang), Kind: kind})
			}
		}
	}
	add(f.Names, mizan.NameCanonical)
	add(f.Aliases, mizan.NameAlias)
	add(f.Abbrevs, mizan.NameAbbrev)
	add(f.Demonyms, mizan.NameDemonym)
	add(f.Capitals, mizan.NameCapital)
	if len(f.Attrs) > 0 {
		e.Attrs = map[string]string{}
		for a, v := range f.Attrs {
			if v = strings.TrimSpace(v); v != "" {
				e.Attrs[a] = v
			}
		}
		if q := e.Attrs["wikidata"]; q != "" && !qidRe.MatchString(q) {
			return nil, fmt.Errorf("entity %s: bad wikidata id %q", id, q)
		}
	}
	if e.Name != "" && Key(e.Name) == "" {
		return nil, fmt.Errorf("entity %s: name %q has no letters or digits", id, e.Name)
	}
	if e.Name == "" {
		// Without a canonical name the display name stays empty: an entry that only adds
		// aliases to an existing entity keeps that entity's name (see completeName).
		e.Name = displayName(e, false)
	}
	if e.Name != "" && !slices.ContainsFunc(e.Names, func(n mizan.Name) bool { return Key(n.Text) == Key(e.Name) }) {
		e.Names = append([]mizan.Name{{Text: e.Name, Kind: mizan.NameCanonical}}, e.Names...)
	}
	sortNames(e.Names)
	return e, nil
}

// completeName gives a new entity that has names but no canonical one a display name: its
// first name, made canonical. It reports false for an entity without any name.
func completeName(e *mizan.Entity) bool {
	if e.Name != "" {
		return true
	}
	if len(e.Names) == 0 {
		return false
	}
	e.Names[0].Kind = mizan.NameCanonical
	e.Name = e.Names[0].Text
	sortNames(e.Names)
	return true
}

// displayName picks an entity's display name: its English canonical name, else the first
// canonical name, else (with anyName) the first name.
func displayName(e *mizan.Entity, anyName bool) string {
	for _, n := range e.Names {
		if n.Kind == mizan.NameCanonical && n.Lang == "en" {
			return n.Text
		}
	}
	for _, n := range e.Names {
		if n.Kind == mizan.NameCanonical {
			return n.Text
		}
	}
	if anyName && len(e.Names) > 0 {
		return e.Names[0].Text
	}
	return ""
}

var kindOrder = []mizan.NameKind{mizan.NameCanonical, mizan.NameAlias, mizan.NameAbbrev, mizan.NameDemonym, mizan.NameCapital}

// sortNames orders names by kind, then language, keeping the written order within each group,
// so that a KB written and loaded back lists names as before.
func sortNames(ns []mizan.Name) {
	slices.SortStableFunc(ns, func(a, b mizan.Name) int {
		ka, kb := slices.Index(kindOrder, a.Kind), slices.Index(kindOrder, b.Kind)
		if ka < 0 {
			ka = len(kindOrder)
		}
		if kb < 0 {
			kb = len(kindOrder)
		}
		if ka != kb {
			return ka - kb
		}
		if ra, rb := langRank(a.Lang), langRank(b.Lang); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Lang, b.Lang)
	})
}

// parseDate reads YYYY, YYYY-MM or YYYY-MM-DD as the first instant of that period in UTC.
func parseDate(s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t, nil
		}
	}
	// FollowTheMoney and spreadsheets also write full timestamps.
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		return &t, nil
	}
	return nil, fmt.Errorf("bad date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
}

func formatDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// officeInfo is what an office has besides its tenures: kept once per office id.
type officeInfo struct {
	Entity  string
	Title   string
	Role    string
	Aliases []mizan.Name // written in the data; role-template aliases are added by finish
}

// tenures converts a file office to its info and tenures.
func (f *fileOffice) tenures() (*officeInfo, []mizan.Office, error) {
	id := strings.TrimSpace(f.ID)
	if id == "" {
		return nil, nil, errors.New("office: missing id")
	}
	if !idRe.MatchString(id) {
		return nil, nil, fmt.Errorf("office: bad id %q", id)
	}
	info := &officeInfo{Entity: strings.TrimSpace(f.Entity), Title: strings.TrimSpace(f.Title), Role: strings.TrimSpace(f.Role)}
	for _, lang := range sortedLangs(f.Aliases) {
		for _, a := range f.Aliases[lang] {
			if Key(a) != "" {
				info.Aliases = append(info.Aliases, mizan.Name{Text: strings.TrimSpace(a), Lang: fileLang(lang), Kind: mizan.NameAlias})
			}
		}
	}
	var out []mizan.Office
	for _, h := range f.Holders {
		if strings.TrimSpace(h.Holder) == "" {
			return nil, nil, fmt.Errorf("office %s: tenure without holder", id)
		}
		start, err := parseDate(h.Start)
		if err != nil {
			return nil, nil, fmt.Errorf("office %s, %s: start: %w", id, h.Holder, err)
		}
		end, err := parseDate(h.End)
		if err != nil {
			return nil, nil, fmt.Errorf("office %s, %s: end: %w", id, h.Holder, err)
		}
		if start != nil && end != nil && !start.Before(*end) {
			return nil, nil, fmt.Errorf("office %s, %s: ends (%s) before it starts (%s)", id, h.Holder, h.End, h.Start)
		}
		out = append(out, mizan.Office{ID: id, Entity: info.Entity, Title: info.Title, Holder: strings.TrimSpace(h.Holder), Start: start, End: end})
	}
	return info, out, nil
}

// Load reads a KB from a YAML document in the format described above. Unlike Import it is
// strict: the first bad entry fails the whole load (EINVALID, with its line), and so do offices
// whose state or holder is not in the document.
func Load(r io.Reader) (*KB, error) {
	k := New()
	rep, err := k.importYAML(r, "", true)
	if err != nil {
		return nil, err
	}
	if len(rep.Problems) > 0 {
		p := rep.Problems[0]
		return nil, mizan.Errorf(mizan.EINVALID, "kb: line %d: %s", p.Line, p.Reason)
	}
	return k, nil
}

// WriteYAML writes the KB as one YAML document that Load reads back to an equal KB: entities
// ordered by id, offices by id with their tenures by start, then role templates.
func (k *KB) WriteYAML(w io.Writer) error {
	k.mu.RLock()
	defer k.mu.RUnlock()
	var doc fileDoc
	for _, id := range slices.Sorted(maps.Keys(k.entities)) {
		doc.Entities = append(doc.Entities, toFile(k.entities[id]))
	}
	for _, id := range slices.Sorted(maps.Keys(k.offices)) {
		info := k.info(id)
		fo := fileOffice{ID: id, Entity: info.Entity, Title: info.Title, Role: info.Role, Aliases: namesByLang(info.Aliases)}
		for _, t := range k.offices[id] {
			fo.Holders = append(fo.Holders, fileTenure{Holder: t.Holder, Start: formatDate(t.Start), End: formatDate(t.End)})
		}
		doc.Offices = append(doc.Offices, fo)
	}
	if len(k.roles) > 0 {
		doc.Roles = map[string]langStrings{}
		for name, r := range k.roles {
			doc.Roles[name] = langStrings(r)
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("encode kb: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("encode kb: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func toFile(e *mizan.Entity) fileEntity {
	f := fileEntity{ID: e.ID, Type: string(e.Type), Name: e.Name, Source: e.Source}
	if len(e.Attrs) > 0 {
		f.Attrs = maps.Clone(e.Attrs)
	}
	for _, n := range e.Names {
		var dst *langStrings
		switch n.Kind {
		case mizan.NameCanonical:
			dst = &f.Names
		case mizan.NameAbbrev:
			dst = &f.Abbrevs
		case mizan.NameDemonym:
			dst = &f.Demonyms
		case mizan.NameCapital:
			dst = &f.Capitals
		default:
			dst = &f.Aliases
		}
		if *dst == nil {
			*dst = langStrings{}
		}
		l := writeLang(n.Lang)
		(*dst)[l] = append((*dst)[l], n.Text)
	}
	return f
}

func namesByLang(ns []mizan.Name) langStrings {
	if len(ns) == 0 {
		return nil
	}
	out := langStrings{}
	for _, n := range ns {
		l := writeLang(n.Lang)
		out[l] = append(out[l], n.Text)
	}
	return out
}
