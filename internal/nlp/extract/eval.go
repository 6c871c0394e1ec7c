package extract

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/evalkit"
)

// An evaluation case is a page NAME.html or NAME.txt next to NAME.want, which holds header
// lines ("title: …", "date: YYYY-MM-DD" or "none", "lang: en", "format: html|scrape|text",
// optionally "outlet: …"), a blank line, and the expected body: one paragraph per line, title
// not included.
type evalCase struct {
	name   string
	path   string
	title  string
	date   string
	lang   string
	format mizan.Format
	outlet string
	body   []string
}

// caseResult is the score of one case.
type caseResult struct {
	name           string
	format         mizan.Format
	lang           string
	counts         evalkit.Counts
	titleOK        bool
	dateOK         bool
	formatOK       bool
	outletOK       *bool
	missed, extra  []string
	gotTitle       string
	gotDate        string
	err            error
	gotFormat      mizan.Format
	expectedOutlet string
}

// Evaluate extracts every case in dir (see evalCase) and scores the body paragraphs: an
// expected line is found (TP) when the extracted text contains it after whitespace
// normalisation, else missed (FN); an extracted paragraph other than the title that overlaps no
// expected line is a false positive. Rows are per format, per language and "all"; the notes give
// title, date, format and outlet accuracy and the cases that lost points.
func Evaluate(dir string) (*evalkit.Report, error) {
	rep, _, err := evaluate(dir, DefaultOptions())
	return rep, err
}

func evaluate(dir string, o Options) (*evalkit.Report, []caseResult, error) {
	cases, err := loadCases(dir)
	if err != nil {
		return nil, nil, err
	}
	if len(cases) == 0 {
		return nil, nil, fmt.Errorf("evaluate %s: no cases", dir)
	}
	rep := &evalkit.Report{Title: "extract: body paragraphs (" + filepath.Base(dir) + ")"}
	var results []caseResult
	var titles, dates, formats, outlets, outletCases int
	for _, c := range cases {
		r := scoreCase(c, o)
		results = append(results, r)
		rep.Add(string(c.format), r.counts)
		rep.Add(c.lang, r.counts)
		rep.Add("all", r.counts)
		if r.titleOK {
			titles++
		}
		if r.dateOK {
			dates++
		}
		if r.formatOK {
			formats++
		}
		if r.outletOK != nil {
			outletCases++
			if *r.outletOK {
				outlets++
			}
		}
	}
	rep.Sort()
	n := len(cases)
	rep.Notes = append(rep.Notes,
		fmt.Sprintf("cases: %d; title exact: %d/%d; date (day): %d/%d; format: %d/%d; outlet: %d/%d",
			n, titles, n, dates, n, formats, n, outlets, outletCases))
	for _, r := range results {
		var probs []string
		if r.err != nil {
			probs = append(probs, "error: "+r.err.Error())
		}
		if r.counts.FN > 0 {
			probs = append(probs, fmt.Sprintf("missed %d", r.counts.FN))
		}
		if r.counts.FP > 0 {
			probs = append(probs, fmt.Sprintf("extra %d", r.counts.FP))
		}
		if !r.titleOK {
			probs = append(probs, fmt.Sprintf("title %q", r.gotTitle))
		}
		if !r.dateOK {
			probs = append(probs, "date "+r.gotDate)
		}
		if !r.formatOK {
			probs = append(probs, "format "+string(r.gotFormat))
		}
		if r.outletOK != nil && !*r.outletOK {
			probs = append(probs, "outlet")
		}
		if len(probs) > 0 {
			rep.Notes = append(rep.Notes, r.name+": "+strings.Join(probs, "; "))
		}
	}
	return rep, results, nil
}

func scoreCase(c evalCase, o Options) caseResult {
	r := caseResult{name: c.name, format: c.format, lang: c.lang, expectedOutlet: c.outlet}
	raw, err := os.ReadFile(c.path)
	if err == nil {
		var res *Result
		res, err = Extract(Input{Raw: raw, Source: c.path}, o)
		if err == nil {
			return compare(c, res, r)
		}
	}
	r.err = err
	r.counts.FN = len(c.body)
	r.dateOK = c.date == "none"
	return r
}

