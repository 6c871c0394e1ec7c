package entity

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
)

func TestCueFiles(t *testing.T) {
	sets, err := loadCues()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "fr", "ar"} {
		s := sets[lang]
		if s == nil {
			t.Fatalf("no cues for %s", lang)
		}
		for _, k := range []cueKind{cueTitle, cueStop, cueByline, cueCredit, cueSourceBefore, cuePlaceBefore, cueYearBefore} {
			n := 0
			for _, c := range s.cues {
				if c.kind == k {
					n++
				}
			}
			if n == 0 {
				t.Errorf("%s: no %s cue", lang, cueKindNames[k])
			}
		}
	}
	// Keys fold case, accents and Arabic proclitics, so one spelling of a cue is enough.
	tests := []struct {
		lang, word string
		kind       cueKind
	}{
		{"en", "PRESIDENT", cueTitle},
		{"fr", "Général", cueTitle},
		{"fr", "general", cueTitle},
		{"ar", "والرئيس", cueTitle},
		{"ar", "للرئيس", cueTitle},
		{"ar", "في", cueStop},
	}
	for _, tt := range tests {
		if k := cueKeys(tt.word); len(k) != 1 || !sets[tt.lang].is(tt.kind, k[0]) {
			t.Errorf("%s %q: got keys %q, not a %s cue", tt.lang, tt.word, k, cueKindNames[tt.kind])
		}
	}
}

func TestParseCues(t *testing.T) {
	cs, err := parseCues(strings.NewReader("\ufeff# c\n[title PERSON]\nGen.\nFor its part\n\n[stop]\nThe\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, cueKindNames[c.kind]+":"+string(c.typ)+":"+strings.Join(c.keys, "+"))
	}
	want := "title:PERSON:gen title:PERSON:for+its+part stop::the"
	if strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
	bad := []struct{ name, in string }{
		{"phrase before a section", "President\n"},
		{"unclosed header", "[title PERSON\nX\n"},
		{"unknown kind", "[titles]\nX\n"},
		{"unknown type", "[title PEOPLE]\nX\n"},
		{"title without a type", "[title]\nX\n"},
		{"three fields", "[title PERSON x]\nX\n"},
		{"empty header", "[]\n"},
		{"no word", "[stop]\n...\n"},
		{"too many words", "[stop]\n" + strings.Repeat("w ", maxCueWords+1) + "\n"},
		{"line too long", "[stop]\n" + strings.Repeat("w", maxCueLine+1) + "\n"},
	}
	for _, tt := range bad {
		if _, err := parseCues(strings.NewReader(tt.in)); mizan.ErrorCode(err) != mizan.EINVALID {
			t.Errorf("%s: got %v, want an %s error", tt.name, err, mizan.EINVALID)
		}
	}
}

func FuzzParseCues(f *testing.F) {
	files, _ := filepath.Glob("cues/*.txt")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, in string) {
		cs, err := parseCues(strings.NewReader(in))
		if err != nil {
			if mizan.ErrorCode(err) != mizan.EINVALID {
				t.Fatalf("got error %v, want an %s error", err, mizan.EINVALID)
			}
			return
		}
		for _, c := range cs {
			if len(c.keys) == 0 || len(c.keys) > maxCueWords || c.kind >= numCueKinds {
				t.Fatalf("got cue %+v", c)
			}
		}
		compileCues(cs) // must not panic
	})
}

func TestDiscoveredID(t *testing.T) {
	tests := []struct {
		typ  mizan.EntityType
		name string
		want string
	}{
		{mizan.PERSON, "Leila Zaruki", "person/leila-zaruki"},
		{mizan.PERSON, "  Leïla   ZARUKI ", "person/leila-zaruki"},
		{mizan.PERSON, "M'henna Djebbar", "person/m-henna-djebbar"},
		{mizan.ORG, "Al-Shorouk", "org/al-shorouk"},
		{mizan.ORG, "Algeria’s Advanced Warfighting School", "org/algeria-s-advanced-warfighting-school"},
		{mizan.GROUP, "Kata'ib Hezbollah", "group/kata-ib-hezbollah"},
		// Arabic: romanised, with a hash of the key; spelling variants share the key.
		{mizan.PERSON, "ليلى زروقي", "person/lyly-zrwqy-" + hashOf("ليلي زروقي")},
		{mizan.PERSON, "لَيْلى زروقي", "person/lyly-zrwqy-" + hashOf("ليلي زروقي")},
		{mizan.ORG, "حركة النهضة", "org/hrkh-nhdh-" + hashOf("حركه نهضه")},
		// Other scripts: the hash alone.
		{mizan.PERSON, "Сергей", "person/" + hashOf("сергей")},
	}
	for _, tt := range tests {
		if got := DiscoveredID(tt.typ, tt.name); got != tt.want {
			t.Errorf("DiscoveredID(%s, %q): got %q, want %q", tt.typ, tt.name, got, tt.want)
		}
	}
	long := DiscoveredID(mizan.ORG, strings.Repeat("Committee ", 20))
	if len(long) > len("org/")+maxSlug+9 || !strings.HasPrefix(long, "org/committee-committee") {
		t.Errorf("got %q for a long name, want a cut slug with a hash", long)
	}
}

// hashOf is the hash suffix DiscoveredID appends for a key: the first 8 hex digits of its
// SHA-256.
func hashOf(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:4])
}
