// Package corpusgen writes synthetic news corpora for benchmarks: deterministic for a seed, in
// English, French and Arabic, as clean text, HTML pages with site furniture and browser
// scrapes with menus, so every stage of the pipeline gets realistic work. The text is
// generated from templates written here; it is fiction with real-world names.
package corpusgen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Doc is one generated document.
type Doc struct {
	Name string // file name, with the extension of its format
	Raw  []byte
}

// Generator makes documents. Doc(i) depends only on the seed and i, so a corpus can be made in
// parallel or in pieces and is the same every time.
type Generator struct {
	Seed int64
	// NearDupRate is the share of documents that are a lightly edited copy of an earlier one.
	NearDupRate float64
}

// New returns a generator with a 3% near-duplicate rate.
func New(seed int64) *Generator { return &Generator{Seed: seed, NearDupRate: 0.03} }

type lang struct {
	code    string
	actors  []string
	places  []string
	verbs   []string // "%s met %s", with two actors
	solos   []string // "%s deployed troops" with one actor
	fillers []string
	months  []string
	title   string // "%s and %s: %s"
	topics  []string
	say     []string // attribution frames around a sentence
	where   string   // "%s in %s in %s %d": sentence, place, month, year
}

var langs = []lang{
	{
		code:   "en",
		actors: []string{"Algeria", "Russia", "Iran", "Morocco", "Spain", "France", "the United States", "Egypt", "Tunisia", "Mali", "Niger", "Turkey", "Israel", "Qatar", "Saudi Arabia", "President Abdelmadjid Tebboune", "Foreign Minister Sergey Lavrov", "General Said Chengriha", "the African Union", "NATO", "the European Union", "the Polisario Front", "Hezbollah", "Wagner Group", "the IRGC", "Nikolai Patrushev", "the UN Security Council"},
		places: []string{"Algiers", "Moscow", "Tehran", "Rabat", "Madrid", "Paris", "Cairo", "Tunis", "Bamako", "Niamey", "Ankara", "Doha", "Riyadh", "Oran", "Tindouf", "Tamanrasset", "Geneva", "New York"},
		verbs: []string{"%s met %s", "%s signed an agreement with %s", "%s held talks with %s", "%s threatened %s with sanctions", "%s condemned %s", "%s sent military advisers to %s",
			"%s agreed to expand energy cooperation with %s", "%s accused %s of interference", "%s downgraded its relations with %s", "%s requested assistance from %s", "%s supplied weapons to %s", "%s praised %s"},
		solos:   []string{"%s deployed troops near the border", "%s conducted joint military exercises", "%s applied to join BRICS", "%s denied the reports", "%s announced new sanctions", "%s recalled its ambassador"},
		fillers: []string{"The talks focused on security cooperation and the situation in the Sahel.", "Officials did not give further details.", "Analysts said the move reflected a broader realignment in the region.", "The statement was published by the foreign ministry on its website.", "Trade between the two countries has grown steadily over the past decade.", "Diplomats described the meeting as constructive and frank.", "The visit comes amid rising tension along the border.", "Observers expect further announcements in the coming weeks."},
		months:  []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		title:   "%s and %s: %s",
		topics:  []string{"new security pact", "talks on energy", "tension rises", "military cooperation deepens", "a diplomatic rupture", "joint exercises planned"},
		where:   "%s in %s in %s %d",
		say:     []string{"%s, a senior official said.", "%s, according to a security source speaking on condition of anonymity.", "%s, the newspaper reported.", "%s, sources suggest."},
	},
	{
		code:   "fr",
		actors: []string{"l'Algérie", "la Russie", "l'Iran", "le Maroc", "l'Espagne", "la France", "les États-Unis", "l'Égypte", "la Tunisie", "le Mali", "le président Abdelmadjid Tebboune", "le ministre Sergueï Lavrov", "le général Saïd Chanegriha", "l'Union africaine", "l'OTAN", "l'Union européenne", "le Front Polisario"},
		places: []string{"Alger", "Moscou", "Téhéran", "Rabat", "Madrid", "Paris", "Le Caire", "Tunis", "Bamako", "Oran", "Tindouf", "Genève"},
		verbs: []string{"%s a rencontré %s", "%s a signé un accord avec %s", "%s a menacé %s de sanctions", "%s a condamné %s", "%s a déployé des conseillers militaires chez %s",
			"%s a accusé %s d'ingérence", "%s a demandé l'aide de %s", "%s a livré des armes à %s"},
		solos:   []string{"%s a déployé des troupes près de la frontière", "%s a mené des exercices militaires conjoints", "%s a démenti les informations", "%s a rappelé son ambassadeur"},
		fillers: []string{"Les discussions ont porté sur la coopération sécuritaire au Sahel.", "Les responsables n'ont pas donné plus de détails.", "Selon des analystes, cette décision reflète un réalignement régional.", "Le communiqué a été publié par le ministère des Affaires étrangères.", "Les échanges commerciaux entre les deux pays ont progressé."},
		months:  []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		title:   "%s et %s : %s",
		topics:  []string{"un nouveau pacte de sécurité", "des discussions sur l'énergie", "la tension monte", "une rupture diplomatique"},
		where:   "%s à %s en %s %d",
		say:     []string{"%s, a déclaré un haut responsable.", "%s, selon une source sécuritaire sous couvert d'anonymat.", "%s, a rapporté le journal."},
	},
	{
		code:   "ar",
		actors: []string{"الجزائر", "روسيا", "إيران", "المغرب", "إسبانيا", "فرنسا", "الولايات المتحدة", "مصر", "تونس", "مالي", "الرئيس عبد المجيد تبون", "وزير الخارجية سيرغي لافروف", "الفريق أول السعيد شنقريحة", "الاتحاد الأفريقي", "حلف الناتو", "الاتحاد الأوروبي", "جبهة البوليساريو", "حزب الله", "الحرس الثوري الإيراني"},
		places: []string{"الجزائر العاصمة", "موسكو", "طهران", "الرباط", "مدريد", "باريس", "القاهرة", "تونس", "وهران", "تندوف", "تمنراست", "جنيف"},
		verbs: []string{"التقى %s مع %s", "وقّعت %s اتفاقية مع %s", "هددت %s %s بفرض عقوبات", "أدانت %s %s", "أرسلت %s مستشارين عسكريين إلى %s",
			"اتهمت %s %s بالتدخل", "طلبت %s مساعدة %s", "دعمت %s %s"},
		solos:   []string{"نشرت %s قوات قرب الحدود", "أجرت %s مناورات عسكرية مشتركة", "نفت %s هذه التقارير", "استدعت %s سفيرها"},
		fillers: []string{"وتناولت المحادثات التعاون الأمني والوضع في منطقة الساحل.", "ولم يقدم المسؤولون مزيدا من التفاصيل.", "ويرى محللون أن هذه الخطوة تعكس إعادة تموضع إقليمي.", "ونشرت وزارة الخارجية البيان على موقعها الرسمي.", "وشهدت المبادلات التجارية بين البلدين نموا مطردا."},
		months:  []string{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
		title:   "%s و%s: %s",
		topics:  []string{"اتفاق أمني جديد", "محادثات حول الطاقة", "تصاعد التوتر", "تعاون عسكري متزايد"},
		where:   "%s في %s في %s %d",
		say:     []string{"%s، وفق ما صرح به مسؤول رفيع.", "%s، بحسب مصدر أمني طلب عدم الكشف عن هويته.", "%s، حسب ما أوردته الصحيفة.", "%s، وتشير مصادر استخباراتية إلى ذلك."},
	},
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

type article struct {
	lang      lang
	title     string
	date      time.Time
	outlet    string
	author    string
	paragraph []string
}

var outlets = []string{"The Maghreb Observer", "Sahel Daily", "Mediterranean Wire", "Le Courrier d'Afrique du Nord", "الشرق اليوم", "North Africa Monitor"}

func (g *Generator) rng(i int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.Seed), uint64(i)*0x9e3779b97f4a7c15+1))
}

