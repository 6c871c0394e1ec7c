package extract

import (
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
)

var testNow = time.Date(2025, 11, 24, 12, 0, 0, 0, time.UTC)

func TestParseDateLine(t *testing.T) {
	tests := []struct {
		line      string
		want      string // "" when no date must be found
		precision mizan.Precision
		updated   bool
	}{
		{"27 Feb 2023 23:54", "2023-02-27 23:54", mizan.PrecisionMinute, false},
		{"  • 27 Feb 2023 23:54", "2023-02-27 23:54", mizan.PrecisionMinute, false},
		{"March 5, 2024, 2:20 PM", "2024-03-05 14:20", mizan.PrecisionMinute, false},
		{"Monday 5 March 2024", "2024-03-05 00:00", mizan.PrecisionDay, false},
		{"Published: 19 July 2023, 09:42", "2023-07-19 09:42", mizan.PrecisionMinute, false},
		{"Updated: 19 July 2023, 13:10", "2023-07-19 13:10", mizan.PrecisionMinute, true},
		{"By Omar Farouk | 8 Oct 2024", "2024-10-08 00:00", mizan.PrecisionDay, false},
		{"Algiers, 4 November 2024", "2024-11-04 00:00", mizan.PrecisionDay, false},
		{"Thu 9 Mar 2023 18.52 GMT", "2023-03-09 18:52", mizan.PrecisionMinute, false},
		{"March 2024", "2024-03-01 00:00", mizan.PrecisionMonth, false},
		// French
		{"Publié le 16 janvier 2024 à 18h20", "2024-01-16 18:20", mizan.PrecisionMinute, false},
		{"Mis à jour le 17 janvier 2024 à 08h05", "2024-01-17 08:05", mizan.PrecisionMinute, true},
		{"mardi 12 novembre 2024", "2024-11-12 00:00", mizan.PrecisionDay, false},
		{"Le 1er mars 2024", "2024-03-01 00:00", mizan.PrecisionDay, false},
		{"07/12/2023 19:32", "2023-12-07 19:32", mizan.PrecisionMinute, false}, // day first
		// Arabic: Egyptian, Levantine and Maghrebi month names, Arabic-Indic digits.
		{"الاثنين 27 فبراير 2023", "2023-02-27 00:00", mizan.PrecisionDay, false},
		{"الثلاثاء 12 مارس 2024 - 14:30", "2024-03-12 14:30", mizan.PrecisionMinute, false},
		{"الأربعاء 6 آذار 2024", "2024-03-06 00:00", mizan.PrecisionDay, false},
		{"الثلاثاء، 12 تشرين الثاني 2024", "2024-11-12 00:00", mizan.PrecisionDay, false},
		{"نشر في: الثلاثاء 6 فيفري 2024 - 15:10", "2024-02-06 15:10", mizan.PrecisionMinute, false},
		{"٢٧ فبراير ٢٠٢٣", "2023-02-27 00:00", mizan.PrecisionDay, false},
		{"آخر تحديث 17 فبراير 2024 - 18:20", "2024-02-17 18:20", mizan.PrecisionMinute, true},
		// Not publication dates.
		{"3 Min Read", "", "", false},
		{"5 March", "", "", false},          // no year: cannot be resolved
		{"12 December 2031", "", "", false}, // after now
		{"The 2024 budget was adopted in March by a large majority of deputies.", "", "", false}, // too long
		{"Politics", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			h, ok := parseDateLine(tt.line, testNow)
			if tt.want == "" {
				if ok {
					t.Fatalf("got %v (%s), want no date", h.t, h.precision)
				}
				return
			}
			if !ok {
				t.Fatalf("got no date, want %s", tt.want)
			}
			if got := h.t.Format("2006-01-02 15:04"); got != tt.want {
				t.Errorf("time: got %s, want %s", got, tt.want)
			}
			if h.precision != tt.precision {
				t.Errorf("precision: got %s, want %s", h.precision, tt.precision)
			}
			if h.updated != tt.updated {
				t.Errorf("updated: got %v, want %v", h.updated, tt.updated)
			}
		})
	}
}

func TestParseDateLineKeepsZone(t *testing.T) {
	h, ok := parseDateLine("Updated: March 5, 2024 10:02 am EST", testNow)
	if !ok {
		t.Fatal("got no date, want one")
	}
	if got, want := h.t.UTC().Format(time.RFC3339), "2024-03-05T15:02:00Z"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestHasYear(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"27 Feb 2023", true}, {"1989", false}, {"2100", false}, {"12345", false}, {"in 1999,", true}, {"", false},
	}
	for _, tt := range tests {
		if got := hasYear(tt.s); got != tt.want {
			t.Errorf("hasYear(%q): got %v, want %v", tt.s, got, tt.want)
		}
	}
}
