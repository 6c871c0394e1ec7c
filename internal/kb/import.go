package kb

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"github.com/mizan-osint/mizan"
)

// ImportReport says what an Import did. Every record read is counted once as added, merged,
// offices or skipped; skipped records are listed with their reason (the first MaxProblems of
// them). A YAML roles section is not a record.
type ImportReport struct {
	Source  string `json:"source"`
	Format  string `json:"format"`
	Records int    `json:"records"` // entities, offices, CSV rows or JSON lines read
	Added   int    `json:"added"`   // new entities
	Merged  int    `json:"merged"`  // records folded into an entity the KB already had
	Offices int    `json:"offices"` // office records used (YAML offices, FtM positions and occupancies)
	Skipped int    `json:"skipped"` // records not imported
	Tenures int    `json:"tenures"` // office tenures added
	// Problems lists skipped records and other warnings, with the line they start on.
	Problems []Problem `json:"problems,omitempty"`
}

// Problem is one record an import could not use, or a warning about one it did use.
type Problem struct {
	Line   int    `json:"line"`
	ID     string `json:"id,omitempty"`
	Reason string `json:"reason"`
}

// MaxProblems caps ImportReport.Problems; the counts stay exact.
const MaxProblems = 1000

// maxLine bounds one CSV record or JSON line; longer lines are skipped.
const maxLine = 4 << 20

func (r *ImportReport) problem(line int, id, format string, args ...any) {
	if len(r.Problems) < MaxProblems {
		r.Problems = append(r.Problems, Problem{Line: line, ID: id, Reason: fmt.Sprintf(format, args...)})
	}
}

func (r *ImportReport) skip(line int, id, format string, args ...any) {
	r.Skipped++
	r.problem(line, id, format, args...)
}

func (r *ImportReport) count(merged bool) {
	if merged {
		r.Merged++
	} else {
		r.Added++
	}
}

// Formats lists the formats Import reads.
var Formats = []string{"csv", "yaml", "ftm"}

// Import reads entities (and, for YAML and FollowTheMoney, offices) from r and merges them into
// k. An imported entity merges into an existing one with the same id, else the same Wikidata
// QID, else the only entity of the same type (and not of another country) that has its
// canonical name, compared by Key; otherwise it is added with Source "import:"+source. Bad
// records are skipped and reported, never abort the import.
//
// Formats:
//   - "yaml": the KB format (see WriteYAML), lenient.
//   - "csv": columns id,type,name,lang,aliases,country,wikidata. A first row starting with "id"
//     is a header, and then columns are found by name (others ignored); without it the order is
//     as listed. id may be empty (a slug is made from the type and name); aliases are separated
//     by "|"; country is an ISO 3166 alpha-2 or alpha-3 code; wikidata a QID. Rows with the same
//     id add names to one entity (one row per language, say).
//   - "ftm": FollowTheMoney entities, one JSON object per line (OpenSanctions exports):
//     Person → PERSON; Organization, Company, PublicBody, LegalEntity → ORG (GROUP when its
//     topics say crime.terror or crime.war); Position and Occupancy → offices and tenures. It
//     reads name, alias, previousName, weakAlias (only of two words or more: single-word weak
//     aliases are too ambiguous to match on), country, nationality, citizenship, jurisdiction,
//     mainCountry, wikidataId, position, birthDate, topics. Other schemata are skipped.
//
// An unknown format is EUNSUPPORTED; a YAML document that is not a map, or over MaxYAMLSize, is
// EINVALID or ETOOLARGE; a read error is returned wrapped, with the report of what was done.
func (k *KB) Import(r io.Reader, format, source string) (ImportReport, error) {
	f := strings.ToLower(strings.TrimSpace(format))
	switch f {
	case "yml":
		f = "yaml"
	case "ftm.json", "jsonl", "ndjson", "followthemoney":
		f = "ftm"
	}
	switch f {
	case "yaml":
		return k.importYAML(r, source, false)
	case "csv":
		return k.importCSV(r, source)
	case "ftm":
		return k.importFTM(r, source)
	}
	return ImportReport{Source: source, Format: format}, mizan.Errorf(mizan.EUNSUPPORTED, "kb: unknown import format %q (want %s)", format, strings.Join(Formats, ", "))
}

func importSource(source string) string {
	if source == "" {
		return "import"
	}
	return "import:" + source
}

