package timex

import (
	"time"

	dps "github.com/markusmobius/go-dateparser"

	"github.com/mizan-osint/mizan"
)

// level is how exactly the reference date must be known to resolve an expression.
type level int

const (
	needDay level = iota
	needMonth
	needYear
)

// known reports how exactly a reference date is known, as a level.
func known(p mizan.Precision) level {
	switch p {
	case "", mizan.PrecisionSecond, mizan.PrecisionMinute, mizan.PrecisionDay:
		return needDay
	case mizan.PrecisionMonth:
		return needMonth
	case mizan.PrecisionYear, mizan.PrecisionSeason:
		return needYear
	}
	return needYear + 1 // range, relative, unknown: no use as a reference
}

func (r Ref) enough(l level) bool { return r.Time != nil && known(r.Precision) <= l }

// day is the reference date at midnight UTC.
func (r Ref) day() time.Time {
	t := r.Time.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// end is the exclusive end of the period the reference date stands for: the day after it, or
// the month or year after it when it is known only that well.
func (r Ref) end() time.Time {
	d := r.day()
	switch known(r.Precision) {
	case needDay:
		return d.AddDate(0, 0, 1)
	case needMonth:
		return monthStart(d.Year(), int(d.Month())+1)
	}
	return yearStart(d.Year() + 1)
}

func monthStart(y, m int) time.Time { return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }
func yearStart(y int) time.Time     { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }

func span(text string, a, b time.Time, p mizan.Precision) mizan.TimeExpr {
	return mizan.TimeExpr{Text: text, Start: &a, End: &b, Precision: p}
}

// Resolve normalises the expression against a reference date.
func (e Expr) Resolve(ref Ref) mizan.TimeExpr {
	rel := mizan.TimeExpr{Text: e.Text, Precision: mizan.PrecisionRelative}
	switch e.kind {
	case kDate:
		return e.resolveDate(ref)
	case kModYear:
		y := e.year
		if y == 0 {
			if !ref.enough(needYear) {
				return rel
			}
			y = ref.day().Year() + e.rel
		}
		a, b := modRange(y, e.mod)
		return span(e.Text, a, b, mizan.PrecisionRange)
	case kModMonth:
		if !ref.enough(needMonth) {
			return rel
		}
		d := ref.day()
		a := monthStart(d.Year(), int(d.Month())+e.rel)
		return span(e.Text, a, a.AddDate(0, 1, 0), mizan.PrecisionMonth)
	case kSeason:
		return e.resolveSeason(ref)
	case kWeekday:
		if !ref.enough(needDay) {
			return rel
		}
		d := ref.day()
		back := (int(d.Weekday()) - e.weekday + 7) % 7 // days since the last such weekday (0: today)
		switch {
		case e.hasRel && e.rel < 0:
			if back == 0 {
				back = 7
			}
			d = d.AddDate(0, 0, -back)
		case e.hasRel && e.rel > 0, !e.hasRel && ref.Future:
			fwd := (e.weekday - int(d.Weekday()) + 7) % 7
			if fwd == 0 && e.hasRel {
				fwd = 7
			}
			d = d.AddDate(0, 0, fwd)
		default:
			d = d.AddDate(0, 0, -back)
		}
		return span(e.Text, d, d.AddDate(0, 0, 1), mizan.PrecisionDay)
	case kRelUnit:
		need := map[string]level{"year": needYear, "month": needMonth}[e.unit] // a week needs the day
		if !ref.enough(need) {
			return rel
		}
		d := ref.day()
		switch e.unit {
		case "year":
			a := yearStart(d.Year() + e.rel)
			return span(e.Text, a, a.AddDate(1, 0, 0), mizan.PrecisionYear)
		case "month":
			a := monthStart(d.Year(), int(d.Month())+e.rel)
			return span(e.Text, a, a.AddDate(0, 1, 0), mizan.PrecisionMonth)
		default: // week
			a := weekStart(d).AddDate(0, 0, 7*e.rel)
			return span(e.Text, a, a.AddDate(0, 0, 7), mizan.PrecisionRange)
		}
	case kDeictic:
		if !ref.enough(needDay) {
			return rel
		}
		d := ref.day().AddDate(0, 0, e.count)
		return span(e.Text, d, d.AddDate(0, 0, 1), mizan.PrecisionDay)
	case kAgo:
		return e.resolveAgo(ref)
	case kVague:
		return e.resolveVague(ref)
	case kSince:
		in := e.inner.Resolve(ref)
		if in.Start == nil {
			return rel
		}
		out := mizan.TimeExpr{Text: e.Text, Start: in.Start, Precision: mizan.PrecisionRange}
		if ref.Time != nil {
			end := ref.end()
			out.End = &end
		}
		return out
	case kDecade:
		a := yearStart(e.year)
		return span(e.Text, a, a.AddDate(10, 0, 0), mizan.PrecisionRange)
	case kNumeric:
		cfg := e.n.config(e.lang, ref)
		if d, err := e.n.dp.Parse(cfg, e.Text); err == nil && !d.IsZero() {
			t := d.Time.UTC()
			a := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
			return span(e.Text, a, a.AddDate(0, 0, 1), mizan.PrecisionDay)
		}
	}
	return mizan.TimeExpr{Text: e.Text, Precision: mizan.PrecisionUnknown}
}

// config is go-dateparser's configuration for one language and reference date: incomplete
// dates are read in the past of the document (in its future for planned events).
func (n *Normalizer) config(lang string, ref Ref) *dps.Configuration {
	cfg := &dps.Configuration{
		Languages:            []string{lang},
		PreferredDateSource:  dps.Past,
		PreferredDayOfMonth:  dps.First,
		PreferredMonthOfYear: dps.FirstMonth,
		DefaultTimezone:      time.UTC,
	}
	if ref.Future {
		cfg.PreferredDateSource = dps.Future
	}
	if ref.Time != nil {
		cfg.CurrentTime = ref.Time.UTC()
	} else {
		// Only complete dates reach the parser without a reference; a fixed current time keeps
		// the result independent of the clock.
		cfg.CurrentTime = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return cfg
}

// resolveDate resolves a date built on a month name or a year.
func (e Expr) resolveDate(ref Ref) mizan.TimeExpr {
	y := e.year
	if y == 0 {
		if e.month == 0 || !ref.enough(needMonth) || (e.day > 0 && !ref.enough(needDay)) {
			return mizan.TimeExpr{Text: e.Text, Precision: mizan.PrecisionRelative}
		}
		y = e.pickYear(ref)
	}
	switch {
	case e.day > 0:
		a := time.Date(y, time.Month(e.month), e.day, 0, 0, 0, 0, time.UTC)
		// go-dateparser computes complete and yearless dates; our own reading above is the
		// fallback for forms it does not know (Levantine month names, "27 ديسمبر الماضي"), and
		// the check against it guards against a misreading of the surrounding words.
		if !e.hasRel {
			if d, err := e.n.dp.Parse(e.n.config(e.lang, ref), e.Text); err == nil && !d.IsZero() {
				t := d.Time.UTC()
				if int(t.Month()) == e.month && t.Day() == e.day && (e.year == 0 || t.Year() == e.year) {
					a = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
				}
			}
		}
		return span(e.Text, a, a.AddDate(0, 0, 1), mizan.PrecisionDay)
	case e.month > 0:
		a := monthStart(y, e.month)
		return span(e.Text, a, a.AddDate(0, 1, 0), mizan.PrecisionMonth)
	}
	a := yearStart(y)
	return span(e.Text, a, a.AddDate(1, 0, 0), mizan.PrecisionYear)
}

// pickYear chooses the year of a yearless date: "last November" the latest before the
// reference, "next November" the earliest after it, and "November" the latest on or before it
// (the earliest on or after it for planned events).
func (e Expr) pickYear(ref Ref) int {
	d := ref.day()
	y := d.Year()
	// Compare (month, day) positions; a month alone compares by its month.
	pos := func(m, day int) int { return m*100 + day }
	here := pos(int(d.Month()), 0)
	that := pos(e.month, 0)
	if e.day > 0 {
		here, that = pos(int(d.Month()), d.Day()), pos(e.month, e.day)
	}
	switch {
	case e.hasRel && e.rel < 0:
		if that >= here {
			return y - 1
		}
	case e.hasRel && e.rel > 0:
		if that <= here {
			return y + 1
		}
	case e.hasRel:
	case ref.Future:
		if that < here {
			return y + 1
		}
	default:
		if that > here {
			return y - 1
		}
	}
	return y
}

// modRange is the part of a year a modifier stands for: early and mid and late are thirds of it
// (January–April, May–August, September–December), the end is its last quarter (October–December,
// as "end of 2024" is used in news).
func modRange(y int, mod string) (time.Time, time.Time) {
	switch mod {
	case "early":
		return monthStart(y, 1), monthStart(y, 5)
	case "mid":
		return monthStart(y, 5), monthStart(y, 9)
	case "late":
		return monthStart(y, 9), yearStart(y + 1)
	}
	return monthStart(y, 10), yearStart(y + 1)
}

// seasonRange is a meteorological season of the northern hemisphere; a winter belongs to the
// year it starts in (winter 2022 runs from December 2022 to February 2023).
func seasonRange(y int, season string) (time.Time, time.Time) {
	start := map[string]int{"spring": 3, "summer": 6, "fall": 9, "winter": 12}[season]
	a := monthStart(y, start)
	return a, a.AddDate(0, 3, 0)
}

func (e Expr) resolveSeason(ref Ref) mizan.TimeExpr {
	if e.year > 0 {
		a, b := seasonRange(e.year, e.season)
		return span(e.Text, a, b, mizan.PrecisionSeason)
	}
	if !ref.enough(needMonth) {
		return mizan.TimeExpr{Text: e.Text, Precision: mizan.PrecisionRelative}
	}
	d := ref.day()
	if known(ref.Precision) == needMonth {
		d = monthStart(d.Year(), int(d.Month()))
	}
	var pick [2]time.Time
	found := false
	for y := d.Year() - 2; y <= d.Year()+1 && !found; y++ {
		a, b := seasonRange(y, e.season)
		var ok bool
		switch {
		case e.hasRel && e.rel < 0:
			a2, _ := seasonRange(y+1, e.season)
			ok = !b.After(d) && a2.After(d) // the latest that is over
		case e.hasRel && e.rel > 0:
			ok = a.After(d)
		case ref.Future:
			ok = b.After(d)
		default:
			a2, _ := seasonRange(y+1, e.season)
			ok = !a.After(d) && a2.After(d) // the latest that has begun
		}
		if ok {
			pick, found = [2]time.Time{a, b}, true
		}
	}
	if !found {
		return mizan.TimeExpr{Text: e.Text, Precision: mizan.PrecisionRelative}
	}
	return span(e.Text, pick[0], pick[1], mizan.PrecisionSeason)
}

// weekStart is the Monday of d's week.
func weekStart(d time.Time) time.Time {
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func (e Expr) resolveAgo(ref Ref) mizan.TimeExpr {
	need := map[string]level{"day": needDay, "week": needDay, "month": needMonth, "year": needYear}[e.unit]
	if !ref.enough(need) {
		return mizan.TimeExpr{Text: e.Text, Precision: mizan.PrecisionRelative}
	}
	d := ref.day()
	switch e.unit {
	case "day":
		a := d.AddDate(0, 0, -e.count)
		if t, err := e.n.dp.Parse(e.n.config(e.lang, ref), e.Text); err == nil && !t.IsZero() {
			u := t.Time.UTC()
			a = time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)
		}
		return span(e.Text, a, a.AddDate(0, 0, 1), mizan.PrecisionDay)
	case "week":
		// "two weeks ago" names a week, not a day: the Monday-to-Sunday week it falls in.
		a := weekStart(d.AddDate(0, 0, -7*e.count))
		return span(e.Text, a, a.AddDate(0, 0, 7), mizan.PrecisionRange)
	case "month":
		a := monthStart(d.Year(), int(d.Month())-e.count)
		return span(e.Text, a, a.AddDate(0, 1, 0), mizan.PrecisionMonth)
	}
	a := yearStart(d.Year() - e.count)
	return span(e.Text, a, a.AddDate(1, 0, 0), mizan.PrecisionYear)
}

// resolveVague gives vague periods a conventional extent ending with the document date: recent
// years are the last three, recent months the last six, recent weeks the last six, "recently"
// the last three months.
func (e Expr) resolveVague(ref Ref) mizan.TimeExpr {
	need := map[string]level{"recent-years": needYear, "recent-months": needMonth, "recent-weeks": needDay,
		"recently": needMonth, "earlier-this-year": needYear, "later-this-year": needMonth,
		"earlier-this-month": needMonth, "later-this-month": needDay}[e.vague]
	if !ref.enough(need) {
		return mizan.TimeExpr{Text: e.Text, Precision: mizan.PrecisionRelative}
	}
	d, end := ref.day(), ref.end()
	var a, b time.Time
	switch e.vague {
	case "recent-years":
		a, b = yearStart(d.Year()-3), end
	case "recent-months":
		a, b = monthStart(d.Year(), int(d.Month())-6), end
	case "recent-weeks":
		a, b = d.AddDate(0, 0, -42), end
	case "recently":
		a, b = monthStart(d.Year(), int(d.Month())-3), end
	case "earlier-this-year":
		a, b = yearStart(d.Year()), end
	case "later-this-year":
		a, b = d, yearStart(d.Year()+1)
	case "earlier-this-month":
		a, b = monthStart(d.Year(), int(d.Month())), end
	case "later-this-month":
		a, b = d, monthStart(d.Year(), int(d.Month())+1)
	default:
		return mizan.TimeExpr{Text: e.Text, Precision: mizan.PrecisionUnknown}
	}
	return span(e.Text, a, b, mizan.PrecisionRange)
}
