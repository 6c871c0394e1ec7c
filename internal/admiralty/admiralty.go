// Package admiralty grades information with the NATO Admiralty code (STANAG 2511): the
// reliability of a source, A to F, and the credibility of a piece of information, 1 to 6. The two
// are judged apart, as the code intends: a reliable outlet can carry an unconfirmed claim (B3),
// and an unknown one a confirmed claim (F1).
//
// Reliability comes from a table the user edits (Table, read from YAML), since only the analyst
// can say which outlets have earned trust; an outlet the table does not know is F, "cannot be
// judged". Credibility is computed per claim (Assess) from how many independent origins support
// and contradict it and how they say it — hedged, anonymous, speculative — and comes with the
// reasons, in short sentences a person can check.
package admiralty

import (
	"fmt"
	"strings"

	"github.com/mizan-osint/mizan"
)

// Reliability is a source's reliability, A (completely reliable) to F (cannot be judged).
type Reliability string

// Reliability grades.
const (
	A Reliability = "A"
	B Reliability = "B"
	C Reliability = "C"
	D Reliability = "D"
	E Reliability = "E"
	F Reliability = "F"
)

var reliabilityMeaning = map[Reliability]string{
	A: "completely reliable",
	B: "usually reliable",
	C: "fairly reliable",
	D: "not usually reliable",
	E: "unreliable",
	F: "reliability cannot be judged",
}

// Meaning is the grade's standard wording.
func (r Reliability) Meaning() string { return reliabilityMeaning[r] }

// Better reports whether r is a better grade than o.
func (r Reliability) Better(o Reliability) bool { return r < o }

// ParseReliability reads a grade letter, in either case (EINVALID for anything else).
func ParseReliability(s string) (Reliability, error) {
	r := Reliability(strings.ToUpper(strings.TrimSpace(s)))
	if _, ok := reliabilityMeaning[r]; !ok {
		return "", mizan.Errorf(mizan.EINVALID, "reliability %q: want a letter from A to F", s)
	}
	return r, nil
}

// Credibility is the credibility of a piece of information, 1 (confirmed) to 6 (cannot be
// judged).
type Credibility int

// Credibility grades.
const (
	Confirmed     Credibility = 1
	ProbablyTrue  Credibility = 2
	PossiblyTrue  Credibility = 3
	Doubtful      Credibility = 4
	Improbable    Credibility = 5
	CannotBeJudge Credibility = 6
)

var credibilityMeaning = map[Credibility]string{
	Confirmed:     "confirmed by other sources",
	ProbablyTrue:  "probably true",
	PossiblyTrue:  "possibly true",
	Doubtful:      "doubtful",
	Improbable:    "improbable",
	CannotBeJudge: "truth cannot be judged",
}

// Meaning is the grade's standard wording.
func (c Credibility) Meaning() string { return credibilityMeaning[c] }

// Grade is a full Admiralty grade, e.g. "B2".
func Grade(r Reliability, c Credibility) string { return fmt.Sprintf("%s%d", r, c) }

// Origin summarises the reports of a claim that share one origin (one original report and its
// copies, translations and citations) as Assess weighs them.
type Origin struct {
	// Label names the origin for the reasons, e.g. "f9f65442 (en) + 0fd1f64d (ar)".
	Label string
	// Reports is how many reports the origin has.
	Reports int
	// Hedged, Anonymous and Speculative describe how the origin says it: hedged ("reportedly",
	// "according to"), with no named source (an anonymous official, an unnamed document), or as
	// a possibility ("may", "could"). A copy never makes its original surer, so an origin is
	// hedged when any of its reports is, and so on.
	Hedged, Anonymous, Speculative bool
	// Source is the attribution to quote in the reasons ("a confidential report"), if any.
	Source string
	// Reliability is the best reliability among the origin's outlets.
	Reliability Reliability
	// Why lists why its reports were taken as one origin (for the reasons).
	Why []string
}

func (o Origin) weak() bool { return o.Hedged || o.Anonymous || o.Speculative }