// importYAML reads a YAML KB document. Load calls it on an empty KB with strict set (match by
// id only, so two places that share a name stay apart; problems become an error); Import with
// strict unset (merge by name too).
func (k *KB) importYAML(r io.Reader, source string, strict bool) (ImportReport, error) {
	rep := ImportReport{Source: source, Format: "yaml"}
	data, err := io.ReadAll(io.LimitReader(r, MaxYAMLSize+1))
	if err != nil {
		return rep, fmt.Errorf("read yaml: %w", err)
	}
	if len(data) > MaxYAMLSize {
		return rep, mizan.Errorf(mizan.ETOOLARGE, "kb: YAML document over %d MiB", MaxYAMLSize>>20)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return rep, mizan.Errorf(mizan.EINVALID, "kb: not YAML: %v", err)
	}
	if root.Kind == 0 { // empty document
		return rep, nil
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return rep, mizan.Errorf(mizan.EINVALID, "kb: line %d: want a map with entities, offices and roles", root.Line)
	}
	src := importSource(source)
	mode := mergeByName
	if strict {
		mode = mergeByID
		src = "kb"
		if source != "" {
			src = importSource(source)
		}
	}
	return k.applyYAML(root.Content[0], src, mode, rep)
}

// applyData overlays the given sections of one embedded data file onto the KB being built.
func (k *KB) applyData(data []byte, sections ...string) (ImportReport, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return ImportReport{}, fmt.Errorf("parse: %w", err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return ImportReport{}, errors.New("want a map with entities, offices and roles")
	}
	return k.applyYAML(root.Content[0], "kb", overlayByID, ImportReport{Format: "yaml"}, sections...)
}

// applyYAML merges the sections of one YAML map into k: all of them, or only those named.
func (k *KB) applyYAML(m *yaml.Node, src string, mode mergeMode, rep ImportReport, only ...string) (ImportReport, error) {
	sections := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		name, v := m.Content[i].Value, m.Content[i+1]
		switch name {
		case "entities", "offices", "roles":
			if len(only) == 0 || slices.Contains(only, name) {
				sections[name] = v
			}
		default:
			rep.problem(m.Content[i].Line, "", "unknown section %q ignored", name)
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if n := sections["roles"]; n != nil {
		var roles map[string]langStrings
		if err := n.Decode(&roles); err != nil {
			rep.problem(n.Line, "", "roles ignored: %v", cleanYAMLError(err))
		}
		for name, r := range roles {
			k.roles[name] = roleDef(r)
		}
	}
	if n := sections["entities"]; n != nil {
		if n.Kind != yaml.SequenceNode {
			rep.problem(n.Line, "", "entities ignored: want a list")
		} else {
			for _, item := range n.Content {
				rep.Records++
				var fe fileEntity
				if err := item.Decode(&fe); err != nil {
					rep.skip(item.Line, "", "%v", cleanYAMLError(err))
					continue
				}
				e, err := fe.entity(src)
				if err != nil {
					rep.skip(item.Line, fe.ID, "%v", err)
					continue
				}
				if k.match(e, mode) == nil && !completeName(e) {
					rep.skip(item.Line, fe.ID, "entity %s: no name", e.ID)
					continue
				}
				merged, _ := k.mergeOne(e, mode)
				rep.count(merged)
			}
		}
	}
	if n := sections["offices"]; n != nil {
		if n.Kind != yaml.SequenceNode {
			rep.problem(n.Line, "", "offices ignored: want a list")
		} else {
			for _, item := range n.Content {
				rep.Records++
				var fo fileOffice
				if err := item.Decode(&fo); err != nil {
					rep.skip(item.Line, "", "%v", cleanYAMLError(err))
					continue
				}
				info, tenures, err := fo.tenures()
				if err != nil {
					rep.skip(item.Line, fo.ID, "%v", err)
					continue
				}
				if _, ok := k.entities[info.Entity]; !ok && info.Entity != "" {
					rep.skip(item.Line, fo.ID, "office %s: no entity %q", fo.ID, info.Entity)
					continue
				}
				k.infos[fo.ID] = mergeInfo(k.infos[fo.ID], info)
				for _, t := range tenures {
					if h, ok := k.entities[t.Holder]; !ok || h.Type != mizan.PERSON {
						rep.problem(item.Line, fo.ID, "office %s: holder %q is not a person in the KB; tenure skipped", fo.ID, t.Holder)
						continue
					}
					if k.addTenure(t) {
						rep.Tenures++
					}
				}
				rep.Offices++
			}
		}
	}
	k.finish()
	return rep, nil
}

// mergeInfo combines what is known of one office from two sources; b's fields win when set.
func mergeInfo(a, b *officeInfo) *officeInfo {
	if a == nil {
		return b
	}
	c := *a
	c.Aliases = slices.Clone(a.Aliases)
	if b.Entity != "" {
		c.Entity = b.Entity
	}
	if b.Title != "" {
		c.Title = b.Title
	}
	if b.Role != "" {
		c.Role = b.Role
	}
	for _, n := range b.Aliases {
		if !slices.ContainsFunc(c.Aliases, func(o mizan.Name) bool { return o.Lang == n.Lang && Key(o.Text) == Key(n.Text) }) {
			c.Aliases = append(c.Aliases, n)
		}
	}
	return &c
}

// cleanYAMLError drops the "yaml: unmarshal errors:" preamble so a problem reads as one line.
func cleanYAMLError(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "yaml: unmarshal errors:\n")
	return strings.Join(strings.Fields(s), " ")
}

