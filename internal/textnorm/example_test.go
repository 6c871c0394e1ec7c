package textnorm_test

import (
	"fmt"
	"strings"

	"github.com/mizan-osint/mizan/internal/textnorm"
)

func ExampleTokens() {
	text := "قال وزير الخارجية إن والجزائر"
	for _, t := range textnorm.Tokens(text) {
		fmt.Printf("%s key=%s article=%s stem=%s\n", text[t.Start:t.End], t.Key, text[t.ArticleStart:t.End], text[t.StemStart:t.End])
	}
	// Output:
	// قال key=قال article=قال stem=قال
	// وزير key=وزير article=وزير stem=وزير
	// الخارجية key=خارجيه article=الخارجية stem=خارجية
	// إن key=ان article=إن stem=إن
	// والجزائر key=جزاير article=الجزائر stem=جزائر
}

func ExampleSearchText() {
	fmt.Println(textnorm.SearchText("Gen. Saïd Chengriha visited l'Algérie’s"))
	fmt.Println(textnorm.SearchText("وصل الرئيسُ إلى بالجزائر"))
	// Output:
	// gen said chengriha visited l algerie s
	// وصل رييس الي جزاير
}

func ExampleNormalize() {
	s := "L’ÉCOLE de Saïd"
	out, m := textnorm.Normalize(s, textnorm.DefaultOptions())
	fmt.Println(out)
	// The map leads from "said" in the normalised text back to the original word.
	i := strings.Index(out, "said")
	fmt.Println(s[m[i]:m[i+len("said")]])
	// Output:
	// l'ecole de said
	// Saïd
}

func ExampleStripClitics() {
	for _, w := range []string{"وبالجزائر", "للجزائر", "لبنان", "بيت"} {
		stem, n := textnorm.StripClitics(w)
		fmt.Println(w, stem, n)
	}
	// Output:
	// وبالجزائر جزائر 8
	// للجزائر جزائر 4
	// لبنان لبنان 0
	// بيت بيت 0
}