// Input is what Assess weighs for one claim.
type Input struct {
	// Support and Contradict are the independent origins that state the claim and that
	// contradict it.
	Support, Contradict []Origin
	// Contradictions describe how the contradicting reports contradict (for the reasons).
	Contradictions []string
}

// Assess computes a claim's credibility and the reasons for it. The rules, in order:
//
//   - no supporting origin: 6, nothing to judge;
//   - contradicted by at least as many independent origins as support it: 5, improbable;
//   - supported by two or more independent origins: 1, confirmed, when none contradicts and at
//     least one states it plainly (unhedged, on the record, not as a possibility); 2 when all
//     of them hedge, speak anonymously or speculate; 3 when fewer origins contradict it;
//   - a single origin that only speculates ("may", "could"): 6, it cannot be judged yet;
//   - a single origin stating it plainly: 2 when its outlet is rated A or B, else 3;
//   - a single origin that hedges or is anonymous: 4, doubtful.
//
// Repeating a report — the same story copied, translated or cited — adds reports to one origin,
// never origins, so it never raises the grade; the reasons say so.
func Assess(in Input) (Credibility, []string) {
	var why []string
	s, c := len(in.Support), len(in.Contradict)
	reports := 0
	for _, o := range in.Support {
		reports += o.Reports
		if o.Reports > 1 {
			w := fmt.Sprintf("%d reports (%s) share one origin", o.Reports, o.Label)
			if len(o.Why) > 0 {
				w += ": " + strings.Join(o.Why, "; ")
			}
			why = append(why, w+" — counted once, repetition is not corroboration")
		}
	}
	if s == 0 {
		return CannotBeJudge, append(why, "no report states it")
	}
	switch s {
	case 1:
		why = append(why, "a single independent origin: not corroborated")
	default:
		why = append(why, fmt.Sprintf("corroborated by %d independent origins (%d reports)", s, reports))
	}
	if c > 0 {
		w := fmt.Sprintf("contradicted by %d independent origin(s)", c)
		if len(in.Contradictions) > 0 {
			w += ": " + strings.Join(in.Contradictions, "; ")
		}
		why = append(why, w)
	}
	strong := 0
	for _, o := range in.Support {
		if !o.weak() {
			strong++
		}
		if s == 1 {
			why = append(why, describe(o)...)
		}
	}
	if s > 1 && strong < s {
		why = append(why, fmt.Sprintf("%d of %d origins hedge, speak anonymously or speculate", s-strong, s))
	}
	switch {
	case c > 0 && c >= s:
		return Improbable, why
	case s >= 2 && c == 0 && strong > 0:
		return Confirmed, why
	case s >= 2 && c == 0:
		return ProbablyTrue, why
	case s >= 2:
		return PossiblyTrue, why
	}
	o := in.Support[0]
	switch {
	case o.Speculative:
		return CannotBeJudge, append(why, "only speculation: its truth cannot be judged yet")
	case !o.weak() && (o.Reliability == A || o.Reliability == B):
		return ProbablyTrue, append(why, fmt.Sprintf("stated plainly by a source rated %s (%s)", o.Reliability, o.Reliability.Meaning()))
	case !o.weak():
		return PossiblyTrue, append(why, "stated plainly, on the record")
	}
	return Doubtful, why
}

// describe says how a single origin states a claim.
func describe(o Origin) []string {
	var out []string
	if o.Hedged {
		out = append(out, "hedged")
	}
	if o.Anonymous {
		if o.Source != "" {
			out = append(out, fmt.Sprintf("no named source (%q)", o.Source))
		} else {
			out = append(out, "no named source")
		}
	} else if o.Source != "" {
		out = append(out, fmt.Sprintf("attributed to %s", o.Source))
	}
	if o.Speculative {
		out = append(out, "speculative (may, could)")
	}
	if o.Reliability != "" {
		out = append(out, fmt.Sprintf("outlet reliability %s: %s", o.Reliability, o.Reliability.Meaning()))
	}
	return out
}