// info returns what is known of an office (never nil). Callers hold a lock.
func (k *KB) info(id string) *officeInfo {
	if in := k.infos[id]; in != nil {
		return in
	}
	if ts := k.offices[id]; len(ts) > 0 {
		return &officeInfo{Entity: ts[0].Entity, Title: ts[0].Title}
	}
	return &officeInfo{}
}

// finish derives what depends on more than one record once a batch of records is in: the
// capital-metonym names of states (from attrs.capital) and the role aliases of every office
// (written ones plus those generated from role templates and the state's names). Callers hold
// the write lock.
func (k *KB) finish() {
	for _, e := range k.entities {
		capID := e.Attrs["capital"]
		if capID == "" {
			continue
		}
		city, ok := k.entities[capID]
		if !ok {
			continue
		}
		var names []mizan.Name
		for _, n := range city.Names {
			if n.Kind == mizan.NameCanonical || n.Kind == mizan.NameAlias {
				names = append(names, mizan.Name{Text: n.Text, Lang: n.Lang, Kind: mizan.NameCapital})
			}
		}
		c := cloneEntity(e)
		if addNames(c, names...) > 0 {
			sortNames(c.Names)
			k.put(c)
		}
	}
	for id, tenures := range k.offices {
		info := k.info(id)
		aliases := slices.Clone(info.Aliases)
		if r, ok := k.roles[info.Role]; ok && info.Role != "" {
			if e, ok := k.entities[info.Entity]; ok {
				for _, n := range expandRole(r, e) {
					if !slices.ContainsFunc(aliases, func(o mizan.Name) bool { return o.Lang == n.Lang && Key(o.Text) == Key(n.Text) }) {
						aliases = append(aliases, n)
					}
				}
			}
		}
		for i := range tenures {
			tenures[i].Aliases = aliases
			if info.Title != "" {
				tenures[i].Title = info.Title
			}
			if info.Entity != "" {
				tenures[i].Entity = info.Entity
			}
		}
	}
}

// expandRole fills a role template with a state's names.
func expandRole(r roleDef, e *mizan.Entity) []mizan.Name {
	var out []mizan.Name
	for _, lang := range sortedLangs(r) {
		name, demonym := "", ""
		for _, n := range e.Names {
			if n.Lang != lang {
				continue
			}
			if n.Kind == mizan.NameCanonical && name == "" {
				name = n.Text
			}
			if n.Kind == mizan.NameDemonym && demonym == "" {
				demonym = n.Text
			}
		}
		adj, adjf := "", ""
		if demonym != "" {
			adj, adjf = adjectives(lang, demonym)
		}
		for _, tmpl := range r[lang] {
			if strings.Contains(tmpl, "{name}") && name == "" ||
				(strings.Contains(tmpl, "{adj}") && adj == "") ||
				(strings.Contains(tmpl, "{adjf}") && adjf == "") {
				continue
			}
			s := strings.NewReplacer("{name}", name, "{adjf}", adjf, "{adj}", adj).Replace(tmpl)
			out = append(out, mizan.Name{Text: s, Lang: lang, Kind: mizan.NameAlias})
		}
	}
	return out
}

