package extract

import (
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	dps "github.com/markusmobius/go-dateparser"
	"github.com/markusmobius/go-dateparser/date"

	"github.com/mizan-osint/mizan"
)

// dateHit is a publication date read from a line of text.
type dateHit struct {
	t         time.Time
	precision mizan.Precision
	text      string // the line (or part of it) that gave the date
	updated   bool   // labelled as an update, not the first publication
}

// parsers pools go-dateparser parsers: a Parser serialises its calls with a mutex, and the
// pipeline calls extraction from many goroutines.
var parsers = sync.Pool{New: func() any {
	return &dps.Parser{ParserTypes: []dps.ParserType{dps.CustomFormat, dps.AbsoluteTime}}
}}

var (
	// numericDateRe matches 05/03/2024, 2024-03-05, 5.3.2024.
	numericDateRe = regexp.MustCompile(`\b([0-9]{1,2}[./-][0-9]{1,2}[./-](19|20)[0-9]{2}|(19|20)[0-9]{2}-[0-9]{1,2}-[0-9]{1,2})\b`)
	timeRe        = regexp.MustCompile(`\b[0-2]?[0-9](:|h)[0-5][0-9]\b`)
)

// monthWords are month names and abbreviations in English, French and Arabic (Egyptian,
// Levantine and Maghrebi forms), lower-cased: a line must name a month (or be numeric) to be
// tried as a date.
var monthWords = []string{
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
	"janv", "févr", "fevr", "mars", "avr", "mai", "juin", "juil", "août", "aout", "sept", "déc",
	"يناير", "فبراير", "مارس", "أبريل", "ابريل", "إبريل", "مايو", "يونيو", "يوليو", "أغسطس", "اغسطس",
	"سبتمبر", "أكتوبر", "اكتوبر", "نوفمبر", "ديسمبر",
	"كانون", "شباط", "آذار", "اذار", "نيسان", "أيار", "ايار", "حزيران", "تموز", "آب", "أيلول", "ايلول", "تشرين",
	"جانفي", "فيفري", "أفريل", "افريل", "ماي", "جوان", "جويلية", "أوت", "اوت",
}

// arabicMonths maps Levantine/Iraqi and Maghrebi month names, which the CLDR "ar" locale of
// go-dateparser does not read, to the Egyptian forms it does. Two-word names come first.
var arabicMonths = strings.NewReplacer(
	"كانون الثاني", "يناير", "تشرين الأول", "أكتوبر", "تشرين الاول", "أكتوبر",
	"تشرين الثاني", "نوفمبر", "كانون الأول", "ديسمبر", "كانون الاول", "ديسمبر",
)

var arabicMonthWords = map[string]string{
	"شباط": "فبراير", "آذار": "مارس", "اذار": "مارس", "نيسان": "أبريل", "أيار": "مايو", "ايار": "مايو",
	"حزيران": "يونيو", "تموز": "يوليو", "آب": "أغسطس", "أيلول": "سبتمبر", "ايلول": "سبتمبر",
	"جانفي": "يناير", "فيفري": "فبراير", "أفريل": "أبريل", "افريل": "أبريل", "ماي": "مايو",
	"جوان": "يونيو", "جويلية": "يوليو", "أوت": "أغسطس", "اوت": "أغسطس",
}

// dateLabels are words that introduce a date on a page. Labels of updates mark the date as a
// second choice.
var (
	publishedLabels = []string{"published on", "published", "posted on", "posted", "date", "publié le", "publié", "publie le", "mis en ligne le", "le",
		"تاريخ النشر", "نشر في", "نُشر في", "نشر بتاريخ", "نشر", "نُشر", "بتاريخ", "في"}
	updatedLabels = []string{"last updated", "updated on", "updated", "modified", "mis à jour le", "mis à jour", "mise à jour",
		"آخر تحديث", "تحديث", "تم التحديث"}
)

// looksLikeDateLine is the cheap test run before the (slow) date parser: short, with a year,
// and a month name or a numeric date.
func looksLikeDateLine(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 100 || strings.Count(s, " ") > 14 {
		return false
	}
	s = asciiDigits(s)
	if !hasYear(s) {
		return false
	}
	if numericDateRe.MatchString(s) {
		return true
	}
	lower := strings.ToLower(s)
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) }) {
		for _, m := range monthWords {
			if strings.HasPrefix(w, m) && (utf8.RuneCountInString(w) <= utf8.RuneCountInString(m)+6) {
				return true
			}
		}
	}
	return false
}