func (g *Generator) article(i int) article {
	r := g.rng(i)
	l := langs[weighted(r, []int{60, 15, 25})]
	a1, a2 := pick(r, l.actors), pick(r, l.actors)
	for a2 == a1 {
		a2 = pick(r, l.actors)
	}
	art := article{
		lang:   l,
		title:  fmt.Sprintf(l.title, capitalize(a1), a2, pick(r, l.topics)),
		date:   time.Date(2015+r.IntN(11), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), 0, 0, time.UTC),
		outlet: pick(r, outlets),
		author: pick(r, []string{"Staff writer", "Amina Belkacem", "John Carter", "Claire Dubois", "كريم بن علي"}),
	}
	for p := range 4 + r.IntN(8) {
		var sents []string
		for range 2 + r.IntN(4) {
			x, y := pick(r, l.actors), pick(r, l.actors)
			var s string
			switch r.IntN(5) {
			case 0, 1:
				s = fmt.Sprintf(pick(r, l.verbs), x, y)
				if r.IntN(3) == 0 {
					s = fmt.Sprintf(l.where, s, pick(r, l.places), pick(r, l.months), 2010+r.IntN(15))
				}
				s = capitalize(s) + "."
			case 2:
				s = capitalize(fmt.Sprintf(pick(r, l.solos), x)) + "."
			case 3:
				s = fmt.Sprintf(pick(r, l.say), capitalize(fmt.Sprintf(pick(r, l.verbs), x, y)))
			default:
				s = pick(r, l.fillers)
			}
			sents = append(sents, s)
		}
		if p == 0 {
			sents[0] = capitalize(fmt.Sprintf(pick(r, l.verbs), a1, a2)) + "."
		}
		art.paragraph = append(art.paragraph, strings.Join(sents, " "))
	}
	return art
}

func weighted(r *rand.Rand, w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := r.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}