// lineReader yields lines up to maxLine bytes, reporting longer ones as too long instead of
// failing like bufio.Scanner does.
type lineReader struct {
	r    *bufio.Reader
	line int
}

// next returns the next line without its newline, whether it was too long, and io.EOF at the end.
func (lr *lineReader) next() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, isPrefix, err := lr.r.ReadLine()
		if err != nil {
			if err == io.EOF && (buf != nil || tooLong) {
				break
			}
			return nil, false, err
		}
		if !tooLong {
			if len(buf)+len(chunk) > maxLine {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if !isPrefix {
			break
		}
	}
	lr.line++
	if buf == nil {
		buf = []byte{}
	}
	return buf, tooLong, nil
}

// csvColumns are the CSV columns in their default order.
var csvColumns = []string{"id", "type", "name", "lang", "aliases", "country", "wikidata"}

func (k *KB) importCSV(r io.Reader, source string) (ImportReport, error) {
	rep := ImportReport{Source: source, Format: "csv"}
	src := importSource(source)
	cols := map[string]int{}
	for i, c := range csvColumns {
		cols[c] = i
	}
	lr := &lineReader{r: bufio.NewReader(r)}
	first := true
	k.mu.Lock()
	defer func() {
		k.finish()
		k.mu.Unlock()
	}()
	for {
		raw, tooLong, err := lr.next()
		if err == io.EOF {
			return rep, nil
		}
		if err != nil {
			return rep, fmt.Errorf("read csv: %w", err)
		}
		if tooLong {
			rep.Records++
			rep.skip(lr.line, "", "line over %d bytes", maxLine)
			continue
		}
		line := lr.line
		// A quoted field may span lines: keep reading until the quotes balance.
		for bytes.Count(raw, []byte{'"'})%2 == 1 {
			more, tl, err := lr.next()
			if err != nil || tl {
				break
			}
			raw = append(append(raw, '\n'), more...)
		}
		if first {
			raw = bytes.TrimPrefix(raw, []byte("\uFEFF")) // spreadsheets write a BOM
		}
		if len(bytes.TrimSpace(raw)) == 0 || raw[0] == '#' {
			continue
		}
		cr := csv.NewReader(bytes.NewReader(raw))
		cr.FieldsPerRecord = -1
		rec, err := cr.Read()
		if err != nil {
			rep.Records++
			rep.skip(line, "", "bad CSV: %v", err)
			continue
		}
		if first {
			first = false
			if strings.EqualFold(strings.TrimSpace(rec[0]), "id") {
				cols = map[string]int{}
				for i, c := range rec {
					cols[strings.ToLower(strings.TrimSpace(c))] = i
				}
				if _, ok := cols["name"]; !ok {
					return rep, mizan.Errorf(mizan.EINVALID, "kb: CSV header has no name column")
				}
				continue
			}
		}
		rep.Records++
		get := func(col string) string {
			if i, ok := cols[col]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		e, err := csvEntity(get, src)
		if err != nil {
			rep.skip(line, get("id"), "%v", err)
			continue
		}
		if e.ID == "" {
			e.ID = k.newID(e)
		}
		merged, _ := k.mergeOne(e, mergeByName)
		rep.count(merged)
	}
}

// csvEntity builds an entity from one CSV row.
func csvEntity(get func(string) string, src string) (*mizan.Entity, error) {
	id, name, lang := get("id"), get("name"), strings.ToLower(get("lang"))
	if name == "" || Key(name) == "" {
		return nil, errors.New("no name")
	}
	if id != "" && !idRe.MatchString(id) {
		return nil, fmt.Errorf("bad id %q", id)
	}
	t, err := parseType(get("type"), id)
	if err != nil {
		return nil, err
	}
	if lang != "" {
		if _, err := language.Parse(lang); err != nil {
			return nil, fmt.Errorf("bad language %q", lang)
		}
	}
	e := &mizan.Entity{ID: id, Type: t, Name: name, Source: src}
	addNames(e, mizan.Name{Text: name, Lang: lang, Kind: mizan.NameCanonical})
	for _, a := range strings.Split(get("aliases"), "|") {
		addNames(e, mizan.Name{Text: a, Lang: lang, Kind: mizan.NameAlias})
	}
	if c := get("country"); c != "" {
		cc, err := countryCode(c)
		if err != nil {
			return nil, err
		}
		e.Attrs = map[string]string{"country": cc}
	}
	if q := strings.ToUpper(get("wikidata")); q != "" {
		if !qidRe.MatchString(q) {
			return nil, fmt.Errorf("bad wikidata id %q", q)
		}
		if e.Attrs == nil {
			e.Attrs = map[string]string{}
		}
		e.Attrs["wikidata"] = q
	}
	return e, nil
}

// countryCode reads an ISO 3166-1 alpha-2 or alpha-3 code as a lower-case alpha-2 code.
func countryCode(s string) (string, error) {
	r, err := language.ParseRegion(strings.TrimSpace(s))
	if err != nil || !r.IsCountry() || len(r.String()) != 2 {
		return "", fmt.Errorf("bad country code %q", s)
	}
	return strings.ToLower(r.String()), nil
}

// newID makes an unused id "<type>/<slug of name>". Callers hold the write lock.
func (k *KB) newID(e *mizan.Entity) string {
	slug := strings.ReplaceAll(Key(e.Name), " ", "-")
	if len(slug) > 80 {
		slug = strings.TrimRight(slug[:80], "-")
		for !idRe.MatchString(slug) && len(slug) > 0 {
			slug = slug[:len(slug)-1] // cut inside a multi-byte letter
		}
	}
	base := strings.ToLower(string(e.Type)) + "/" + slug
	id := base
	for i := 2; ; i++ {
		if _, taken := k.entities[id]; !taken {
			return id
		}
		id = fmt.Sprintf("%s-%d", base, i)
	}
}

// ftmEntity is one FollowTheMoney entity as exported in JSON lines. Property values are usually
// strings; nested exports put entities there, which are ignored.
type ftmEntity struct {
	ID         string                       `json:"id"`
	Schema     string                       `json:"schema"`
	Caption    string                       `json:"caption"`
	Properties map[string][]json.RawMessage `json:"properties"`
}

// strings returns the string values of a property.
func (f *ftmEntity) strings(prop string) []string {
	var out []string
	for _, raw := range f.Properties[prop] {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (f *ftmEntity) first(prop string) string {
	if v := f.strings(prop); len(v) > 0 {
		return v[0]
	}
	return ""
}

type ftmOccupancy struct {
	line               int
	id, holder, post   string
	startDate, endDate string
}

type ftmPosition struct {
	title, country string
}

func (k *KB) importFTM(r io.Reader, source string) (ImportReport, error) {
	rep := ImportReport{Source: source, Format: "ftm"}
	src := importSource(source)
	lr := &lineReader{r: bufio.NewReader(r)}
	idOf := map[string]string{} // FtM id → KB id, for occupancies
	positions := map[string]ftmPosition{}
	var occupancies []ftmOccupancy
	k.mu.Lock()
	defer k.mu.Unlock()
	for {
		raw, tooLong, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			k.finish()
			return rep, fmt.Errorf("read ftm: %w", err)
		}
		if tooLong {
			rep.Records++
			rep.skip(lr.line, "", "line over %d bytes", maxLine)
			continue
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		rep.Records++
		var f ftmEntity
		if err := json.Unmarshal(raw, &f); err != nil {
			rep.skip(lr.line, "", "bad JSON: %v", err)
			continue
		}
		if f.ID == "" || f.Schema == "" {
			rep.skip(lr.line, f.ID, "not a FollowTheMoney entity: no id or schema")
			continue
		}
		switch f.Schema {
		case "Position":
			title := f.first("name")
			if title == "" {
				rep.skip(lr.line, f.ID, "position without a name")
				continue
			}
			cc, _ := countryCode(f.first("country"))
			positions[f.ID] = ftmPosition{title: title, country: cc}
			rep.Offices++
			continue
		case "Occupancy":
			o := ftmOccupancy{line: lr.line, id: f.ID, holder: f.first("holder"), post: f.first("post"),
				startDate: f.first("startDate"), endDate: f.first("endDate")}
			if o.holder == "" || o.post == "" {
				rep.skip(lr.line, f.ID, "occupancy without holder or post")
				continue
			}
			occupancies = append(occupancies, o)
			continue
		}
		e, err := ftmToEntity(&f, src)
		if err != nil {
			rep.skip(lr.line, f.ID, "%v", err)
			continue
		}
		merged, id := k.mergeOne(e, mergeByName)
		idOf[f.ID] = id
		rep.count(merged)
	}
	for _, o := range occupancies {
		pos, okp := positions[o.post]
		holder, okh := idOf[o.holder]
		if !okp || !okh {
			rep.skip(o.line, o.id, "occupancy: position %q or holder %q not in this import", o.post, o.holder)
			continue
		}
		start, err1 := parseDate(o.startDate)
		end, err2 := parseDate(o.endDate)
		if err := errors.Join(err1, err2); err != nil {
			rep.skip(o.line, o.id, "occupancy: %v", err)
			continue
		}
		if start != nil && end != nil && !start.Before(*end) {
			rep.skip(o.line, o.id, "occupancy ends before it starts")
			continue
		}
		officeID := "ftm/" + slugID(o.post)
		entity := ""
		if pos.country != "" {
			officeID = pos.country + "/ftm-" + slugID(o.post)
			if _, ok := k.entities["gpe/"+pos.country]; ok {
				entity = "gpe/" + pos.country
			}
		}
		k.infos[officeID] = mergeInfo(k.infos[officeID], &officeInfo{Entity: entity, Title: pos.title})
		if k.addTenure(mizan.Office{ID: officeID, Entity: entity, Title: pos.title, Holder: holder, Start: start, End: end}) {
			rep.Tenures++
			rep.Offices++
		} else {
			rep.skip(o.line, o.id, "occupancy already recorded")
		}
	}
	k.finish()
	return rep, nil
}

// ftmSchemas maps the FtM schemata imported as entities to entity types.
var ftmSchemas = map[string]mizan.EntityType{
	"Person": mizan.PERSON, "Organization": mizan.ORG, "Company": mizan.ORG,
	"PublicBody": mizan.ORG, "LegalEntity": mizan.ORG,
}

func ftmToEntity(f *ftmEntity, src string) (*mizan.Entity, error) {
	t, ok := ftmSchemas[f.Schema]
	if !ok {
		return nil, fmt.Errorf("schema %s not imported", f.Schema)
	}
	topics := f.strings("topics")
	if t == mizan.ORG && (slices.Contains(topics, "crime.terror") || slices.Contains(topics, "crime.war")) {
		t = mizan.GROUP
	}
	e := &mizan.Entity{Type: t, Source: src}
	names := f.strings("name")
	if len(names) == 0 && f.Caption != "" {
		names = []string{f.Caption}
	}
	for i, n := range names {
		kind := mizan.NameAlias
		if i == 0 {
			kind = mizan.NameCanonical
		}
		addNames(e, mizan.Name{Text: n, Kind: kind})
	}
	if len(e.Names) == 0 {
		return nil, errors.New("no name")
	}
	e.Name = e.Names[0].Text
	for _, p := range []string{"alias", "previousName"} {
		for _, n := range f.strings(p) {
			addNames(e, mizan.Name{Text: n, Kind: mizan.NameAlias})
		}
	}
	for _, n := range f.strings("weakAlias") {
		if strings.Contains(Key(n), " ") {
			addNames(e, mizan.Name{Text: n, Kind: mizan.NameAlias})
		}
	}
	attrs := map[string]string{"ftm_id": f.ID}
	for _, p := range []string{"country", "nationality", "citizenship", "mainCountry", "jurisdiction"} {
		if c := f.first(p); c != "" {
			if cc, err := countryCode(c); err == nil {
				attrs["country"] = cc
				break
			}
		}
	}
	if q := strings.ToUpper(f.first("wikidataId")); qidRe.MatchString(q) {
		attrs["wikidata"] = q
	}
	if p := f.first("position"); p != "" {
		attrs["role"] = p
	}
	if b := f.first("birthDate"); b != "" {
		attrs["birth_date"] = b
	}
	if len(topics) > 0 {
		attrs["topics"] = strings.Join(topics, ",")
	}
	e.Attrs = attrs
	e.ID = strings.ToLower(string(t)) + "/ftm-" + slugID(f.ID)
	sortNames(e.Names)
	return e, nil
}

// slugID makes an id fragment of an external id: lower-case letters, digits, "-" and ".".
func slugID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-.")
	if out == "" {
		out = "x"
	}
	return out
}
