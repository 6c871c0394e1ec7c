package extract

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/mizan-osint/mizan"
)

// magic lists the signatures of binary formats people feed to a news pipeline by mistake, so
// the error can say what the file looks like. Offsets are where the signature starts.
var magic = []struct {
	offset int
	sig    string
	what   string
}{
	{0, "%PDF-", "a PDF"},
	{0, "PK\x03\x04", "a ZIP archive or Office document"},
	{0, "PK\x05\x06", "a ZIP archive"},
	{0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "an old Office document"},
	{0, "{\\rtf", "an RTF document"},
	{0, "\x89PNG\r\n\x1a\n", "a PNG image"},
	{0, "GIF87a", "a GIF image"},
	{0, "GIF89a", "a GIF image"},
	{0, "\xFF\xD8\xFF", "a JPEG image"},
	{0, "II*\x00", "a TIFF image"},
	{0, "MM\x00*", "a TIFF image"},
	{0, "BM", ""}, // too short to trust alone: checked with the control-character ratio
	{8, "WEBP", "a WebP image"},
	{4, "ftyp", "an MP4/QuickTime video or HEIC image"},
	{0, "\x1F\x8B", "a gzip archive"},
	{0, "BZh", ""},
	{0, "\xFD7zXZ\x00", "an xz archive"},
	{0, "7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
	{0, "Rar!\x1A\x07", "a RAR archive"},
	{0, "\x28\xB5\x2F\xFD", "a zstd archive"},
	{0, "\x7FELF", "an executable (ELF)"},
	{0, "MZ", ""},
	{0, "\xCA\xFE\xBA\xBE", "a Java class or Mach-O binary"},
	{0, "\xCF\xFA\xED\xFE", "a Mach-O executable"},
	{0, "\x00asm", "a WebAssembly module"},
	{0, "OggS", "an Ogg audio/video file"},
	{0, "ID3", "an MP3 audio file"},
	{0, "fLaC", "a FLAC audio file"},
	{0, "\x1A\x45\xDF\xA3", "a Matroska/WebM video"},
	{0, "SQLite format 3\x00", "an SQLite database"},
	{0, "wOFF", "a web font"},
	{0, "wOF2", "a web font"},
	{0, "\x00\x01\x00\x00\x00", "a TrueType font"},
}

// sniffBinary returns what raw looks like when it is not text, or "".
func sniffBinary(raw []byte) string {
	for _, m := range magic {
		if m.what != "" && len(raw) >= m.offset+len(m.sig) && string(raw[m.offset:m.offset+len(m.sig)]) == m.sig {
			return m.what
		}
	}
	if bytes.HasPrefix(raw, []byte("RIFF")) && len(raw) >= 12 {
		switch string(raw[8:12]) {
		case "WAVE":
			return "a WAV audio file"
		case "AVI ":
			return "an AVI video"
		}
	}
	return ""
}

// controlRatio is the share of bytes in the first 8 KiB that are control characters no text
// file contains (everything below 0x20 but tab, newline, form feed, carriage return and escape).
// NUL bytes are counted by the caller, since UTF-16 text is full of them.
func controlRatio(raw []byte) float64 {
	head := raw[:min(len(raw), 8192)]
	if len(head) == 0 {
		return 0
	}
	n := 0
	for _, b := range head {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\f' && b != '\r' && b != 0x1B && b != 0 {
			n++
		}
	}
	return float64(n) / float64(len(head))
}

// utf16Guess reports whether BOM-less raw looks like UTF-16 text. In UTF-16 of Latin or Arabic
// text every other byte is a high byte from a handful of values (0x00 for ASCII, 0x06 for
// Arabic, 0x20 for punctuation), which no 8-bit text has; some of them must be NUL.
func utf16Guess(raw []byte) (bigEndian, ok bool) {
	head := raw[:min(len(raw), 4096)]
	if len(head) < 8 {
		return false, false
	}
	var hi, nul [2]int // per parity: plausible high bytes, NUL bytes
	for i, b := range head {
		switch b {
		case 0x00:
			nul[i%2]++
			hi[i%2]++
		case 0x04, 0x05, 0x06, 0x20, 0x25:
			hi[i%2]++
		}
	}
	half := len(head) / 2
	switch {
	case hi[1]*10 >= half*8 && nul[1]*20 >= half && nul[0]*20 < half:
		return false, true
	case hi[0]*10 >= half*8 && nul[0]*20 >= half && nul[1]*20 < half:
		return true, true
	}
	return false, false
}