func compare(c evalCase, res *Result, r caseResult) caseResult {
	text := wsNorm(res.Text)
	for _, want := range c.body {
		if strings.Contains(text, wsNorm(want)) {
			r.counts.TP++
		} else {
			r.counts.FN++
			r.missed = append(r.missed, want)
		}
	}
	paras := strings.Split(res.Text, "\n\n")
	if len(paras) > 0 && res.Title != "" && wsNorm(paras[0]) == wsNorm(res.Title) {
		paras = paras[1:]
	}
	for _, p := range paras {
		p = wsNorm(p)
		hit := false
		for _, want := range c.body {
			w := wsNorm(want)
			if strings.Contains(p, w) || strings.Contains(w, p) {
				hit = true
				break
			}
		}
		if !hit {
			r.counts.FP++
			r.extra = append(r.extra, p)
		}
	}
	r.gotTitle = res.Title
	r.titleOK = normKey(res.Title) == normKey(c.title)
	r.gotDate = "none"
	if res.Published != nil {
		r.gotDate = res.Published.Format("2006-01-02") + " (" + string(res.Precision) + ": " + res.PublishedText + ")"
		r.dateOK = res.Published.Format("2006-01-02") == c.date
	} else {
		r.dateOK = c.date == "none"
	}
	r.gotFormat = res.Format
	r.formatOK = res.Format == c.format
	if c.outlet != "" {
		ok := normKey(res.Outlet) == normKey(c.outlet)
		r.outletOK = &ok
	}
	return r
}

func wsNorm(s string) string { return strings.Join(strings.Fields(normalizeText(s)), " ") }

func loadCases(dir string) ([]evalCase, error) {
	wants, err := filepath.Glob(filepath.Join(dir, "*.want"))
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	sort.Strings(wants)
	var cases []evalCase
	for _, w := range wants {
		c, err := loadCase(w)
		if err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	return cases, nil
}

func loadCase(wantPath string) (evalCase, error) {
	base := strings.TrimSuffix(wantPath, ".want")
	c := evalCase{name: filepath.Base(base)}
	for _, ext := range []string{".html", ".txt"} {
		if _, err := os.Stat(base + ext); err == nil {
			c.path = base + ext
		}
	}
	if c.path == "" {
		return c, fmt.Errorf("case %s: no .html or .txt input", c.name)
	}
	f, err := os.Open(wantPath)
	if err != nil {
		return c, fmt.Errorf("case %s: %w", c.name, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	inBody := false
	for sc.Scan() {
		l := sc.Text()
		if !inBody {
			if strings.TrimSpace(l) == "" {
				inBody = true
				continue
			}
			k, v, ok := strings.Cut(l, ":")
			if !ok {
				return c, fmt.Errorf("case %s: bad header line %q", c.name, l)
			}
			v = strings.TrimSpace(v)
			switch strings.TrimSpace(k) {
			case "title":
				c.title = v
			case "date":
				if v != "none" {
					if _, err := time.Parse("2006-01-02", v); err != nil {
						return c, fmt.Errorf("case %s: bad date %q", c.name, v)
					}
				}
				c.date = v
			case "lang":
				c.lang = v
			case "format":
				c.format = mizan.Format(v)
			case "outlet":
				c.outlet = v
			default:
				return c, fmt.Errorf("case %s: unknown header %q", c.name, k)
			}
			continue
		}
		if strings.TrimSpace(l) != "" {
			c.body = append(c.body, l)
		}
	}
	if err := sc.Err(); err != nil {
		return c, fmt.Errorf("case %s: %w", c.name, err)
	}
	if c.date == "" || c.lang == "" || c.format == "" || len(c.body) == 0 {
		return c, fmt.Errorf("case %s: date, lang, format and a body are required", c.name)
	}
	return c, nil
}