// Doc returns document i: an article rendered as clean text (40%), an HTML page (40%) or a
// browser scrape (20%). Some documents are near duplicates of an earlier one.
func (g *Generator) Doc(i int) Doc {
	r := g.rng(i)
	src := i
	near := i > 10 && r.Float64() < g.NearDupRate
	if near {
		src = r.IntN(i)
	}
	art := g.article(src)
	if near {
		art.paragraph = append(append([]string(nil), art.paragraph...), pick(r, art.lang.fillers))
	}
	switch weighted(r, []int{40, 40, 20}) {
	case 0:
		return Doc{Name: fmt.Sprintf("%06d.txt", i), Raw: []byte(art.text())}
	case 1:
		return Doc{Name: fmt.Sprintf("%06d.html", i), Raw: []byte(art.html(r))}
	default:
		return Doc{Name: fmt.Sprintf("%06d.txt", i), Raw: []byte(art.scrape(r))}
	}
}

func (a article) text() string {
	return a.title + "\n\n" + strings.Join(a.paragraph, "\n\n") + "\n"
}

func (a article) html(r *rand.Rand) string {
	var b strings.Builder
	dir := "ltr"
	if a.lang.code == "ar" {
		dir = "rtl"
	}
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="%s" dir="%s"><head><meta charset="utf-8"><title>%s | %s</title>`, a.lang.code, dir, esc(a.title), esc(a.outlet))
	fmt.Fprintf(&b, `<meta property="og:site_name" content="%s"><meta property="article:published_time" content="%s"><meta name="author" content="%s"></head><body>`,
		esc(a.outlet), a.date.Format(time.RFC3339), esc(a.author))
	b.WriteString(`<header><nav><ul>`)
	for _, s := range []string{"Home", "World", "Politics", "Economy", "Opinion", "Video", "Contact"} {
		fmt.Fprintf(&b, `<li><a href="/%s">%s</a></li>`, strings.ToLower(s), s)
	}
	b.WriteString(`</ul></nav></header><main><article>`)
	fmt.Fprintf(&b, `<h1>%s</h1><p class="byline">By %s · <time datetime="%s">%s</time></p>`, esc(a.title), esc(a.author), a.date.Format(time.RFC3339), a.date.Format("2 January 2006"))
	for i, p := range a.paragraph {
		fmt.Fprintf(&b, "<p>%s</p>\n", esc(p))
		if i == 1 {
			fmt.Fprintf(&b, `<aside class="related"><h3>Related</h3><ul><li><a href="/x%d">%s</a></li></ul></aside>`, r.IntN(1000), esc(pick(r, a.lang.topics)))
		}
	}
	b.WriteString(`</article></main><aside class="sidebar"><h3>Most read</h3><ol>`)
	for range 5 {
		fmt.Fprintf(&b, `<li><a href="/y%d">%s</a></li>`, r.IntN(1000), esc(pick(r, a.lang.topics)))
	}
	fmt.Fprintf(&b, `</ol></aside><footer><p>© %d %s. All rights reserved.</p><a href="/privacy">Privacy</a></footer></body></html>`, 2025, esc(a.outlet))
	return b.String()
}

func (a article) scrape(r *rand.Rand) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", a.outlet)
	for _, s := range []string{"News", "Politics", "Economy", "Sports", "Opinion", "Videos"} {
		fmt.Fprintf(&b, "  • %s\n", s)
	}
	b.WriteString("BREAKING\n")
	for range 3 {
		fmt.Fprintf(&b, "%s\n", capitalize(fmt.Sprintf(pick(r, a.lang.verbs), pick(r, a.lang.actors), pick(r, a.lang.actors))))
	}
	fmt.Fprintf(&b, "\n%s\n\n  • By %s\n  • %s\n\n", a.title, a.author, a.date.Format("2 Jan 2006 15:04"))
	for i, p := range a.paragraph {
		fmt.Fprintf(&b, "%s\n\n", p)
		if i == 1 {
			fmt.Fprintf(&b, "Read more: %s\n\n", capitalize(pick(r, a.lang.topics)))
		}
	}
	b.WriteString("Most Read\n\n")
	for range 4 {
		fmt.Fprintf(&b, "%s\n\n  • Politics\n  • %s\n", capitalize(pick(r, a.lang.topics)), a.date.AddDate(0, 0, r.IntN(30)).Format("2 Jan 2006"))
	}
	fmt.Fprintf(&b, "\n%s\nAll Rights Reserved\n  • Privacy Policy\n  • About Us\n", a.outlet)
	return b.String()
}

func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// WriteDir writes documents [0, n) into dir (created if needed) and returns the bytes written.
func (g *Generator) WriteDir(dir string, n int) (int64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	var total int64
	for i := range n {
		d := g.Doc(i)
		if err := os.WriteFile(filepath.Join(dir, d.Name), d.Raw, 0o644); err != nil {
			return total, err
		}
		total += int64(len(d.Raw))
	}
	return total, nil
}