// hasYear reports a plausible publication year (1990-2099) standing alone as four digits. A
// date line without a year is not trusted: resolving "5 March" needs a reference date the text
// does not give.
func hasYear(s string) bool {
	run := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		if run == 4 {
			y := s[i-4 : i]
			if y >= "1990" && y <= "2099" {
				return true
			}
		}
		run = 0
	}
	return false
}

// asciiDigits turns Arabic-Indic and Eastern Arabic-Indic digits into ASCII ones.
func asciiDigits(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return (r >= '٠' && r <= '٩') || (r >= '۰' && r <= '۹') }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		}
		return r
	}, s)
}

// parseDateLine reads a publication date from a short line such as "27 Feb 2023 23:54",
// "Publié le 5 mars 2024 à 14h30" or "الاثنين 27 شباط 2023". The line may hold other parts
// separated by "|", "•" or " - " (a byline, a reading time); each part is tried. Dates after now
// are rejected.
func parseDateLine(line string, now time.Time) (dateHit, bool) {
	line = strings.TrimSpace(line)
	if !looksLikeDateLine(line) {
		return dateHit{}, false
	}
	// Each part of the line ("By X | 5 March 2024"), extended by the next part when that adds
	// a time ("12 mars 2024 - 14:30"); then the whole line.
	parts := splitDateParts(line)
	for i, p := range parts {
		h, ok := parseDatePart(line[p[0]:p[1]], now)
		if !ok {
			continue
		}
		h.text = line[p[0]:p[1]]
		if i+1 < len(parts) {
			joined := line[p[0]:parts[i+1][1]]
			if h2, ok := parseDatePart(joined, now); ok && sameDay(h.t, h2.t) && rank(h2.precision) > rank(h.precision) {
				h, h.text = h2, joined
			}
		}
		return h, true
	}
	if len(parts) > 1 {
		if h, ok := parseDatePart(line, now); ok {
			h.text = line
			return h, true
		}
	}
	return dateHit{}, false
}

// splitDateParts returns the byte ranges of the parts of a line separated by "|", "•", "·",
// dashes or " - ".
func splitDateParts(line string) [][2]int {
	var parts [][2]int
	start := 0
	add := func(end int) {
		a, b := start, end
		for a < b && line[a] == ' ' {
			a++
		}
		for b > a && line[b-1] == ' ' {
			b--
		}
		if a < b {
			parts = append(parts, [2]int{a, b})
		}
	}
	for i, r := range line {
		switch {
		case r == '|' || r == '•' || r == '·' || r == '—' || r == '–':
			add(i)
			start = i + utf8.RuneLen(r)
		case r == '-' && i > 0 && i+1 < len(line) && line[i-1] == ' ' && line[i+1] == ' ':
			add(i)
			start = i + 1
		}
	}
	add(len(line))
	return parts
}

