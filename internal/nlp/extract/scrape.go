package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
)

// A scrape is the text of a news page copied out of a browser: the article sits among menus,
// language switchers, tickers, share buttons, tag lists, "Related"/"Most Read" boxes and the
// footer, some of which interrupt the article itself. No rule here knows any site; the model
// uses general signals only:
//
//  1. Lines that say what they are (classify): known block headers in English, French and
//     Arabic ("Most Read", "Les plus lus", "الأكثر قراءة"), lead-ins to other articles
//     ("Read more: …", "Lire aussi", "اقرأ أيضا"), legal lines, widgets (share, reading time),
//     date lines and bylines. A header opens a block that runs to the next blank line when its
//     items follow it directly (a ticker), or else to the next line of real prose; an
//     article's byline or date line also ends it.
//  2. Every line gets a score (scoreLine), capped at +4: long lines that end like sentences
//     and have clauses score up; short lines, list items, title-case labels and lines repeated
//     on the page score down; classified lines and block members are negative whatever their
//     length (-3, headers -2, box items -1.5, inline "Read more" links -1 since they sit inside
//     articles).
//  3. The article body is the contiguous run of lines with the largest total score (the
//     maximum-sum segment, as in Finn et al.'s Body Text Extraction), found in linear time,
//     then extended over a last paragraph that costs little to reach.
//  4. Above the body, the head (title, byline, date line, standfirst) is read from the lines up
//     to the previous block; inside the body, classified lines, block members, list items and
//     repeated non-prose lines are dropped, and short lines survive only as sub-headings
//     between paragraphs.

// Known block headers, compared by normKey. Each also matches with a few extra words
// ("Most Read Stories", "Related News ›").
var (
	blockHeaders = keys(
		// English
		"most read", "most popular", "most viewed", "most shared", "most commented", "trending", "trending now",
		"related", "related news", "related articles", "related stories", "related content", "related posts",
		"read next", "read more", "more stories", "more news", "more from", "more on this", "more in", "recommended",
		"recommended for you", "you may also like", "you might also like", "you may be interested in", "latest news",
		"latest stories", "top stories", "editor's picks", "editors picks", "in other news", "coverage",
		"see also", "also read", "tags", "topics", "keywords", "newsletter",
		"follow us", "advertisement", "sponsored", "sponsored content", "partner content", "explore more", "don't miss", "dont miss", "highlights", "live updates",
		"key events", "key moments", "timeline",
		// French
		"les plus lus", "les plus populaires", "les plus partagés", "les plus commentés", "à lire aussi", "a lire aussi",
		"lire aussi", "lire également", "voir aussi", "sur le même sujet", "dans la même rubrique", "articles liés",
		"articles similaires", "à la une", "a la une", "dernières infos", "dernières actualités", "dernieres actualites",
		"l'essentiel", "à voir aussi", "nos recommandations", "vous aimerez aussi", "mots-clés", "mots clés", "publicité",
		"suivez-nous", "en ce moment", "moments clés", "les moments clés", "l'essentiel du direct",
		// Arabic (normKey folds alef forms and drops diacritics)
		"الأكثر قراءة", "الأكثر مشاهدة", "الأكثر تداولا", "الأكثر تداولاً", "الأكثر شعبية", "اقرأ أيضا", "اقرأ أيضاً",
		"اقرأ ايضا", "إقرأ أيضا", "اقرأ كذلك", "اقرأ المزيد", "شاهد أيضا", "مواضيع ذات صلة", "أخبار ذات صلة",
		"مقالات ذات صلة", "ذات صلة", "آخر الأخبار", "أخر الأخبار", "المزيد من الأخبار", "الوسوم", "كلمات مفتاحية",
		"كلمات دلالية", "تابعنا", "تابعونا", "النشرة البريدية", "إعلان", "اخترنا لك", "أهم الأخبار", "الأكثر قراءة اليوم", "أبرز الأحداث", "أهم الأحداث",
	)
	stopHeaders = keys(
		"comments", "comment", "leave a comment", "leave a reply", "join the conversation", "reader comments",
		"commentaires", "réagir", "laisser un commentaire", "vos commentaires",
		"التعليقات", "تعليقات", "أضف تعليق", "اترك تعليقا", "اضف تعليقك",
	)
	breakingHeaders = keys("breaking", "breaking news", "just in", "live", "urgent", "flash", "alerte", "en direct",
		"dernière minute", "derniere minute", "عاجل", "خبر عاجل", "مباشر", "الآن")
	leadIns = keys("read more", "read also", "also read", "see also", "related", "more", "watch", "listen",
		"lire aussi", "à lire aussi", "a lire aussi", "lire également", "voir aussi", "à voir", "a voir",
		"اقرأ أيضا", "اقرأ أيضاً", "اقرأ ايضا", "إقرأ أيضا", "اقرأ كذلك", "اقرأ المزيد", "شاهد أيضا", "شاهد ايضا", "للمزيد")
	widgets = keys("share", "share this", "share this article", "share on facebook", "share on twitter", "tweet",
		"facebook", "twitter", "x", "whatsapp", "telegram", "linkedin", "email", "e-mail", "print", "copy link", "copy",
		"comments", "listen", "listen to this article", "save", "bookmark", "font size", "a a", "a+ a-", "menu", "search",
		"close", "home", "log in", "login", "sign in", "register", "back to top", "next", "previous", "load more",
		"partager", "imprimer", "envoyer", "écouter", "ecouter", "rechercher", "accueil", "connexion", "fermer",
		"شارك", "مشاركة", "طباعة", "نسخ الرابط", "أرسل", "استمع", "الرئيسية", "بحث", "إغلاق", "القائمة",
		"ar", "en", "fr", "es", "english", "français", "francais", "العربية", "español")
	legalWords = []string{"all rights reserved", "copyright", "tous droits réservés", "tous droits reserves",
		"privacy policy", "terms of use", "terms of service", "terms and conditions", "cookie", "politique de confidentialité",
		"mentions légales", "conditions d'utilisation", "جميع الحقوق محفوظة", "حقوق النشر", "سياسة الخصوصية",
		"شروط الاستخدام"}
)