// decodeUTF16 decodes UTF-16 (without BOM) strictly, reporting unpaired surrogates as errors.
func decodeUTF16(raw []byte, bigEndian bool) (string, int) {
	n := len(raw) / 2
	u := make([]uint16, n)
	for i := range n {
		if bigEndian {
			u[i] = uint16(raw[2*i])<<8 | uint16(raw[2*i+1])
		} else {
			u[i] = uint16(raw[2*i+1])<<8 | uint16(raw[2*i])
		}
	}
	bad := len(raw) % 2
	runes := utf16.Decode(u)
	for _, r := range runes {
		if r == utf8.RuneError {
			bad++
		}
	}
	return string(runes), bad
}

// decoded is raw bytes turned into clean UTF-8 text.
type decoded struct {
	text    string
	charset string
}

// decode turns raw bytes into normalised UTF-8 text. It follows the order browsers use — BOM,
// declared charset (HTTP header, then the HTML meta prescan), valid UTF-8 — and only then
// guesses among the legacy encodings news in English, French and Arabic comes in.
func decode(raw []byte, contentType string, isHTML bool) (decoded, error) {
	var (
		text string
		name string
		bad  int
	)
	switch {
	case bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF")):
		text, name = strings.ToValidUTF8(string(raw[3:]), "\uFFFD"), "utf-8"
		bad = invalidUTF8(raw[3:])
	case bytes.HasPrefix(raw, []byte("\xFF\xFE")):
		text, bad = decodeUTF16(raw[2:], false)
		name = "utf-16le"
	case bytes.HasPrefix(raw, []byte("\xFE\xFF")):
		text, bad = decodeUTF16(raw[2:], true)
		name = "utf-16be"
	default:
		if be, ok := utf16Guess(raw); ok {
			text, bad = decodeUTF16(raw, be)
			name = map[bool]string{false: "utf-16le", true: "utf-16be"}[be]
			break
		}
		if bytes.IndexByte(raw, 0) >= 0 {
			return decoded{}, mizan.Errorf(mizan.EUNSUPPORTED, "binary file (contains NUL bytes)")
		}
		name = declaredCharset(raw, contentType, isHTML)
		validUTF8 := utf8.Valid(raw)
		switch {
		case validUTF8 && (name == "" || name == "utf-8" || hasHighBytes(raw)):
			// Valid UTF-8 with non-ASCII characters does not happen by accident in a legacy
			// encoding, so it beats a declaration (servers often default to ISO-8859-1).
			text, name = string(raw), "utf-8"
		case name == "utf-8" && invalidUTF8(raw)*200 < len(raw):
			// Declared UTF-8 with a few broken sequences (a truncated copy): keep UTF-8.
			text = strings.ToValidUTF8(string(raw), "\uFFFD")
			bad = invalidUTF8(raw)
		case name != "" && name != "utf-8":
			enc, _ := charset.Lookup(name)
			var err error
			text, err = decodeWith(enc, raw)
			if err != nil {
				return decoded{}, mizan.Errorf(mizan.EINVALID, "cannot decode text as %s: %v", name, err)
			}
			bad = strings.Count(text, "\uFFFD") - bytes.Count(raw, []byte("\uFFFD"))
		default:
			// Undeclared (or wrongly declared UTF-8) legacy text: guess.
			enc, guess := guessLegacy(raw)
			var err error
			text, err = decodeWith(enc, raw)
			if err != nil {
				return decoded{}, mizan.Errorf(mizan.EINVALID, "cannot decode text as %s: %v", guess, err)
			}
			name = guess
			bad = strings.Count(text, "\uFFFD")
		}
	}
	if chars := utf8.RuneCountInString(text); bad > 8 && bad*100 > chars {
		return decoded{}, mizan.Errorf(mizan.EINVALID, "cannot decode text as %s: %d invalid byte sequences in %d characters", name, bad, chars)
	}
	return decoded{text: normalizeText(text), charset: name}, nil
}

func hasHighBytes(raw []byte) bool {
	for _, b := range raw {
		if b >= 0x80 {
			return true
		}
	}
	return false
}

// invalidUTF8 counts invalid UTF-8 sequences.
func invalidUTF8(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			n++
		}
		b = b[size:]
	}
	return n
}

func decodeWith(enc encoding.Encoding, raw []byte) (string, error) {
	if enc == nil || enc == encoding.Nop {
		return string(raw), nil
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return "", fmt.Errorf("decode: %w", err)
	}
	return string(out), nil
}

// declaredCharset returns the canonical name of the charset the HTTP Content-Type or, for HTML,
// a <meta charset> / http-equiv in the first 4 KiB declares; "" when none or unknown.
func declaredCharset(raw []byte, contentType string, isHTML bool) string {
	if contentType != "" {
		if _, params, err := mime.ParseMediaType(contentType); err == nil {
			if enc, name := charset.Lookup(params["charset"]); enc != nil {
				return canonicalCharset(name)
			}
		}
	}
	if !isHTML {
		return ""
	}
	return canonicalCharset(metaCharset(raw[:min(len(raw), 4096)]))
}