func parseDatePart(s string, now time.Time) (dateHit, bool) {
	s = asciiDigits(strings.TrimSpace(s))
	if !looksLikeDateLine(s) {
		return dateHit{}, false
	}
	var h dateHit
	s, h.updated = stripDateLabel(s)
	s = dotTimeRe.ReplaceAllString(s, "$1 $2:$3") // "9 Mar 2023 18.52 GMT"
	arabic := strings.ContainsFunc(s, isArabicLetter)
	cfg := &dps.Configuration{
		// Base locales only: with Languages, every regional variant (en-IN, fr-CA...) is tried.
		Locales:               []string{"en", "fr"},
		ReturnTimeAsPeriod:    true,
		CurrentTime:           now.UTC(),
		DefaultTimezone:       time.UTC,
		IgnoreSurroundingText: true,
	}
	if arabic {
		s = arabicMonths.Replace(s)
		words := strings.Fields(s)
		for i, w := range words {
			if m, ok := arabicMonthWords[strings.Trim(w, "،,.")]; ok {
				words[i] = m
			}
		}
		s = strings.Join(words, " ")
		cfg.Locales = []string{"ar"}
	}
	if !strings.ContainsFunc(s, unicode.IsLetter) || numericDateRe.MatchString(s) && !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) && r != 'h' && r != 'T' }) {
		// All-numeric dates: most of the world, and every French and Arabic outlet, writes
		// day/month/year; a US site writes the month as a word.
		cfg.DateOrder = dps.DMY
	}
	p := parsers.Get().(*dps.Parser)
	defer parsers.Put(p)
	// First the common layouts, after month names are put in English: go-dateparser tries Go
	// layouts before its locale machinery, which costs 0.1 to 1 ms a call.
	var d date.Date
	var err error
	if en, ok := englishDate(s); ok {
		enCfg := *cfg
		enCfg.Locales = []string{"en"}
		enCfg.DateOrder = dps.DMY
		enCfg.IgnoreSurroundingText = false
		if d, err = p.Parse(&enCfg, en, dateLayouts...); err == nil && !d.IsZero() {
			if timeRe.MatchString(en) {
				d.Period = date.Minute
			}
		}
	}
	if d.IsZero() {
		d, err = p.Parse(cfg, s)
	}
	if err != nil || d.IsZero() {
		return dateHit{}, false
	}
	if d.Time.After(now.Add(36*time.Hour)) || d.Time.Year() < 1990 {
		return dateHit{}, false
	}
	h.t = d.Time
	h.precision = periodPrecision(d.Period)
	if h.precision == mizan.PrecisionMinute && !timeRe.MatchString(s) {
		// "14h" alone or a time the parser inferred: keep to the day.
		h.precision = mizan.PrecisionDay
	}
	switch h.precision {
	case mizan.PrecisionYear:
		// A bare year (or a year found inside a sentence) dates nothing usefully and is the
		// classic false positive ("© 2025", "the 2024 budget").
		return dateHit{}, false
	case mizan.PrecisionMonth:
		h.t = time.Date(h.t.Year(), h.t.Month(), 1, 0, 0, 0, 0, time.UTC)
	case mizan.PrecisionDay:
		h.t = time.Date(h.t.Year(), h.t.Month(), h.t.Day(), 0, 0, 0, 0, time.UTC)
	}
	return h, true
}

// dateLayouts are the Go layouts of the date lines news pages print, once englishDate has
// normalised them; numeric dates are day first (see parseDatePart).
var dateLayouts = []string{
	"2 January 2006 15:04", "2 January 2006 3:04 PM", "2 January 2006",
	"2 Jan 2006 15:04", "2 Jan 2006 3:04 PM", "2 Jan 2006",
	"January 2 2006 15:04", "January 2 2006 3:04 PM", "January 2 2006",
	"Jan 2 2006 15:04", "Jan 2 2006 3:04 PM", "Jan 2 2006",
	"02/01/2006 15:04", "02/01/2006", "2/1/2006 15:04", "2/1/2006", "02.01.2006 15:04", "02.01.2006",
	"02-01-2006 15:04", "02-01-2006", "2006-01-02 15:04", "2006-01-02", "2006/01/02 15:04", "2006/01/02",
	"January 2006", "Jan 2006",
}

// monthNames maps French and Arabic month names (and the dotted abbreviations of French) to
// English; Arabic names cover the Egyptian, Levantine/Iraqi and Maghrebi series.
var monthNames = map[string]string{
	"janvier": "January", "février": "February", "fevrier": "February", "mars": "March", "avril": "April",
	"mai": "May", "juin": "June", "juillet": "July", "août": "August", "aout": "August",
	"septembre": "September", "octobre": "October", "novembre": "November", "décembre": "December",
	"decembre": "December", "janv": "Jan", "févr": "Feb", "fevr": "Feb", "avr": "Apr", "juil": "Jul",
	"sept": "Sep", "déc": "Dec",
	"يناير": "January", "فبراير": "February", "مارس": "March", "أبريل": "April", "ابريل": "April", "إبريل": "April",
	"مايو": "May", "يونيو": "June", "يوليو": "July", "أغسطس": "August", "اغسطس": "August", "سبتمبر": "September",
	"أكتوبر": "October", "اكتوبر": "October", "نوفمبر": "November", "ديسمبر": "December",
	"شباط": "February", "آذار": "March", "اذار": "March", "نيسان": "April", "أيار": "May", "ايار": "May",
	"حزيران": "June", "تموز": "July", "آب": "August", "أيلول": "September", "ايلول": "September",
	"جانفي": "January", "فيفري": "February", "أفريل": "April", "افريل": "April", "ماي": "May", "جوان": "June",
	"جويلية": "July", "أوت": "August", "اوت": "August",
}

