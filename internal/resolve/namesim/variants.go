package namesim

import (
	_ "embed"
	"strings"

	"github.com/mizan-osint/mizan/internal/textnorm"
)

// variants.txt lists spellings of common given names that no spelling rule relates (Muhammad and
// Mohamed differ in vowels the skeleton keeps apart from Mahmoud only by Jaro-Winkler), one
// group per line, separated by "|". Data, not code: extend it rather than add rules.
//
//go:embed variants.txt
var variantsFile string

var (
	groups    = map[string]string{} // word key → group (the key of the group's first spelling)
	groupSkel = map[string]string{} // group → the skeleton all its spellings share as a blocking key
)

func init() {
	for _, line := range strings.Split(variantsFile, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var head string
		for _, v := range strings.Split(line, "|") {
			k := textnorm.Key(strings.TrimSpace(v))
			if k == "" || strings.Contains(k, " ") {
				continue
			}
			if head == "" {
				head = k
				groupSkel[head] = Skeleton(k)
			}
			if _, dup := groups[k]; !dup {
				groups[k] = head
			}
		}
	}
}

func groupOf(key string) string { return groups[key] }