// canonicalCharset maps WHATWG names to the names mizan reports.
func canonicalCharset(name string) string {
	if name == "" {
		return ""
	}
	if enc, n := charset.Lookup(name); enc != nil {
		return n
	}
	return ""
}

// metaCharset finds a charset declared by a <meta> element, as the HTML prescan does.
func metaCharset(head []byte) string {
	z := html.NewTokenizer(bytes.NewReader(head))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) == "body" {
				return ""
			}
			if string(name) != "meta" || !hasAttr {
				continue
			}
			var cs, content string
			var httpEquiv bool
			for {
				k, v, more := z.TagAttr()
				switch strings.ToLower(string(k)) {
				case "charset":
					cs = strings.TrimSpace(string(v))
				case "content":
					content = string(v)
				case "http-equiv":
					httpEquiv = strings.EqualFold(strings.TrimSpace(string(v)), "content-type")
				}
				if !more {
					break
				}
			}
			if cs != "" {
				if enc, _ := charset.Lookup(cs); enc != nil {
					return cs
				}
			}
			if httpEquiv && content != "" {
				if _, params, err := mime.ParseMediaType(content); err == nil && params["charset"] != "" {
					if enc, _ := charset.Lookup(params["charset"]); enc != nil {
						return params["charset"]
					}
				}
			}
		}
	}
}

// guessLegacy picks a single-byte encoding for text that is not UTF-8. News in mizan's
// languages comes in three families: Windows-1252/ISO-8859-1 (English, French), Windows-1256
// and ISO-8859-6 (Arabic). Two signals decide, both cheap and explainable:
//
//   - Latin text has its non-ASCII letters inside words next to ASCII letters ("été"); Arabic
//     text has runs of non-ASCII bytes with no ASCII letter around them. If most high bytes
//     touch an ASCII letter, the text is Latin.
//   - Between the two Arabic code pages, decode with each and count words made only of Arabic
//     letters and the article "ال" at word starts; the wrong page yields Latin letters and
//     undefined bytes inside words.
func guessLegacy(raw []byte) (encoding.Encoding, string) {
	high, touching := 0, 0
	for i, b := range raw {
		if b < 0x80 {
			continue
		}
		high++
		if (i > 0 && isASCIILetter(raw[i-1])) || (i+1 < len(raw) && isASCIILetter(raw[i+1])) {
			touching++
		}
	}
	if high == 0 || touching*2 > high {
		for _, b := range raw {
			if b >= 0x80 && b < 0xA0 {
				return charmap.Windows1252, "windows-1252"
			}
		}
		return charmap.ISO8859_1, "iso-8859-1"
	}
	s1256 := arabicScore(decodeOrEmpty(charmap.Windows1256, raw))
	s8859 := arabicScore(decodeOrEmpty(charmap.ISO8859_6, raw))
	if s8859 > s1256 {
		return charmap.ISO8859_6, "iso-8859-6"
	}
	return charmap.Windows1256, "windows-1256"
}

func decodeOrEmpty(enc encoding.Encoding, raw []byte) string {
	s, err := decodeWith(enc, raw)
	if err != nil {
		return ""
	}
	return s
}

func isASCIILetter(b byte) bool { return (b|0x20) >= 'a' && (b|0x20) <= 'z' }

// arabicScore rates how much a decoding looks like Arabic prose.
func arabicScore(s string) int {
	score := 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) {
		arabic, other := 0, 0
		for _, r := range w {
			switch {
			case r >= 0x0621 && r <= 0x064A:
				arabic++
			case r == utf8.RuneError || r >= 0x80:
				other++
			}
		}
		switch {
		case arabic > 0 && other == 0:
			score += 2
			if strings.HasPrefix(w, "ال") {
				score += 3
			}
		case other > 0:
			score -= 2
		}
	}
	return score
}

// junk lists invisible characters that carry no meaning in news text and break matching: zero
// width space, word joiner, BOM, soft hyphen, directional marks and embeddings. ZWJ and ZWNJ are
// kept: Persian and emoji need them.
var junk = strings.NewReplacer(
	"\u200B", "", "\u2060", "", "\uFEFF", "", "\u00AD", "",
	"\u200E", "", "\u200F", "", "\u061C", "",
	"\u202A", "", "\u202B", "", "\u202C", "", "\u202D", "", "\u202E", "",
	"\u2066", "", "\u2067", "", "\u2068", "", "\u2069", "",
	"\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n\n", "\u0085", "\n",
	"\u00A0", " ", "\u202F", " ", "\u2007", " ", "\t", " ",
)

// normalizeText gives text LF line ends, no invisible junk, and NFC.
func normalizeText(s string) string {
	s = junk.Replace(s)
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return s
}
