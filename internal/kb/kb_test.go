package kb

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
)

// mustDefault returns a fresh copy of the embedded KB.
func mustDefault(tb testing.TB) *KB {
	tb.Helper()
	k, err := Default()
	if err != nil {
		tb.Fatalf("Default: %v", err)
	}
	return k
}

func ids(es []*mizan.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func date(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestLookup(t *testing.T) {
	k := mustDefault(t)
	tests := []struct {
		name string
		want []string // the first len(want) results, in order
	}{
		// Countries across languages, spellings and kinds of name.
		{"Algeria", []string{"gpe/dz"}},
		{"Algérie", []string{"gpe/dz"}},
		{"algerie", []string{"gpe/dz"}},
		{"الجزائر", []string{"gpe/dz"}},
		{"والجزائر", []string{"gpe/dz"}},
		{"للجزائر", []string{"gpe/dz"}},
		{"Алжир", []string{"gpe/dz"}},
		{"Algerian", []string{"gpe/dz"}},
		{"Algerians", []string{"gpe/dz"}},
		{"algérienne", []string{"gpe/dz"}},
		{"algériennes", []string{"gpe/dz"}},
		{"جزائري", []string{"gpe/dz"}},
		{"الجزائريين", []string{"gpe/dz"}},
		{"جزائرية", []string{"gpe/dz"}},
		// A capital is first the city, then (as a metonym) the state.
		{"Algiers", []string{"loc/algiers", "gpe/dz"}},
		{"Alger", []string{"loc/algiers", "gpe/dz"}},
		{"Moscow", []string{"loc/moscow", "gpe/ru"}},
		{"موسكو", []string{"loc/moscow", "gpe/ru"}},
		{"Tehran", []string{"loc/tehran", "gpe/ir"}},
		{"طهران", []string{"loc/tehran", "gpe/ir"}},
		// Aliases and abbreviations.
		{"US", []string{"gpe/us"}},
		{"U.S.", []string{"gpe/us"}},
		{"USA", []string{"gpe/us"}},
		{"the United States", []string{"gpe/us"}},
		{"America", []string{"gpe/us"}},
		{"الولايات المتحدة الأمريكية", []string{"gpe/us"}},
		{"أمريكا", []string{"gpe/us"}},
		{"UK", []string{"gpe/gb"}},
		{"Britain", []string{"gpe/gb"}},
		{"Russian Federation", []string{"gpe/ru"}},
		{"روسيا الاتحادية", []string{"gpe/ru"}},
		{"Islamic Republic of Iran", []string{"gpe/ir"}},
		{"إيران", []string{"gpe/ir"}},
		{"DRC", []string{"gpe/cd"}},
		{"Turkey", []string{"gpe/tr"}},
		{"Türkiye", []string{"gpe/tr"}},
		{"Côte d’Ivoire", []string{"gpe/ci"}},
		// Places.
		{"Tindouf", []string{"loc/tindouf"}},
		{"تندوف", []string{"loc/tindouf"}},
		{"Oran", []string{"loc/oran"}},
		{"وهران", []string{"loc/oran"}},
		{"Tamanrasset", []string{"loc/tamanrasset"}},
		{"تمنراست", []string{"loc/tamanrasset"}},
		{"Bordj Badji Mokhtar", []string{"loc/bordj-badji-mokhtar"}},
		{"برج باجي مختار", []string{"loc/bordj-badji-mokhtar"}},
		{"Western Sahara", []string{"gpe/eh"}},
		{"الصحراء الغربية", []string{"gpe/eh"}},
		{"Sahel", []string{"loc/sahel"}},
		{"الساحل", []string{"loc/sahel"}},
		{"Kabylie", []string{"loc/kabylie"}},
		{"Gaza", []string{"loc/gaza-strip"}},
		{"غزة", []string{"loc/gaza-strip"}},
		// Organisations and their acronyms in each language.
		{"UN", []string{"org/un"}},
		{"ONU", []string{"org/un"}},
		{"الأمم المتحدة", []string{"org/un"}},
		{"Security Council", []string{"org/unsc"}},
		{"NATO", []string{"org/nato"}},
		{"OTAN", []string{"org/nato"}},
		{"الناتو", []string{"org/nato"}},
		{"حلف شمال الأطلسي", []string{"org/nato"}},
		{"EU", []string{"org/eu"}},
		{"UE", []string{"org/eu"}},
		{"الاتحاد الأوروبي", []string{"org/eu"}},
		{"BRICS", []string{"org/brics"}},
		{"People's National Army", []string{"org/dz-anp"}},
		{"الجيش الوطني الشعبي", []string{"org/dz-anp"}},
		{"DGDSE", []string{"org/dz-dgdse"}},
		{"Directorate of Documentation and External Security", []string{"org/dz-dgdse"}},
		{"IRGC", []string{"org/ir-irgc"}},
		{"الحرس الثوري الإيراني", []string{"org/ir-irgc"}},
		{"Quai d'Orsay", []string{"org/fr-mfa"}},
		// Groups.
		{"Hezbollah", []string{"group/hezbollah"}},
		{"Hizballah", []string{"group/hezbollah"}},
		{"حزب الله", []string{"group/hezbollah"}},
		{"لحزب الله", []string{"group/hezbollah"}},
		{"Polisario", []string{"group/polisario"}},
		{"Front Polisario", []string{"group/polisario"}},
		{"البوليساريو", []string{"group/polisario"}},
		{"Daesh", []string{"group/isis"}},
		{"داعش", []string{"group/isis"}},
		{"Ansar Allah", []string{"group/houthis"}},
		{"Wagner Group", []string{"group/wagner"}},
		// People under every spelling.
		{"Said Chengriha", []string{"person/said-chengriha"}},
		{"Saïd Chanegriha", []string{"person/said-chengriha"}},
		{"Chanegriha", []string{"person/said-chengriha"}},
		{"شنقريحة", []string{"person/said-chengriha"}},
		{"Sergey Lavrov", []string{"person/sergey-lavrov"}},
		{"Sergei Lavrov", []string{"person/sergey-lavrov"}},
		{"لافروف", []string{"person/sergey-lavrov"}},
		{"Abdelmadjid Tebboune", []string{"person/abdelmadjid-tebboune"}},
		{"تبون", []string{"person/abdelmadjid-tebboune"}},
		{"Nikolai Patrushev", []string{"person/nikolai-patrushev"}},
		{"باتروشيف", []string{"person/nikolai-patrushev"}},
		{"M'henna Djebbar", []string{"person/mhenna-djebbar"}},
		{"M’henna Djebbar", []string{"person/mhenna-djebbar"}},
		{"Djebbar Mehenna", []string{"person/mhenna-djebbar"}},
		{"Mohamed Mediene", []string{"person/mohamed-mediene"}},
		{"Bashar al-Assad", []string{"person/bashar-al-assad"}},
		// Nothing.
		{"Atlantis", nil},
		{"", nil},
		{"...", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(k.Lookup(tt.name))
			if len(tt.want) == 0 {
				if len(got) != 0 {
					t.Errorf("Lookup(%q) = %v, want nothing", tt.name, got)
				}
				return
			}
			if len(got) < len(tt.want) || !slices.Equal(got[:len(tt.want)], tt.want) {
				t.Errorf("Lookup(%q) = %v, want %v first", tt.name, got, tt.want)
			}
		})
	}
}

func TestHolder(t *testing.T) {
	k := mustDefault(t)
	tests := []struct {
		office, at, want string // want "" = nobody
	}{
		{"dz/president", "2020-06-01", "person/abdelmadjid-tebboune"},
		{"dz/president", "2019-12-19", "person/abdelmadjid-tebboune"},
		{"dz/president", "2019-12-18", "person/abdelkader-bensalah"},
		{"dz/president", "2010-01-01", "person/abdelaziz-bouteflika"},
		{"dz/president", "2019-04-05", ""}, // between Bouteflika's resignation and Bensalah
		{"dz/president", "1990-01-01", ""},
		{"dz/chief-of-staff", "2022-11-01", "person/said-chengriha"},
		{"dz/chief-of-staff", "2019-06-01", "person/ahmed-gaid-salah"},
		{"dz/foreign-minister", "2022-01-01", "person/ramtane-lamamra"},
		{"dz/foreign-minister", "2023-06-01", "person/ahmed-attaf"},
		{"dz/foreign-minister", "2020-01-01", "person/sabri-boukadoum"},
		{"dz/dgdse-director", "2023-01-01", "person/mhenna-djebbar"},
		{"ru/security-council-secretary", "2022-12-21", "person/nikolai-patrushev"},
		{"ru/security-council-secretary", "2024-06-01", "person/sergei-shoigu"},
		{"ru/foreign-minister", "2022-05-26", "person/sergey-lavrov"},
		{"ru/president", "2010-01-01", "person/dmitry-medvedev"},
		{"ru/president", "2022-01-01", "person/vladimir-putin"},
		{"sy/president", "2024-12-07", "person/bashar-al-assad"},
		{"sy/president", "2024-12-09", "person/ahmed-al-sharaa"},
		{"us/president", "2019-01-01", "person/donald-trump"},
		{"us/president", "2023-01-01", "person/joe-biden"},
		{"us/secretary-of-state", "2025-03-01", "person/marco-rubio"},
		{"ir/president", "2024-06-01", "person/mohammad-mokhber"},
		{"un/secretary-general", "2020-01-01", "person/antonio-guterres"},
		{"no/such-office", "2020-01-01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.office+"@"+tt.at, func(t *testing.T) {
			o, ok := k.Holder(tt.office, date(t, tt.at))
			got := ""
			if ok {
				got = o.Holder
			}
			if got != tt.want {
				t.Errorf("Holder(%s, %s) = %q, want %q", tt.office, tt.at, got, tt.want)
			}
			if ok && (o.ID != tt.office || o.Title == "" || o.Entity == "") {
				t.Errorf("Holder(%s, %s) = %+v, want id, title and entity set", tt.office, tt.at, o)
			}
		})
	}
}