var (
	// clockRe is a paragraph that is only a time stamp (live blogs).
	clockRe = regexp.MustCompile(`^([01]?[0-9]|2[0-3])[:h.][0-5][0-9]( ?(am|pm|GMT|UTC|CET))?$`)
	// captionRe ends a photo caption: a credit ("Photograph: Reuters", "Photo : AFP", "(AP)").
	captionRe  = regexp.MustCompile(`(?i)([.)]\s*|\s)((photo(graph)?s?|pictures?|image|crédits?( photo)?|credits?|illustration|الصورة|صورة|تصوير)\s*:\s*[^.:]{2,60}|\((AP|AFP|Reuters|EPA|Getty Images|AP Photo|Anadolu|Xinhua)\))\.?$`)
	readTimeRe = regexp.MustCompile(`(?i)^\d+\s*(min|mins|minutes?|minute)\.?\s*(read|de lecture|lecture)?$|^(temps de lecture|lecture)\s*:?\s*\d+\s*min|^\d+\s*(دقائق|دقيقة|د)\s*(للقراءة|قراءة)?$|^(مدة القراءة|وقت القراءة)`)
	sourceRe   = regexp.MustCompile(`(?i)^(source|sources|crédit|credit|photo|image|المصدر|مصدر|الصورة)\s*:\s*\S`)
	// bylineRe reads "By X", "Par X", "بقلم X" / "كتب X" and similar.
	bylineRe = regexp.MustCompile(`(?i)^(?:by|written by|posted by|reporting by|par|propos recueillis par|بقلم|كتب|كتبت|كتبه|إعداد|اعداد|تحرير|تقرير)\s*:?\s+(.+)$`)
)

func keys(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[normKey(w)] = true
	}
	return m
}

// headerMatch reports whether a line is, or starts with, one of the known headers, with at most
// extra words after it.
func headerMatch(key string, set map[string]bool, extra int) bool {
	if set[key] {
		return true
	}
	words := strings.Fields(key)
	for n := len(words) - 1; n >= 1 && n >= len(words)-extra; n-- {
		if set[strings.Join(words[:n], " ")] {
			return true
		}
	}
	return false
}

