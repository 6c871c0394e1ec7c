package mizan

import (
	"testing"
	"time"
)

func TestTimeExprPeriod(t *testing.T) {
	at := func(y, m, d int) *time.Time {
		v := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		return &v
	}
	tests := []struct {
		name string
		t    TimeExpr
		want string
	}{
		{"undated", TimeExpr{Precision: PrecisionUnknown}, ""},
		{"relative in an undated document", TimeExpr{Text: "last Wednesday", Precision: PrecisionRelative}, ""},
		{"day", TimeExpr{Start: at(2024, 3, 13), End: at(2024, 3, 14), Precision: PrecisionDay}, "2024-03-13"},
		{"month", TimeExpr{Start: at(2022, 11, 1), End: at(2022, 12, 1), Precision: PrecisionMonth}, "2022-11"},
		{"year", TimeExpr{Start: at(2024, 1, 1), End: at(2025, 1, 1), Precision: PrecisionYear}, "2024"},
		{"end of a year", TimeExpr{Start: at(2024, 10, 1), End: at(2025, 1, 1), Precision: PrecisionRange}, "2024-10..2024-12"},
		{"season", TimeExpr{Start: at(2022, 9, 1), End: at(2022, 12, 1), Precision: PrecisionSeason}, "2022-09..2022-11"},
		{"open range", TimeExpr{Start: at(2024, 10, 1), Precision: PrecisionRange}, "2024-10.."},
		{"unknown precision with a start counts as a day", TimeExpr{Start: at(2023, 2, 27)}, "2023-02-27"},
	}
	for _, tt := range tests {
		if got := tt.t.Period(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
