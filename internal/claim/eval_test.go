package claim_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/claim"
)

func evalSet(tb testing.TB) *claim.EvalSet {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "pairs.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	s, err := claim.ReadEvalSet(f)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestEvaluation holds the scores on the project's set just under what they are, so a change
// that makes claim matching or independence worse fails.
func TestEvaluation(t *testing.T) {
	s := evalSet(t)
	claims, err := claim.EvaluateClaims(s)
	if err != nil {
		t.Fatal(err)
	}
	origins, err := claim.EvaluateOrigins(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + claims.String() + origins.String())
	check := func(name string, p, r, minP, minR float64) {
		if p < minP || r < minR {
			t.Errorf("%s: got precision %.3f recall %.3f, want at least %.2f and %.2f", name, p, r, minP, minR)
		}
	}
	for _, row := range []struct {
		label      string
		minP, minR float64
	}{{"same", 0.85, 0.85}, {"different", 0.85, 0.85}, {"contradicting", 0.85, 0.85}, {"all", 0.95, 0.95}} {
		c := claims.Row(row.label)
		check("claims "+row.label, c.Precision(), c.Recall(), row.minP, row.minR)
	}
	for _, row := range []struct {
		label      string
		minP, minR float64
	}{{"same-origin", 0.85, 0.85}, {"independent", 0.85, 0.85}} {
		c := origins.Row(row.label)
		check("origins "+row.label, c.Precision(), c.Recall(), row.minP, row.minR)
	}
}

func TestParseEvent(t *testing.T) {
	tests := []struct {
		in   string
		want string // type source>target place precision mode hedged, or "error"
	}{
		{"CONSULT gpe/ir>gpe/dz @loc/algiers 2024-10..2024-12", "CONSULT gpe/ir>gpe/dz loc/algiers range asserted false"},
		{"MOBILIZE gpe/dz+group/polisario>@gpe/sy possible hedged", "MOBILIZE gpe/dz+group/polisario> gpe/sy unknown possible true"},
		{"SANCTION gpe/dz>gpe/es 2022-06-08 negated", "SANCTION gpe/dz>gpe/es  day negated false"},
		{"AID >gpe/ml 2023", "AID >gpe/ml  year asserted false"},
		{"MEET a>b", "error"},
		{"CONSULT ab", "error"},
		{"CONSULT a>b 2024-13", "error"},
		{"CONSULT a>b 2024-12..2024-01", "error"},
		{"CONSULT", "error"},
	}
	for _, tt := range tests {
		e, err := claim.ParseEvent(tt.in)
		if err != nil {
			if tt.want != "error" {
				t.Errorf("ParseEvent(%q): got %v, want %s", tt.in, err, tt.want)
			} else if mizan.ErrorCode(err) != mizan.EINVALID {
				t.Errorf("ParseEvent(%q): got %v, want EINVALID", tt.in, err)
			}
			continue
		}
		ids := func(as []mizan.Actor) string {
			var s []string
			for _, a := range as {
				s = append(s, a.Entity)
			}
			return strings.Join(s, "+")
		}
		place := ""
		if e.Place != nil {
			place = e.Place.Entity
		}
		got := strings.Join([]string{string(e.Type), ids(e.Source) + ">" + ids(e.Target), place, string(e.Time.Precision),
			string(e.Mode), map[bool]string{true: "true", false: "false"}[e.Hedged]}, " ")
		if got != tt.want {
			t.Errorf("ParseEvent(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseEvent(f *testing.F) {
	for _, p := range evalSet(f).Claims {
		f.Add(p.A)
		f.Add(p.B)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := claim.ParseEvent(s)
		if err != nil {
			if mizan.ErrorCode(err) != mizan.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
			return
		}
		if e.Time.Start != nil && (e.Time.End == nil || !e.Time.End.After(*e.Time.Start)) {
			t.Fatalf("got time %v..%v, want a non-empty range", e.Time.Start, e.Time.End)
		}
	})
}

func FuzzReadEvalSet(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "pairs.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(data))
	f.Fuzz(func(t *testing.T, s string) {
		set, err := claim.ReadEvalSet(strings.NewReader(s))
		if err != nil {
			return
		}
		// A set that reads scores without panicking.
		if _, err := claim.EvaluateClaims(set); err != nil {
			return
		}
		claim.EvaluateOrigins(set)
	})
}