// classify sets the kind of every line and marks the blocks that headers open.
func classify(lines []line) {
	for i := range lines {
		l := &lines[i]
		if l.blank {
			continue
		}
		l.kind = kindOf(l)
	}
	for i := 0; i < len(lines); i++ {
		k := lines[i].kind
		if k != kindHeader && k != kindBreaking {
			continue
		}
		// Items straight under the header (no blank line) make a ticker or list that ends at
		// the next blank line, or at an article's byline or date line, whose title (the line
		// above) is then no item; items spaced out by blank lines run until real prose.
		j := i + 1
		contiguous := j < len(lines) && !lines[j].blank
		for ; j < len(lines); j++ {
			l := &lines[j]
			if l.blank {
				if contiguous {
					break
				}
				continue
			}
			if l.kind == kindHeader || l.kind == kindBreaking || l.kind == kindStop {
				break
			}
			if (l.kind == kindByline || l.kind == kindDate) && !l.bullet {
				// An article's byline or date line: the block (a ticker, a "Top stories" box
				// above the article) is over, and the line above is the article's title.
				if p := prevNonBlank(lines, j); p > i {
					lines[p].block = false
				}
				break
			}
			if !contiguous && l.prose() && l.repeats == 1 && !l.bullet {
				break
			}
			l.block = true
		}
		i = j - 1
	}
}

func kindOf(l *line) lineKind {
	key := l.key
	switch {
	case key == "":
		return kindWidget // only punctuation or symbols
	case l.words <= 6 && headerMatch(key, breakingHeaders, 1):
		return kindBreaking
	case l.words <= 6 && headerMatch(key, stopHeaders, 2) && !l.end:
		return kindStop
	case blockHeaders[key]:
		return kindHeader
	case isLeadIn(l):
		return kindLeadIn
	case l.words <= 6 && !l.end && headerMatch(key, blockHeaders, 3):
		return kindHeader
	case l.words <= 25 && isLegal(l):
		return kindLegal
	case l.words <= 4 && widgets[key]:
		return kindWidget
	case l.words <= 6 && strings.Contains(l.text, ":") && sourceRe.MatchString(l.text):
		return kindWidget
	case l.words <= 8 && strings.ContainsFunc(l.text, unicode.IsDigit) && (readTimeRe.MatchString(l.text) || clockRe.MatchString(l.text)):
		return kindWidget
	case l.words <= 40 && hasCredit(l.text) && captionRe.MatchString(l.text[max(0, len(l.text)-100):]):
		return kindWidget // a photo caption with its credit
	case strings.ContainsAny(l.text, "|·•") && isNavRow(l.text):
		return kindWidget
	case l.words <= 12 && containsAny(strings.ToLower(l.text), notices):
		return kindWidget
	}
	if _, ok := bylineName(l.text); ok {
		return kindByline
	}
	if l.words <= 12 && (!l.end || l.words <= 5) && looksLikeDateLine(l.text) {
		return kindDate // confirmed (or not) by the date parser when the head is read
	}
	return kindText
}

// notices are phrases of notices about the page itself (live-blog refresh, JavaScript).
var notices = []string{"refreshes automatically", "auto-refresh", "autorefresh", "se met à jour automatiquement",
	"actualisation automatique", "يتم تحديث هذه الصفحة", "تحديث تلقائي", "javascript is disabled",
	"javascript disabled", "javascript required", "enable javascript", "activez javascript", "activer javascript"}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// hasCredit is the cheap test before captionRe: a colon or a closing parenthesis near the end.
func hasCredit(s string) bool {
	tail := s[max(0, len(s)-80):]
	return strings.Contains(tail, ":") || strings.HasSuffix(strings.TrimRight(s, ". "), ")")
}

// isNavRow reports a row of links copied as one line: three or more short items separated by
// "|", "·" or "•" ("Home | World | Business | Sport").
func isNavRow(s string) bool {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == '·' || r == '•' })
	if len(parts) < 3 {
		return false
	}
	for _, p := range parts {
		if n := len(strings.Fields(p)); n == 0 || n > 3 || endsSentence(p) {
			return false
		}
	}
	return true
}

