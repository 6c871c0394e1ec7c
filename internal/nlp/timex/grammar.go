package timex

import "strings"

// match tries every pattern at atom i and returns the expression and the number of atoms it
// covers. Patterns are tried from the most to the least specific, so "Wednesday, Dec. 21, 2022"
// is one date, not a weekday followed by a date.
func (s *scanner) match(i int) (Expr, int, bool) {
	for _, p := range []func(int) (Expr, int, bool){
		s.deictic, s.vague, s.ago, s.since, s.modified, s.seasonal, s.date, s.weekdayRel, s.relUnit, s.bareYear, s.decade,
	} {
		if e, n, ok := p(i); ok && s.accept(i, n) {
			return e, n, true
		}
	}
	return Expr{}, 0, false
}

// accept rejects a match whose only time word is ambiguous ("May", "fall", "آب") unless it is
// capitalised inside a sentence.
func (s *scanner) accept(i, n int) bool {
	strong, amb := 0, -1
	for k := i; k < i+n; k++ {
		a := s.atoms[k]
		switch {
		case len(a.es) > 0 && a.es[0].ambiguous:
			amb = k
		case a.has(cFiller) || a.has(cDet) || a.has(cPrep):
		default:
			strong++
		}
	}
	if amb < 0 || strong > 0 {
		return true
	}
	a := s.atoms[amb]
	// "يوم الجمعة": a weekday after the word for day.
	if p := amb - 1; p >= 0 && s.atoms[p].gap == gapSpace && s.atoms[p].has(cUnit) && a.has(cWeekday) {
		return true
	}
	return s.toks[a.i].upper && !a.first
}

// next returns k+1 when atom k is followed by a space-like gap (or a comma when commaOK) and
// there is an atom after it, else -1.
func (s *scanner) next(k int, commaOK bool) int {
	if k < 0 || k+1 >= len(s.atoms) {
		return -1
	}
	switch s.atoms[k].gap {
	case gapSpace:
		return k + 1
	case gapComma:
		if commaOK {
			return k + 1
		}
	}
	return -1
}

// is reports whether atom k exists and can be read as c.
func (s *scanner) is(k int, c class) bool {
	return k >= 0 && k < len(s.atoms) && s.atoms[k].has(c)
}

// skipFillers moves past filler words ("of", "the", "de", "عام") from k, returning the first
// atom that is not one, or -1 when the gaps break the expression.
func (s *scanner) skipFillers(k int) int { return s.skip(k, true) }

// skip is skipFillers that can keep units: "العام" is a filler in "نهاية العام 2024" but the
// unit of "العام الماضي".
func (s *scanner) skip(k int, units bool) int {
	for k >= 0 && k < len(s.atoms) && (s.atoms[k].has(cFiller) || s.atoms[k].has(cDet)) && !s.atoms[k].has(cMonth) && (units || !s.atoms[k].has(cUnit)) {
		k = s.next(k, false)
	}
	return k
}

func (s *scanner) deictic(i int) (Expr, int, bool) {
	if e := s.atoms[i].get(cDeictic); e != nil {
		return Expr{kind: kDeictic, count: e.num, weekday: -1}, 1, true
	}
	return Expr{}, 0, false
}

func (s *scanner) vague(i int) (Expr, int, bool) {
	if e := s.atoms[i].get(cVague); e != nil {
		return Expr{kind: kVague, vague: e.value, weekday: -1}, 1, true
	}
	return Expr{}, 0, false
}

// countUnit reads "[count] unit" at k: "two weeks", "3 jours", "أسبوعين".
func (s *scanner) countUnit(k int) (count int, unit string, end int, ok bool) {
	count = 1
	if k < 0 || k >= len(s.atoms) {
		return 0, "", 0, false
	}
	if c := s.atoms[k].get(cCount); c != nil && !s.is(k, cUnit) {
		count, k = c.num, s.next(k, false)
	} else if a := s.atoms[k]; a.es == nil && (a.class == cDay || a.class == cNumber) {
		count, k = a.num, s.next(k, false)
	}
	if !s.is(k, cUnit) {
		return 0, "", 0, false
	}
	u := s.atoms[k].get(cUnit).value
	if strings.HasPrefix(u, "2") { // Arabic dual: "أسبوعين" is two weeks
		count, u = 2, u[1:]
	}
	return count, strings.TrimSuffix(u, "s"), k, true
}

func (s *scanner) ago(i int) (Expr, int, bool) {
	if e := s.atoms[i].get(cAgo); e != nil && e.value == "pre" {
		if n, u, end, ok := s.countUnit(s.next(i, false)); ok && u != "" {
			return Expr{kind: kAgo, count: n, unit: u, weekday: -1}, end - i + 1, true
		}
	}
	if n, u, end, ok := s.countUnit(i); ok {
		if k := s.next(end, false); k > 0 {
			if e := s.atoms[k].get(cAgo); e != nil && e.value == "post" {
				return Expr{kind: kAgo, count: n, unit: u, weekday: -1}, k - i + 1, true
			}
		}
	}
	return Expr{}, 0, false
}

