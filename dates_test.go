package mizan

import "testing"

func TestParseDateAndAsOf(t *testing.T) {
	tests := []struct {
		in         string
		date, asOf string // RFC 3339 with nanoseconds; "" when the input is not a date
	}{
		{"2024", "2024-01-01T00:00:00Z", "2024-12-31T23:59:59.999999999Z"},
		{"2024-03", "2024-03-01T00:00:00Z", "2024-03-31T23:59:59.999999999Z"},
		{"2024-03-15", "2024-03-15T00:00:00Z", "2024-03-15T23:59:59.999999999Z"},
		{"2024-03-15T10:00:00+02:00", "2024-03-15T08:00:00Z", "2024-03-15T08:00:00Z"},
		{"yesterday", "", ""},
		{"2024-13", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		d, ok := ParseDate(tt.in)
		if got := map[bool]string{true: d.Format("2006-01-02T15:04:05.999999999Z07:00")}[ok]; got != tt.date {
			t.Errorf("ParseDate(%q): got %q, want %q", tt.in, got, tt.date)
		}
		a, ok := AsOf(tt.in)
		if got := map[bool]string{true: a.Format("2006-01-02T15:04:05.999999999Z07:00")}[ok]; got != tt.asOf {
			t.Errorf("AsOf(%q): got %q, want %q", tt.in, got, tt.asOf)
		}
	}
}