// isLeadIn reports a "Read more: <headline>" line: a known lead-in followed by a colon, dash or
// guillemet, or standing alone.
func isLeadIn(l *line) bool {
	words := strings.Fields(l.key)
	for n := min(3, len(words)); n >= 1; n-- {
		if !leadIns[strings.Join(words[:n], " ")] {
			continue
		}
		if n == len(words) {
			return true
		}
		// Find where the lead-in ends in the text and look at what follows it.
		t := l.text
		for _, sep := range []string{":", "：", " - ", " – ", "»", "|", ">", "›"} {
			if i := strings.Index(t, sep); i > 0 && utf8.RuneCountInString(t[:i]) <= 25 && normKey(t[:i]) == strings.Join(words[:n], " ") {
				return true
			}
		}
	}
	return false
}

func isLegal(l *line) bool {
	if strings.Contains(l.text, "©") || strings.HasPrefix(strings.ToLower(l.text), "(c) ") {
		return true
	}
	return containsAny(strings.ToLower(l.text), legalWords)
}

// bylineName returns the name of a "By X" line: X must be short and not a sentence.
func bylineName(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > 80 {
		return "", false
	}
	m := bylineRe.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	name := strings.TrimSpace(m[1])
	// "By X | 5 March 2024", "Par X, publié le ...": keep the name part.
	for _, sep := range []string{"|", "•", "·", " - ", " – ", " — "} {
		if i := strings.Index(name, sep); i > 0 {
			name = strings.TrimSpace(name[:i])
		}
	}
	name = strings.TrimRight(name, " ,;")
	words := strings.Fields(name)
	if len(words) == 0 || len(words) > 8 || endsSentence(name) {
		return "", false
	}
	r, _ := utf8.DecodeRuneInString(name)
	if !unicode.IsLetter(r) || (unicode.IsLower(r) && !unicode.IsUpper(r)) {
		return "", false // "by the end of the year", "by 2030": not a name
	}
	return name, true
}

// scrapeThreshold is the scrapeScore from which a plain text is treated as a browser copy.
const scrapeThreshold = 4

// scrapeScore sums the signals that a plain text is a copy of a whole web page rather than an
// article: known block headers (2 each), many list markers (3), runs of five or more short
// label lines (2 each: menus), and up to 2 each for lead-ins, legal lines, widgets and short
// lines repeated on the page. A clean article scores 0 to 2.
func scrapeScore(lines []line) int {
	var headers, bullets, nonBlank, leads, legal, widget, repeated, runs, run int
	seenRepeat := map[string]bool{}
	for _, l := range lines {
		if l.blank {
			continue
		}
		nonBlank++
		switch l.kind {
		case kindHeader, kindStop, kindBreaking:
			headers++
		case kindLeadIn:
			leads++
		case kindLegal:
			legal++
		case kindWidget:
			widget++
		}
		if l.bullet {
			bullets++
		}
		if l.repeats > 1 && l.words < 8 && !seenRepeat[l.key] {
			seenRepeat[l.key] = true
			repeated++
		}
		if l.words < 5 && !l.end {
			run++
			if run == 5 {
				runs++
			}
		} else {
			run = 0
		}
	}
	score := 2*min(headers, 3) + 2*min(runs, 2) + min(leads, 2) + min(legal, 2) + min(widget, 2) + min(repeated, 2)
	if bullets >= 5 && bullets*100 >= nonBlank*15 {
		score += 3
	}
	return score
}

// scoreLine is the content score of a line: positive for article prose, negative for page
// furniture. See the package comment in this file for the model.
func scoreLine(l *line) float64 {
	switch {
	case l.kind == kindLeadIn && !l.block:
		// "Read more: …" links sit between paragraphs of the article itself: they go, but
		// they do not mark its end.
		return -1
	case l.block:
		// Items of a box are removed whatever the body's extent; a short box between two
		// parts of the article must not cut it, a long run of boxes after it does.
		return -1.5
	case l.kind == kindHeader:
		return -2
	case l.kind != kindText:
		return -3
	}
	var s float64
	switch {
	case l.chars >= 150:
		s += 3
	case l.chars >= 80:
		s += 2
	case l.chars >= 40:
		s += 0.5
	case l.chars < 20:
		s -= 1.5
	default:
		s -= 0.5
	}
	switch {
	case l.end && l.words >= 8:
		s += 1.5
	case l.end:
		s += 0.5
	default:
		s -= 1
	}
	if l.comma {
		s += 0.5
	}
	if l.bullet {
		s -= 3
	}
	if l.repeats > 1 {
		s -= 2
	}
	if l.title && l.words <= 15 && !l.end {
		s -= 1
	}
	return min(s, 4)
}