func TestOffices(t *testing.T) {
	k := mustDefault(t)
	var got []string
	for _, o := range k.OfficesOf("person/said-chengriha") {
		got = append(got, o.ID)
	}
	if want := []string{"dz/chief-of-staff", "dz/minister-delegate-defence"}; !slices.Equal(got, want) {
		t.Errorf("OfficesOf(chengriha) = %v, want %v", got, want)
	}
	got = nil
	for _, o := range k.OfficesOf("person/ramtane-lamamra") {
		got = append(got, fmt.Sprintf("%s %s", o.ID, formatDate(o.Start)))
	}
	if want := []string{"dz/foreign-minister 2013-09-01", "dz/foreign-minister 2021-07-01"}; !slices.Equal(got, want) {
		t.Errorf("OfficesOf(lamamra) = %v, want %v", got, want)
	}
	offices := map[string]bool{}
	for _, o := range k.Offices("gpe/dz") {
		if o.Entity != "gpe/dz" {
			t.Errorf("Offices(gpe/dz) has %s of %s", o.ID, o.Entity)
		}
		offices[o.ID] = true
	}
	for _, id := range []string{"dz/president", "dz/prime-minister", "dz/foreign-minister", "dz/chief-of-staff"} {
		if !offices[id] {
			t.Errorf("Offices(gpe/dz) lacks %s", id)
		}
	}
	if ts := k.Office("dz/foreign-minister"); len(ts) < 4 || ts[len(ts)-1].Holder != "person/ahmed-attaf" {
		t.Errorf("Office(dz/foreign-minister) = %v, want tenures ending with Attaf", ts)
	}
}

