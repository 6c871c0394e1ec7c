package timex_test

import (
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp/timex"
)

func mustNormalizer(tb testing.TB) *timex.Normalizer {
	tb.Helper()
	n, err := timex.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func date(y, m, d int) *time.Time {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return &t
}

// feb27 is the date of an article published on 27 February 2023 (a Monday).
var feb27 = timex.Ref{Time: date(2023, 2, 27), Precision: mizan.PrecisionMinute}

// format renders a resolved expression as "text|start|end|precision" with dates as YYYY-MM-DD.
func format(e mizan.TimeExpr) string {
	f := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.Format("2006-01-02")
	}
	return e.Text + "|" + f(e.Start) + "|" + f(e.End) + "|" + string(e.Precision)
}

func TestNormalize(t *testing.T) {
	undated := timex.Ref{}
	monthOnly := timex.Ref{Time: date(2023, 2, 1), Precision: mizan.PrecisionMonth}
	planned := feb27
	planned.Future = true
	tests := []struct {
		lang, text string
		ref        timex.Ref
		want       string
	}{
		// English: the brief's cases.
		{"en", "In early November, the ministry filed a request", feb27, "early November|2022-11-01|2022-12-01|month"},
		{"en", "a closed session took place last Wednesday at the ministry", feb27, "last Wednesday|2023-02-22|2023-02-23|day"},
		{"en", "a closed session took place last Wednesday at the ministry", undated, "last Wednesday|-|-|relative"},
		{"en", "The delegation toured the port at the end of 2024.", undated, "at the end of 2024|2024-10-01|2025-01-01|range"},
		{"en", "officials asked for training in the fall of 2022 and then", undated, "fall of 2022|2022-09-01|2022-12-01|season"},
		{"en", "visible in recent years, has drawn", feb27, "in recent years|2020-01-01|2023-02-28|range"},
		{"en", "visible in recent years, has drawn", undated, "in recent years|-|-|relative"},
		{"en", "The minister arrived yesterday.", feb27, "yesterday|2023-02-26|2023-02-27|day"},
		{"en", "The minister arrived yesterday.", monthOnly, "yesterday|-|-|relative"},
		{"en", "drills are set for next November near the coast", feb27, "next November|2023-11-01|2023-12-01|month"},
		{"en", "Earlier this year, the military established a zone", feb27, "Earlier this year|2023-01-01|2023-02-28|range"},
		{"en", "a team flew to Oman in November 2022.", undated, "November 2022|2022-11-01|2022-12-01|month"},
		{"en", "the treaty signed on September 16, 2022, in the capital", undated, "September 16, 2022|2022-09-16|2022-09-17|day"},
		{"en", "The line reportedly went silent on December 7th, and then", undated, "December 7th|-|-|relative"},
		{"en", "The line reportedly went silent on December 7th, and then", feb27, "December 7th|2022-12-07|2022-12-08|day"},
		{"en", "Cairo, Egypt, Wednesday, Dec. 21, 2022 (photo)", undated, "Wednesday, Dec. 21, 2022|2022-12-21|2022-12-22|day"},
		{"en", "In 2024, the minister described", undated, "2024|2024-01-01|2025-01-01|year"},
		{"en", "the 2001 accord that still shapes relations", undated, ""},
		{"en", "sent 2000 soldiers to the border", undated, ""},
		{"en", "the revolution of 1979.", undated, "1979|1979-01-01|1980-01-01|year"},
		{"en", "a summit in Cairo in April 2022, at which", undated, "April 2022|2022-04-01|2022-05-01|month"},
		{"en", "In early June, the cabinet reshuffled its ministers", undated, "early June|-|-|relative"},
		{"en", "Tunisia plans to hold naval drills with Italy in November.", planned, "November|2023-11-01|2023-12-01|month"},
		{"en", "They held talks in November.", feb27, "November|2022-11-01|2022-12-01|month"},
		{"en", "the talks two weeks ago", feb27, "two weeks ago|2023-02-13|2023-02-20|range"},
		{"en", "the talks 3 days ago", feb27, "3 days ago|2023-02-24|2023-02-25|day"},
		{"en", "last year the ministers met", feb27, "last year|2022-01-01|2023-01-01|year"},
		{"en", "by the end of the year", feb27, "by the end of the year|2023-10-01|2024-01-01|range"},
		{"en", "since 2019 relations have grown", feb27, "since 2019|2019-01-01|2023-02-28|range"},
		{"en", "in the 1990s the war", undated, "1990s|1990-01-01|2000-01-01|range"},
		{"en", "last summer the army", feb27, "last summer|2022-06-01|2022-09-01|season"},
		{"en", "He may visit Algiers soon.", feb27, ""},
		{"en", "They will meet in May.", feb27, "May|2022-05-01|2022-06-01|month"},
		{"en", "mid-2023 elections", undated, "mid-2023|2023-05-01|2023-09-01|range"},
		{"en", "the summit on 2023-03-05 ended", undated, "2023-03-05|2023-03-05|2023-03-06|day"},
		{"en", "He met them on Wednesday.", feb27, "Wednesday|2023-02-22|2023-02-23|day"},
		{"en", "They marched every Friday in 2019.", undated, "2019|2019-01-01|2020-01-01|year"},
		{"ar", "يتظاهرون كل جمعة", feb27, ""},
		// French.
		{"fr", "Une réunion secrète s'est tenue mercredi dernier à Alger.", feb27, "mercredi dernier|2023-02-22|2023-02-23|day"},
		{"fr", "Une réunion secrète s'est tenue mercredi dernier à Alger.", undated, "mercredi dernier|-|-|relative"},
		{"fr", "des conseillers iraniens ont visité Alger fin 2024", undated, "fin 2024|2024-10-01|2025-01-01|range"},
		{"fr", "à la fin de 2024, les conseillers", undated, "à la fin de 2024|2024-10-01|2025-01-01|range"},
		{"fr", "Le ministre est arrivé hier à Alger.", feb27, "hier|2023-02-26|2023-02-27|day"},
		{"fr", "à l'automne 2022, les autorités iraniennes", undated, "à l'automne 2022|2022-09-01|2022-12-01|season"},
		{"fr", "Début novembre, l'Algérie a déposé sa candidature", feb27, "Début novembre|2022-11-01|2022-12-01|month"},
		{"fr", "le 16 septembre 2022, après son arrestation", undated, "16 septembre 2022|2022-09-16|2022-09-17|day"},
		{"fr", "en novembre prochain dans le désert", feb27, "novembre prochain|2023-11-01|2023-12-01|month"},
		{"fr", "l'année dernière, les deux pays", feb27, "année dernière|2022-01-01|2023-01-01|year"},
		{"fr", "ces dernières années, le rapprochement", feb27, "ces dernières années|2020-01-01|2023-02-28|range"},
		{"fr", "plus tôt cette année, l'armée", feb27, "plus tôt cette année|2023-01-01|2023-02-28|range"},
		{"fr", "il y a trois jours, le ministre", feb27, "il y a trois jours|2023-02-24|2023-02-25|day"},
		{"fr", "à la mi-juin 2022", undated, "à la mi-juin 2022|2022-06-01|2022-07-01|month"},
		{"fr", "en 2024, le ministre", undated, "2024|2024-01-01|2025-01-01|year"},
		{"fr", "une unité a été envoyée en novembre 2022", undated, "novembre 2022|2022-11-01|2022-12-01|month"},
		{"fr", "l'été 2022, les troupes", undated, "l'été 2022|2022-06-01|2022-09-01|season"},
		// Arabic.
		{"ar", "في نهاية عام 2024، زار وفد رسمي العاصمة", undated, "نهاية عام 2024|2024-10-01|2025-01-01|range"},
		{"ar", "عقد اجتماع سري يوم الأربعاء الماضي في مقر قيادة الأركان", feb27, "الأربعاء الماضي|2023-02-22|2023-02-23|day"},
		{"ar", "عقد اجتماع سري يوم الأربعاء الماضي في مقر قيادة الأركان", undated, "الأربعاء الماضي|-|-|relative"},
		{"ar", "وصل الوزير أمس إلى الجزائر", feb27, "أمس|2023-02-26|2023-02-27|day"},
		{"ar", "شهدت العلاقات خلال الأشهر الأخيرة تحولا ملحوظا", feb27, "الأشهر الأخيرة|2022-08-01|2023-02-28|range"},
		{"ar", "في أوائل نوفمبر، قدمت الجزائر طلبا", feb27, "أوائل نوفمبر|2022-11-01|2022-12-01|month"},
		{"ar", "في خريف 2022 طلبت السلطات الإيرانية", undated, "خريف 2022|2022-09-01|2022-12-01|season"},
		{"ar", "توفيت في 16 سبتمبر 2022 بعد اعتقالها", undated, "16 سبتمبر 2022|2022-09-16|2022-09-17|day"},
		{"ar", "في 2 تشرين الثاني 2022 وصل الوفد", undated, "2 تشرين الثاني 2022|2022-11-02|2022-11-03|day"},
		{"ar", "المناورات المقررة في نوفمبر المقبل", feb27, "نوفمبر المقبل|2023-11-01|2023-12-01|month"},
		{"ar", "التقى الوزيران العام الماضي", feb27, "العام الماضي|2022-01-01|2023-01-01|year"},
		{"ar", "في عام 2024 وصف وزير الخارجية", undated, "2024|2024-01-01|2025-01-01|year"},
		{"ar", "منذ أسبوعين التقى الوفدان", feb27, "منذ أسبوعين|2023-02-13|2023-02-20|range"},
		{"ar", "في السنوات الأخيرة تقاربت الجزائر وإيران", feb27, "السنوات الأخيرة|2020-01-01|2023-02-28|range"},
		{"ar", "ذكر أب الضحية أن", feb27, ""},
	}
	n := mustNormalizer(t)
	for _, tt := range tests {
		got := ""
		if e, ok := n.Normalize(tt.text, tt.lang, tt.ref); ok {
			got = format(e)
		}
		if got != tt.want {
			t.Errorf("%s %q (ref %v): got %q, want %q", tt.lang, tt.text, tt.ref.Time != nil, got, tt.want)
		}
	}
}