// maxSegment returns the [start, end) range of lines with the largest total score (Kadane's
// algorithm); blank lines score 0.
func maxSegment(scores []float64) (int, int) {
	bestStart, bestEnd, best := 0, 0, 0.0
	start, sum := 0, 0.0
	for i, s := range scores {
		if sum <= 0 {
			start, sum = i, 0
		}
		sum += s
		if sum > best {
			best, bestStart, bestEnd = sum, start, i+1
		}
	}
	return bestStart, bestEnd
}

// extendSegment lets the body run on past its maximum-sum end to take in one more paragraph
// of prose when what lies between costs less than slack: a last paragraph after a sub-heading
// and a "Read also" line belongs to the article even though it does not pay for them.
func extendSegment(lines []line, scores []float64, end int, slack float64) int {
	run := 0.0
	for j := end; j < len(lines); j++ {
		if lines[j].blank {
			continue
		}
		if lines[j].kind == kindStop {
			break
		}
		run += scores[j]
		if scores[j] > 0 && lines[j].prose() && run > -slack {
			end, run = j+1, 0
			continue
		}
		if run < -2*slack {
			break
		}
	}
	return end
}

// extractScrape reduces a browser copy to its article.
func extractScrape(lines []line, o Options) *Result {
	res := &Result{Format: mizan.FormatScrape}
	drop := &dropped{max: o.MaxDropped}
	scores := make([]float64, len(lines))
	for i := range lines {
		if !lines[i].blank {
			scores[i] = scoreLine(&lines[i])
		}
	}
	start, end := maxSegment(scores)
	end = extendSegment(lines, scores, end, 3)
	if end == 0 {
		// Nothing reads like prose: keep the text lines, dropping what says it is furniture.
		start, end = 0, len(lines)
	}
	// A comments or footer header inside the body ends it.
	for i := start; i < end; i++ {
		if lines[i].kind == kindStop {
			end = i
			break
		}
	}

	head := readHead(lines, start, o)
	res.Title = head.title
	if head.date != nil {
		setDate(res, *head.date)
	}
	siteName := findSiteName(lines)
	if head.byline != "" {
		if outletLike(head.byline, siteName) {
			res.Outlet = head.byline
		} else {
			res.Authors = splitAuthors(head.byline)
		}
	}
	if res.Outlet == "" {
		res.Outlet = siteName
	}

	paras := append([]string(nil), head.standfirst...)
	kept := make([]bool, len(lines))
	for i := start; i < end; i++ {
		l := &lines[i]
		if l.blank {
			continue
		}
		switch {
		case l.kind != kindText || l.block:
		case l.bullet:
			// A list inside the article survives when its items are sentences; cards (an image
			// caption under its alt text, a teaser under a headline) do not.
			kept[i] = l.prose() && !(l.cont && !kept[prevNonBlank(lines, i)])
		case l.repeats > 1 && !l.prose():
		case scores[i] > 0:
			kept[i] = true
		default:
			kept[i] = isSubheading(lines, scores, i, end)
		}
		if kept[i] {
			paras = append(paras, l.text)
		}
	}
	for i := range lines {
		if !lines[i].blank && !kept[i] && !head.kept[i] {
			drop.add(lines[i].text)
		}
	}
	res.Text = joinParagraphs(res.Title, paras)
	res.Dropped = drop.lines
	return res
}

func prevNonBlank(lines []line, i int) int {
	for j := i - 1; j >= 0; j-- {
		if !lines[j].blank {
			return j
		}
	}
	return i
}

func nextNonBlank(lines []line, i int) int {
	for j := i + 1; j < len(lines); j++ {
		if !lines[j].blank {
			return j
		}
	}
	return -1
}