func TestRoles(t *testing.T) {
	k := mustDefault(t)
	byKey := map[string][]string{}
	for _, r := range k.Roles() {
		if r.Key == "" || r.Key != Key(r.Text) || r.Office == "" || r.Entity == "" {
			t.Errorf("bad role ref %+v", r)
		}
		byKey[r.Key] = append(byKey[r.Key], r.Office)
	}
	tests := []struct{ text, office string }{
		{"the Algerian Foreign Minister", "dz/foreign-minister"},
		{"Algerian Foreign Minister", "dz/foreign-minister"},
		{"Algeria's foreign minister", "dz/foreign-minister"},
		{"وزير الخارجية الجزائري", "dz/foreign-minister"},
		{"le ministre algérien des Affaires étrangères", "dz/foreign-minister"},
		{"chef de la diplomatie algérienne", "dz/foreign-minister"},
		{"Russian Security Council Secretary", "ru/security-council-secretary"},
		{"أمين مجلس الأمن الروسي", "ru/security-council-secretary"},
		{"UN Secretary-General", "un/secretary-general"},
		{"العاهل المغربي", "ma/king"},
		{"رئيس أركان الجيش الوطني الشعبي", "dz/chief-of-staff"},
	}
	for _, tt := range tests {
		key := Key(tt.text)
		// Articles are left out of role names: "the"/"le" need not be part of a match.
		key = strings.TrimPrefix(strings.TrimPrefix(key, "the "), "le ")
		if !slices.Contains(byKey[key], tt.office) {
			t.Errorf("role %q: got offices %v, want %s", tt.text, byKey[key], tt.office)
		}
	}
}

