package http

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mizan-osint/mizan"
)

// params reads query parameters and collects the first error, so a handler parses everything and
// checks once. Every error is EINVALID and names the parameter.
type params struct {
	q   url.Values
	err error
}

func (p *params) fail(name, format string, args ...any) {
	if p.err == nil {
		p.err = mizan.Errorf(mizan.EINVALID, "parameter %s: "+format, append([]any{name}, args...)...)
	}
}

func (p *params) str(name string) string { return strings.TrimSpace(p.q.Get(name)) }

// int reads a non-negative integer no larger than max, def when absent.
func (p *params) int(name string, def, max int) int {
	s := p.str(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		p.fail(name, "%q is not a non-negative integer", s)
		return def
	}
	if n > max {
		p.fail(name, "%d is over the maximum of %d", n, max)
		return def
	}
	return n
}

// page reads limit and offset; limit 0 is not allowed (an unbounded page).
func (p *params) page(defLimit int) (limit, offset int) {
	limit = p.int("limit", defLimit, MaxLimit)
	if limit == 0 && p.str("limit") != "" {
		p.fail("limit", "must be between 1 and %d", MaxLimit)
	}
	offset = p.int("offset", 0, 1<<30)
	return limit, offset
}

// float reads a number in [lo, hi].
func (p *params) float(name string, def, lo, hi float64) float64 {
	s := p.str(name)
	if s == "" {
		return def
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < lo || f > hi {
		p.fail(name, "%q is not a number between %g and %g", s, lo, hi)
		return def
	}
	return f
}

// bool reads true/false/1/0.
func (p *params) bool(name string) bool {
	s := p.str(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		p.fail(name, "%q is not true or false", s)
	}
	return b
}

// date reads YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339, as the CLI's --since/--until do.
func (p *params) date(name string) *time.Time {
	s := p.str(name)
	if s == "" {
		return nil
	}
	t, ok := mizan.ParseDate(s)
	if !ok {
		p.fail(name, "%q is not a date like 2024, 2024-03 or 2024-03-15", s)
		return nil
	}
	return &t
}

// asOf reads an "as of" date as the CLI's --as-of does (mizan.AsOf): a day, a month or a year
// counts to its end, so as_of=2024-03-15 includes what was published that day.
func (p *params) asOf(name string) *time.Time {
	s := p.str(name)
	if s == "" {
		return nil
	}
	t, ok := mizan.AsOf(s)
	if !ok {
		p.fail(name, "%q is not a date like 2024, 2024-03 or 2024-03-15", s)
		return nil
	}
	return &t
}

// list reads a comma-separated or repeated parameter.
func (p *params) list(name string) []string {
	var out []string
	for _, v := range p.q[name] {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	return out
}

// eventTypes reads PLOVER types (case-insensitive; a "TYPE/subtype" keeps the type).
func (p *params) eventTypes(name string) []mizan.EventType {
	var out []mizan.EventType
	for _, s := range p.list(name) {
		t, _, _ := strings.Cut(strings.ToUpper(s), "/")
		if !mizan.EventType(t).Known() {
			p.fail(name, "%q is not a PLOVER event type (%s)", s, mizan.EventTypeList())
			continue
		}
		out = append(out, mizan.EventType(t))
	}
	return out
}

// entityTypes reads entity types (case-insensitive).
func (p *params) entityTypes(name string) []mizan.EntityType {
	var out []mizan.EntityType
	for _, s := range p.list(name) {
		t := mizan.EntityType(strings.ToUpper(s))
		if !slices.Contains(mizan.EntityTypes, t) {
			p.fail(name, "%q is not an entity type (PERSON, ORG, GPE, LOC, FAC, GROUP, MISC)", s)
			continue
		}
		out = append(out, t)
	}
	return out
}

// modes reads event modes.
func (p *params) modes(name string) []mizan.Mode {
	var out []mizan.Mode
	for _, s := range p.list(name) {
		m := mizan.Mode(strings.ToLower(s))
		if !m.Known() {
			p.fail(name, "%q is not a mode (asserted, planned, possible, negated)", s)
			continue
		}
		out = append(out, m)
	}
	return out
}

// oneOf reads a value from a fixed set, def when absent.
func (p *params) oneOf(name, def string, allowed ...string) string {
	s := strings.ToLower(p.str(name))
	if s == "" {
		return def
	}
	if slices.Contains(allowed, s) {
		return s
	}
	p.fail(name, "%q is not one of %s", s, strings.Join(allowed, ", "))
	return def
}

// known refuses parameters a handler does not read, so a typo (?tpye=) is an error rather than
// a silently unfiltered answer.
func (p *params) known(names ...string) {
	for k := range p.q {
		if !slices.Contains(names, k) {
			p.fail(k, "unknown parameter (this endpoint takes: %s)", strings.Join(names, ", "))
			return
		}
	}
}