func (s *scanner) since(i int) (Expr, int, bool) {
	if !s.is(i, cSince) {
		return Expr{}, 0, false
	}
	k := s.next(i, false)
	if k < 0 {
		return Expr{}, 0, false
	}
	for _, p := range []func(int) (Expr, int, bool){s.modified, s.seasonal, s.date, s.yearAt} {
		if in, n, ok := p(k); ok {
			return Expr{kind: kSince, inner: &in, weekday: -1}, k - i + n, true
		}
	}
	return Expr{}, 0, false
}

// relAt returns the value of a relative word at k ("last", "prochain", "الماضي").
func (s *scanner) relAt(k int) (int, bool) {
	if k < 0 || k >= len(s.atoms) {
		return 0, false
	}
	if e := s.atoms[k].get(cRel); e != nil {
		return e.num, true
	}
	return 0, false
}

// relUnitAt reads "[rel] unit [rel]" at k for a unit of a month or more: "last year", "l'année
// dernière", "العام الماضي", "the year" (this year when no relative word).
func (s *scanner) relUnitAt(k int, needRel bool) (rel int, hasRel bool, unit string, end int, ok bool) {
	k = s.skip(k, false)
	if r, has := s.relAt(k); has && s.is(s.next(k, false), cUnit) {
		rel, hasRel, k = r, true, s.next(k, false)
	}
	if !s.is(k, cUnit) {
		return 0, false, "", 0, false
	}
	unit = s.atoms[k].get(cUnit).value
	if unit != "year" && unit != "month" && unit != "week" {
		return 0, false, "", 0, false
	}
	end = k
	if !hasRel {
		if r, has := s.relAt(s.next(k, false)); has {
			rel, hasRel, end = r, true, s.next(k, false)
		}
	}
	if needRel && !hasRel {
		return 0, false, "", 0, false
	}
	return rel, hasRel, unit, end, true
}

// modified reads a modifier and what it modifies: "early November", "end of 2024", "نهاية عام
// 2024", "fin novembre dernier", "the end of last year".
func (s *scanner) modified(i int) (Expr, int, bool) {
	m := s.atoms[i].get(cMod)
	if m == nil {
		return Expr{}, 0, false
	}
	k := s.next(i, false)
	if k < 0 {
		return Expr{}, 0, false
	}
	if j := s.skipFillers(k); j >= 0 {
		if s.is(j, cMonth) {
			e := Expr{kind: kDate, month: s.atoms[j].get(cMonth).num, mod: m.value, weekday: -1}
			end := j
			if y := s.skipFillers(s.next(j, false)); s.is(y, cYear) {
				e.year, end = s.atoms[y].num, y
			} else if r, ok := s.relAt(s.next(j, false)); ok {
				e.rel, e.hasRel, end = r, true, s.next(j, false)
			}
			return e, end - i + 1, true
		}
		if s.is(j, cYear) {
			return Expr{kind: kModYear, year: s.atoms[j].num, mod: m.value, weekday: -1}, j - i + 1, true
		}
	}
	if rel, _, unit, end, ok := s.relUnitAt(k, false); ok && unit != "week" {
		kd := kModYear
		if unit == "month" {
			kd = kModMonth
		}
		return Expr{kind: kd, rel: rel, hasRel: true, mod: m.value, weekday: -1}, end - i + 1, true
	}
	return Expr{}, 0, false
}

// seasonal reads "fall of 2022", "l'automne 2022", "خريف 2022", "last summer", "l'été dernier".
func (s *scanner) seasonal(i int) (Expr, int, bool) {
	e := Expr{kind: kSeason, weekday: -1}
	k := i
	if r, ok := s.relAt(i); ok && s.is(s.next(i, false), cSeason) {
		e.rel, e.hasRel, k = r, true, s.next(i, false)
	}
	se := s.atoms[k].get(cSeason)
	if se == nil {
		return Expr{}, 0, false
	}
	e.season = se.value
	end := k
	if y := s.skipFillers(s.next(k, false)); s.is(y, cYear) {
		e.year, end = s.atoms[y].num, y
	} else if r, ok := s.relAt(s.next(k, false)); ok && !e.hasRel {
		e.rel, e.hasRel, end = r, true, s.next(k, false)
	}
	return e, end - i + 1, true
}