func TestNames(t *testing.T) {
	k := mustDefault(t)
	names := k.Names()
	seen := map[string]bool{}
	for _, n := range names {
		if n.Key == "" || n.Key != Key(n.Text) || n.Entity == "" || n.Type == "" || n.Kind == "" {
			t.Fatalf("bad name ref %+v", n)
		}
		seen[n.Entity+" "+string(n.Kind)+" "+n.Lang+" "+n.Key] = true
	}
	for _, want := range []string{
		"gpe/dz capital en " + Key("Algiers"),
		"gpe/dz demonym fr " + Key("algérienne"),
		"gpe/dz canonical ar " + Key("الجزائر"),
		"loc/algiers canonical en " + Key("Algiers"),
		"org/nato abbrev fr " + Key("OTAN"),
	} {
		if !seen[want] {
			t.Errorf("Names lacks %q", want)
		}
	}
}

// TestDefaultCopies checks that each Default call returns an independent KB.
func TestDefaultCopies(t *testing.T) {
	a, b := mustDefault(t), mustDefault(t)
	dz, _ := a.Entity("gpe/dz")
	before := len(dz.Names)
	rep, err := a.Import(strings.NewReader("id,type,name,lang\ngpe/dz,GPE,Dzayer,en\n"), "csv", "t")
	if err != nil || rep.Merged != 1 {
		t.Fatalf("Import = %+v, %v; want one merge", rep, err)
	}
	if got := ids(a.Lookup("Dzayer")); !slices.Equal(got, []string{"gpe/dz"}) {
		t.Errorf("a.Lookup(Dzayer) = %v, want [gpe/dz]", got)
	}
	if got := b.Lookup("Dzayer"); len(got) != 0 {
		t.Errorf("b.Lookup(Dzayer) = %v, want nothing: imports leak between Default copies", ids(got))
	}
	if len(dz.Names) != before {
		t.Errorf("an entity handed out before the import changed: %d names, want %d", len(dz.Names), before)
	}
}