// isSubheading keeps a short line inside the body when it sits between paragraphs and is not
// furniture: no list marker, not repeated, not a sentence fragment ending in a comma.
func isSubheading(lines []line, scores []float64, i, end int) bool {
	l := &lines[i]
	if l.words < 2 || l.words > 15 || l.chars < 10 || l.repeats > 1 {
		return false
	}
	n := nextNonBlank(lines, i)
	p := prevNonBlank(lines, i)
	for p >= 0 && p < i && lines[p].kind == kindLeadIn {
		p = prevNonBlank(lines, p) // a "Read also" line before a sub-heading is no boundary
	}
	return n >= 0 && n < end && scores[n] > 0 && lines[n].prose() && p < i && scores[p] > 0 && lines[p].prose()
}

// head is what precedes the article body: title, byline, date line and standfirst.
type head struct {
	title      string
	byline     string
	date       *dateHit
	standfirst []string
	kept       []bool // lines of the head that went into the text or the metadata
}

// readHead looks at the lines above the body, up to the closest block or 25 lines. The title
// is the headline-like line closest above the byline/date cluster (or above the body when there
// is none); prose-like lines between the title and the body are the standfirst.
func readHead(lines []line, start int, o Options) head {
	h := head{kept: make([]bool, len(lines))}
	top, seen := start, 0
	for i := start - 1; i >= 0 && seen < 25; i-- {
		if lines[i].blank {
			continue
		}
		if lines[i].block || lines[i].kind == kindHeader || lines[i].kind == kindBreaking || lines[i].kind == kindStop {
			break
		}
		top = i
		seen++
	}
	// The byline/date cluster closest above the body (a sidebar higher up may have dates too).
	now := o.now()
	meta := -1 // first line of the cluster
	for i := start - 1; i >= top; i-- {
		l := &lines[i]
		if l.blank {
			continue
		}
		if l.kind != kindDate && l.kind != kindByline {
			if meta >= 0 && l.kind != kindWidget {
				break
			}
			continue
		}
		switch l.kind {
		case kindDate:
			if hit, ok := parseDateLine(l.text, now); ok && (h.date == nil || h.date.updated && !hit.updated) {
				h.date = &hit
				h.kept[i] = true
				meta = i
			}
			// "15/03/2023 | Par X": a byline in a part of the date line.
			for _, p := range splitDateParts(l.text) {
				if name, ok := bylineName(l.text[p[0]:p[1]]); ok {
					h.byline = name
				}
			}
		case kindByline:
			if name, ok := bylineName(l.text); ok {
				h.byline = name // the topmost byline of the cluster wins
				h.kept[i] = true
				meta = i
			}
		}
	}
	// The title: the best headline-like line above the metadata, or above the body.
	limit := start
	if meta >= 0 {
		limit = meta
	}
	best, bestScore := -1, 0.0
	for i := top; i < limit; i++ {
		l := &lines[i]
		if l.blank || l.kind != kindText || l.words < 3 || l.words > 30 || l.chars > 250 {
			continue
		}
		s := 2.0
		if l.bullet {
			s -= 2.5
		}
		if !l.end {
			s += 1
		}
		if l.repeats > 1 {
			s += 0.5 // titles recur in breadcrumbs, captions and share boxes
		}
		if meta >= 0 && nextNonBlank(lines, i) == meta {
			s += 3
		}
		s -= 0.1 * float64(limit-i)
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	if best < 0 && meta >= 0 {
		// The title may come after the byline and date.
		for i := meta + 1; i < start; i++ {
			l := &lines[i]
			if !l.blank && l.kind == kindText && !l.bullet && l.words >= 3 && l.words <= 30 && !l.end && l.chars <= 250 {
				best = i
				break
			}
		}
	}
	if best < 0 {
		return h
	}
	h.title = lines[best].text
	h.kept[best] = true
	// The standfirst: non-list lines that read like prose between title and body.
	for i := best + 1; i < start; i++ {
		l := &lines[i]
		if l.blank || l.kind != kindText || l.bullet || l.block {
			continue
		}
		if l.prose() || l.chars >= 80 {
			h.standfirst = append(h.standfirst, l.text)
			h.kept[i] = true
		}
	}
	return h
}

// findSiteName finds the outlet's name on a page copy: a short line that appears near the top
// and again near the bottom (logo and footer), or the name in a copyright line.
func findSiteName(lines []line) string {
	var nonBlank []int
	for i := range lines {
		if !lines[i].blank {
			nonBlank = append(nonBlank, i)
		}
	}
	if len(nonBlank) < 10 {
		return ""
	}
	topN := nonBlank[:min(8, len(nonBlank))]
	bottom := nonBlank[len(nonBlank)*3/4:]
	for _, i := range topN {
		l := &lines[i]
		if l.words == 0 || l.words > 6 || l.bullet || l.kind != kindText || l.end {
			continue
		}
		for _, j := range bottom {
			// The same line, or a footer line that starts with it ("Name - All rights reserved").
			if j != i && (lines[j].key == l.key || lines[j].kind == kindLegal && strings.HasPrefix(lines[j].key, l.key+" ")) {
				return l.text
			}
		}
	}
	for _, i := range nonBlank {
		if name := copyrightName(lines[i].text); name != "" {
			return name
		}
	}
	return ""
}

var copyrightRe = regexp.MustCompile(`(?i)(?:(?:©|\(c\)|copyright)\s*)+(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?)?\s*,?\s*([^.|,]{2,60}?)\s*(?:[.|,]|all rights|tous droits|جميع|$)`)

var trailingYearRe = regexp.MustCompile(`[\s,-]*(19|20)\d\d\s*$`)

// rightsPhrases are stripped from a copyright line to leave the holder's name.
var rightsPhrases = strings.NewReplacer("جميع الحقوق محفوظة", "", "كل الحقوق محفوظة", "", "حقوق النشر محفوظة", "",
	"All rights reserved", "", "All Rights Reserved", "", "Tous droits réservés", "", "-", " ", "|", " ", ".", " ")

// copyrightName returns the holder named in a copyright line ("© 2025 Name. All rights
// reserved.", "© Name 2023", "Name © 2024", "جميع الحقوق محفوظة لـName © 2025").
func copyrightName(s string) string {
	m := copyrightRe.FindStringSubmatch(s)
	if m == nil || strings.TrimSpace(trailingYearRe.ReplaceAllString(m[1], "")) == "" {
		// The name stands before the sign.
		before, _, ok := strings.Cut(s, "©")
		if !ok {
			return ""
		}
		name := collapseSpaces(rightsPhrases.Replace(before))
		name = strings.TrimPrefix(strings.TrimPrefix(name, "لـ"), "ل")
		if n := len(strings.Fields(name)); n == 0 || n > 6 {
			return ""
		}
		return name
	}
	name := strings.TrimSpace(trailingYearRe.ReplaceAllString(m[1], ""))
	if name == "" || len(strings.Fields(name)) > 6 {
		return ""
	}
	return name
}

// outletWords mark a byline that names an outlet rather than a person.
var outletWords = keys("news", "agency", "agencies", "press", "media", "times", "post", "tribune", "journal", "gazette",
	"herald", "daily", "channel", "tv", "network", "english", "arabic", "online", "staff", "desk", "newsroom", "editorial",
	"reuters", "afp", "ap", "bbc", "cnn", "france", "monde", "agence", "rédaction", "redaction", "afp", "وكالة", "قناة",
	"صحيفة", "موقع", "التحرير", "وكالات", "الأنباء", "شبكة")

// outletLike reports whether a byline names the outlet itself: it is the page's site name, or
// contains words like "News", "Agency", "Staff".
func outletLike(name, siteName string) bool {
	key := normKey(name)
	if siteName != "" && key == normKey(siteName) {
		return true
	}
	for _, w := range strings.Fields(key) {
		if outletWords[w] {
			return true
		}
	}
	return false
}

// splitAuthors splits "A and B", "A, B", "A et B", "A و B" into names.
func splitAuthors(s string) []string {
	s = strings.NewReplacer(" and ", ",", " & ", ",", " et ", ",", " و ", ",", ";", ",").Replace(s)
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