// dateNoise are words around a date that carry nothing for it: weekdays, "le", "at", "à".
var dateNoise = keys("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
	"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "le", "à", "a", "at", "on",
	"الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الاربعاء", "الخميس", "الجمعة", "السبت", "الأحد", "الاحد",
	"في", "يوم", "الساعة", "م", "ص")

var (
	dotTimeRe = regexp.MustCompile(`\b((?:19|20)[0-9][0-9])\s+([01]?[0-9]|2[0-3])\.([0-5][0-9])\b`)
	zoneRe    = regexp.MustCompile(`(?i)\b(gmt|utc|bst|cet|cest|est|edt|pst|pdt|ast|eet|eest|msk|z)\b|[+-][0-9]{2}:?[0-9]{2}\b`)
	hTimeRe   = regexp.MustCompile(`\b([0-2]?[0-9])h([0-5][0-9])\b`)
	ampmRe    = regexp.MustCompile(`(?i)\b([0-9]{1,2}:[0-5][0-9]) ?([ap])\.?m\.?`)
	ordinalR  = regexp.MustCompile(`\b([0-9]{1,2})(st|nd|rd|th|er)\b`)
)

// englishDate rewrites a date line into the English form dateLayouts read: month names in
// English, weekdays and filler words dropped, "14h30" as "14:30", separators as spaces. A line
// with a time zone is left to the full parser, which knows zones.
func englishDate(s string) (string, bool) {
	if zoneRe.MatchString(s) {
		return "", false
	}
	s = arabicMonths.Replace(s)
	s = hTimeRe.ReplaceAllString(s, "$1:$2")
	s = ampmRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := ampmRe.FindStringSubmatch(m)
		return sub[1] + " " + strings.ToUpper(sub[2]) + "M"
	})
	s = ordinalR.ReplaceAllString(s, "$1")
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '،' || r == '|' || r == '(' || r == ')'
	})
	out := fields[:0]
	for _, f := range fields {
		if f == "-" || f == "–" || f == "—" {
			continue
		}
		w := strings.TrimSuffix(f, ".")
		lw := strings.ToLower(w)
		switch {
		case monthNames[lw] != "":
			out = append(out, monthNames[lw])
		case monthNames[w] != "":
			out = append(out, monthNames[w])
		case dateNoise[normKey(w)]:
		case strings.ContainsFunc(w, unicode.IsLetter) && !isEnglishDateWord(w):
			if len(out) == 0 {
				continue // a dateline's place or a label before the date: "Algiers, 4 May 2024"
			}
			return "", false // a word inside the date the layouts cannot read
		default:
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return "", false
	}
	return strings.Join(out, " "), true
}

// isEnglishDateWord reports an English month name or abbreviation, or AM/PM.
func isEnglishDateWord(w string) bool {
	lw := strings.ToLower(w)
	if lw == "am" || lw == "pm" {
		return true
	}
	for _, m := range []string{"january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december"} {
		if lw == m || (len(lw) >= 3 && strings.HasPrefix(m, lw) && len(lw) <= 4) {
			return true
		}
	}
	return false
}

func periodPrecision(p date.Period) mizan.Precision {
	switch p {
	case date.Second:
		return mizan.PrecisionSecond
	case date.Minute, date.Hour:
		return mizan.PrecisionMinute
	case date.Day:
		return mizan.PrecisionDay
	case date.Month:
		return mizan.PrecisionMonth
	case date.Year:
		return mizan.PrecisionYear
	}
	return mizan.PrecisionDay
}

// stripDateLabel removes a leading "Published:", "Mis à jour le", "نشر في"... and says whether
// the label was one of an update.
func stripDateLabel(s string) (string, bool) {
	lower := strings.ToLower(s)
	if len(lower) != len(s) {
		return s, false // case folding changed byte lengths: offsets would not line up
	}
	for _, l := range updatedLabels {
		if strings.HasPrefix(lower, l) {
			return strings.TrimLeft(s[len(l):], " :：-–"), true
		}
	}
	for _, l := range publishedLabels {
		if strings.HasPrefix(lower, l) && len(s) > len(l) {
			next, _ := utf8.DecodeRuneInString(s[len(l):])
			if unicode.IsLetter(next) {
				continue // "le" must not eat "lundi"
			}
			return strings.TrimLeft(s[len(l):], " :：-–"), false
		}
	}
	return s, false
}

func isArabicLetter(r rune) bool { return r >= 0x0600 && r <= 0x06FF && unicode.IsLetter(r) }