func TestMerge(t *testing.T) {
	a := mustDefault(t)
	b, err := Load(strings.NewReader(`
entities:
  - {id: person/x-example, type: PERSON, names: {en: X Example}}
  - {id: gpe/dz, type: GPE, names: {en: Algeria}, aliases: {en: [Numidia]}}
  - {id: group/polisario-2, type: GROUP, names: {en: Polisario Front}, aliases: {en: [Frente Polisario]}}
offices:
  - {id: xx/example, entity: gpe/dz, title: Example, holders: [{holder: person/x-example, start: 2020}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	n := a.Len()
	a.Merge(b)
	if got, want := a.Len(), n+1; got != want {
		t.Errorf("Len after Merge = %d, want %d (x-example added, the others merged)", got, want)
	}
	if got := ids(a.Lookup("Numidia")); !slices.Equal(got, []string{"gpe/dz"}) {
		t.Errorf("Lookup(Numidia) = %v, want [gpe/dz]", got)
	}
	if got := ids(a.Lookup("Frente Polisario")); !slices.Equal(got, []string{"group/polisario"}) {
		t.Errorf("Lookup(Frente Polisario) = %v, want [group/polisario]", got)
	}
	if o, ok := a.Holder("xx/example", date(t, "2021-01-01")); !ok || o.Holder != "person/x-example" {
		t.Errorf("Holder(xx/example) = %v, %v; want person/x-example", o, ok)
	}
	a.Merge(a) // merging a KB into itself changes nothing
	if got, want := a.Len(), n+1; got != want {
		t.Errorf("Len after self-Merge = %d, want %d", got, want)
	}
}

// TestRoundTrip writes the default KB as YAML and loads it back.
func TestRoundTrip(t *testing.T) {
	k := mustDefault(t)
	var buf bytes.Buffer
	if err := k.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	k2, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("Load(WriteYAML(Default)): %v", err)
	}
	a, b := k.Entities(""), k2.Entities("")
	if len(a) != len(b) {
		t.Fatalf("round trip: got %d entities, want %d", len(b), len(a))
	}
	for i := range a {
		if fmt.Sprint(*a[i]) != fmt.Sprint(*b[i]) {
			t.Errorf("round trip changed %s:\ngot  %v\nwant %v", a[i].ID, *b[i], *a[i])
			break
		}
	}
	if got, want := fmt.Sprint(k2.Offices("gpe/dz")), fmt.Sprint(k.Offices("gpe/dz")); got != want {
		t.Errorf("round trip changed offices of gpe/dz:\ngot  %s\nwant %s", got, want)
	}
	if got, want := len(k2.Roles()), len(k.Roles()); got != want {
		t.Errorf("round trip: got %d role names, want %d", got, want)
	}
	var buf2 bytes.Buffer
	if err := k2.WriteYAML(&buf2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
		t.Errorf("WriteYAML(Load(WriteYAML(k))) differs from WriteYAML(k)")
	}
}

// TestConcurrentUse reads while another goroutine imports; run with -race to check locking.
func TestConcurrentUse(t *testing.T) {
	k := mustDefault(t)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 50 {
				if got := k.Lookup("Algeria"); len(got) == 0 {
					t.Errorf("reader %d: Lookup(Algeria) found nothing", i)
					return
				}
				if j%10 == 0 {
					_ = k.Names()
					_, _ = k.Holder("dz/president", time.Now())
				}
			}
		})
	}
	wg.Go(func() {
		for j := range 20 {
			csv := fmt.Sprintf("id,type,name\nperson/c-%d,PERSON,Concurrent Person %d\n", j, j)
			if _, err := k.Import(strings.NewReader(csv), "csv", "concurrent"); err != nil {
				t.Errorf("Import: %v", err)
			}
		}
	})
	wg.Wait()
	if got := ids(k.Lookup("Concurrent Person 19")); !slices.Equal(got, []string{"person/c-19"}) {
		t.Errorf("Lookup(Concurrent Person 19) = %v, want [person/c-19]", got)
	}
}
