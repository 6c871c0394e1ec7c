package extract

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
)

// readFile reads a test fixture or fails the test.
func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	return b
}

func TestDecodeCharsets(t *testing.T) {
	tests := []struct {
		file, want, contentType, charset string
		html                             bool
	}{
		{file: "arabic.windows-1256.txt", want: "arabic.windows-1256.want", charset: "windows-1256"},
		{file: "arabic.iso-8859-6.txt", want: "arabic.iso-8859-6.want", charset: "iso-8859-6"},
		{file: "french.iso-8859-1.txt", want: "french.iso-8859-1.want", charset: "iso-8859-1"},
		{file: "french.windows-1252.txt", want: "french.windows-1252.want", charset: "windows-1252"},
		{file: "french.utf-16le-bom.txt", want: "french.utf-16le-bom.want", charset: "utf-16le"},
		{file: "arabic.utf-16be.txt", want: "arabic.utf-16be.want", charset: "utf-16be"},
		{file: "arabic.utf-8-bom.txt", want: "arabic.utf-8-bom.want", charset: "utf-8"},
		{file: "junk.utf-8.txt", want: "junk.utf-8.want", charset: "utf-8"},
		// Declared by the HTTP header: trusted over guessing.
		{file: "arabic.windows-1256.txt", want: "arabic.windows-1256.want", contentType: "text/plain; charset=windows-1256", charset: "windows-1256"},
		{file: "french.iso-8859-1.txt", want: "french.iso-8859-1.want", contentType: "text/plain; charset=ISO-8859-1", charset: "windows-1252"},
		// Declared in a <meta> of the page.
		{file: "meta.windows-1256.html", want: "meta.windows-1256.want", html: true, charset: "windows-1256"},
		// A wrong declaration loses to valid UTF-8.
		{file: "arabic.utf-8-bom.want", want: "arabic.utf-8-bom.want", contentType: "text/plain; charset=iso-8859-1", charset: "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.contentType, func(t *testing.T) {
			raw := readFile(t, filepath.Join("testdata/charset", tt.file))
			want := string(readFile(t, filepath.Join("testdata/charset", tt.want)))
			got, err := decode(raw, tt.contentType, tt.html)
			if err != nil {
				t.Fatalf("decode: got error %v, want none", err)
			}
			if got.text != want {
				t.Errorf("text: got %q, want %q", got.text, want)
			}
			if got.charset != tt.charset {
				t.Errorf("charset: got %q, want %q", got.charset, tt.charset)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		code string
	}{
		{"NUL bytes", []byte("abc\x00def\x00ghi jkl mno"), mizan.EUNSUPPORTED},
		{"odd UTF-16 full of unpaired surrogates", append([]byte("\xFF\xFE"), []byte(strings.Repeat("\x00\xD8", 40))...), mizan.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(tt.raw, "", false)
			if got := mizan.ErrorCode(err); got != tt.code {
				t.Errorf("error code: got %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestGuessLegacy(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want string
	}{
		// "الجزائر" in Windows-1256 and in ISO-8859-6.
		{"windows-1256", "\xC7\xE1\xCC\xD2\xC7\xC6\xD1 \xE6\xCA\xE6\xE4\xD3", "windows-1256"},
		{"iso-8859-6", "\xC7\xE4\xCC\xD2\xC7\xC6\xD1 \xE8\xCA\xE8\xE6\xD3", "iso-8859-6"},
		{"latin-1 French", "Le pr\xE9sident a parl\xE9 \xE0 Alger.", "iso-8859-1"},
		{"windows-1252 quotes", "l\x92\xE9t\xE9 dernier \x96 au Caire", "windows-1252"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, got := guessLegacy([]byte(tt.raw)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSniffBinary(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"pdf", "%PDF-1.7\n%\xE2\xE3", "a PDF"},
		{"zip/docx", "PK\x03\x04\x14\x00\x06\x00", "a ZIP archive or Office document"},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"},
		{"jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF", "a JPEG image"},
		{"gzip", "\x1F\x8B\x08\x00", "a gzip archive"},
		{"wav", "RIFF\x24\x08\x00\x00WAVEfmt ", "a WAV audio file"},
		{"text", "Hello, Algiers.", ""},
		{"html", "<!DOCTYPE html><p>x</p>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sniffBinary([]byte(tt.raw)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNormalizeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\r\nb\rc", "a\nb\nc"},
		{"\uFEFFtitle", "title"},
		{"zero\u200bwidth\u2060joined", "zerowidthjoined"},
		{"e\u0301t\u0065\u0301", "été"},
		{"non\u00a0breaking\u202fspace", "non breaking space"},
		{"\u200fالعربية\u200e", "العربية"},
		{"کتاب\u200cها", "کتاب\u200cها"}, // ZWNJ is meaningful in Persian: kept
	}
	for _, tt := range tests {
		if got := normalizeText(tt.in); got != tt.want {
			t.Errorf("normalizeText(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMetaCharset(t *testing.T) {
	tests := []struct{ head, want string }{
		{`<html><head><meta charset="windows-1256">`, "windows-1256"},
		{`<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-6">`, "ISO-8859-6"},
		{`<meta charset="no-such-charset">`, ""},
		{`<html><body><meta charset="windows-1256">`, ""}, // too late: the body started
		{`<meta content="text/html; charset=utf-8" http-equiv="content-type">`, "utf-8"},
	}
	for _, tt := range tests {
		if got := metaCharset([]byte(tt.head)); got != tt.want {
			t.Errorf("metaCharset(%q): got %q, want %q", tt.head, got, tt.want)
		}
	}
}

func TestDecodeErrorIsMizanError(t *testing.T) {
	_, err := decode([]byte("x\x00y"), "", false)
	var me *mizan.Error
	if !errors.As(err, &me) {
		t.Fatalf("got %T, want *mizan.Error", err)
	}
}