// date reads dates built on a month name: "16 September 2022", "September 16, 2022", "Dec. 21",
// "November 2022", "novembre dernier", "next November", with an optional weekday in front.
func (s *scanner) date(i int) (Expr, int, bool) {
	e := Expr{kind: kDate, weekday: -1}
	k := i
	if w := s.atoms[k].get(cWeekday); w != nil {
		if n := s.next(k, true); s.is(n, cDay) || s.is(n, cMonth) {
			e.weekday, k = w.num, n
		}
	}
	if r, ok := s.relAt(k); ok && s.is(s.next(k, false), cMonth) && e.weekday < 0 {
		e.rel, e.hasRel, e.month = r, true, s.atoms[s.next(k, false)].get(cMonth).num
		return e, s.next(k, false) - i + 1, true
	}
	end := -1
	switch {
	case s.is(k, cDay) && s.atoms[k].es == nil:
		m := s.skipFillers(s.next(k, false))
		if !s.is(m, cMonth) {
			return Expr{}, 0, false
		}
		e.day, e.month, end = s.atoms[k].num, s.atoms[m].get(cMonth).num, m
	case s.is(k, cMonth):
		e.month, end = s.atoms[k].get(cMonth).num, k
		if d := s.next(k, false); s.is(d, cDay) && s.atoms[d].es == nil {
			e.day, end = s.atoms[d].num, d
		}
	default:
		return Expr{}, 0, false
	}
	if y := s.skipFillers(s.next(end, e.day > 0)); s.is(y, cYear) {
		e.year, end = s.atoms[y].num, y
	} else if r, ok := s.relAt(s.next(end, false)); ok {
		e.rel, e.hasRel, end = r, true, s.next(end, false)
	}
	if e.day > daysIn(e.year, e.month) {
		return Expr{}, 0, false
	}
	return e, end - i + 1, true
}

// weekdayRel reads "last Wednesday", "Wednesday", "mercredi dernier", "الأربعاء الماضي".
func (s *scanner) weekdayRel(i int) (Expr, int, bool) {
	e := Expr{kind: kWeekday}
	k := i
	if r, ok := s.relAt(i); ok && s.is(s.next(i, false), cWeekday) {
		e.rel, e.hasRel, k = r, true, s.next(i, false)
	}
	w := s.atoms[k].get(cWeekday)
	if w == nil {
		return Expr{}, 0, false
	}
	if p := k - 1; p >= 0 && s.atoms[p].gap == gapSpace && s.atoms[p].has(cEvery) {
		return Expr{}, 0, false // "every Friday": a recurrence, not a date
	}
	e.weekday = w.num
	end := k
	if r, ok := s.relAt(s.next(k, false)); ok && !e.hasRel {
		e.rel, e.hasRel, end = r, true, s.next(k, false)
	}
	return e, end - i + 1, true
}

func (s *scanner) relUnit(i int) (Expr, int, bool) {
	if !s.is(i, cRel) && !s.is(i, cUnit) {
		return Expr{}, 0, false
	}
	rel, _, unit, end, ok := s.relUnitAt(i, true)
	if !ok {
		return Expr{}, 0, false
	}
	return Expr{kind: kRelUnit, rel: rel, hasRel: true, unit: unit, weekday: -1}, end - i + 1, true
}

// yearAt reads a year with nothing else.
func (s *scanner) yearAt(i int) (Expr, int, bool) {
	if !s.is(i, cYear) {
		return Expr{}, 0, false
	}
	return Expr{kind: kDate, year: s.atoms[i].num, weekday: -1}, 1, true
}

// bareYear reads a year standing alone, when it reads as a time: after a preposition ("in
// 2024", "عام 2024"), or not followed by a lower-case word, which would make it a count ("2000
// soldiers"). "the 2001 agreement" is a year used as an adjective, not a time of the event.
func (s *scanner) bareYear(i int) (Expr, int, bool) {
	if !s.is(i, cYear) {
		return Expr{}, 0, false
	}
	prev := -1
	if i > 0 && s.atoms[i-1].gap == gapSpace {
		prev = i - 1
	}
	afterPrep := prev >= 0 && (s.is(prev, cPrep) || s.is(prev, cSince) || (s.is(prev, cFiller) && !s.is(prev, cDet)))
	if n := s.next(i, false); n >= 0 && !s.atoms[n].has(cMonth) {
		t := s.toks[s.atoms[n].i]
		word := s.atoms[n].es == nil && s.atoms[n].class == cWord
		if prev >= 0 && s.is(prev, cDet) && !afterPrep && word {
			return Expr{}, 0, false
		}
		if !afterPrep && word && !t.upper {
			return Expr{}, 0, false
		}
	}
	return Expr{kind: kDate, year: s.atoms[i].num, weekday: -1}, 1, true
}

func (s *scanner) decade(i int) (Expr, int, bool) {
	if a := s.atoms[i]; a.es == nil && a.class == cDecade {
		return Expr{kind: kDecade, year: a.num, weekday: -1}, 1, true
	}
	return Expr{}, 0, false
}

// daysIn returns the number of days of a month (of a leap year when the year is unknown, so
// that "29 February" is accepted).
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year == 0 || (year%4 == 0 && (year%100 != 0 || year%400 == 0)) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
