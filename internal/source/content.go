package source

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/mizan-osint/mizan"
)

// sniffLen is how many leading bytes http.DetectContentType looks at.
const sniffLen = 512

// feedPeekLen is how far into the input the root element of a feed is looked for.
const feedPeekLen = 4096

// binaryExt lists extensions of files that are never documents mizan can read, so they are
// refused without being opened.
var binaryExt = map[string]string{}

func init() {
	for kind, exts := range map[string]string{
		"image":           ".jpg .jpeg .png .gif .webp .bmp .tif .tiff .ico .heic .heif .avif .svg .psd .raw .cr2 .nef",
		"audio or video":  ".mp3 .wav .flac .ogg .oga .opus .m4a .aac .wma .mp4 .m4v .mkv .mov .avi .webm .wmv .flv .mpg .mpeg .3gp",
		"archive":         ".zip .gz .tgz .bz2 .xz .zst .lz .lzma .7z .rar .tar .cab .iso .dmg .z",
		"executable":      ".exe .dll .so .dylib .bin .o .a .class .jar .war .apk .deb .rpm .msi .wasm .pyc",
		"PDF":             ".pdf",
		"office document": ".doc .docx .xls .xlsx .ppt .pptx .odt .ods .odp .rtf .epub",
		"font":            ".ttf .otf .woff .woff2 .eot",
		"database":        ".db .sqlite .sqlite3 .parquet",
	} {
		for _, e := range strings.Fields(exts) {
			binaryExt[e] = kind
		}
	}
}

// extTypes gives the content type of text files whose bytes alone do not say (a Markdown file
// sniffs as text/plain). A fixed table rather than mime.TypeByExtension, which depends on the
// machine's mime files.
var extTypes = map[string]string{
	".txt": "text/plain", ".text": "text/plain",
	".html": "text/html", ".htm": "text/html", ".shtml": "text/html",
	".xhtml": "application/xhtml+xml",
	".md":    "text/markdown", ".markdown": "text/markdown",
	// A feed is recognised by its root element, never by its name alone.
	".xml": "application/xml", ".rss": "application/xml", ".atom": "application/xml",
	".rdf": "application/xml", ".json": "application/json",
}

// unsupportedExt refuses a file by its extension alone.
func unsupportedExt(name string) error {
	ext := strings.ToLower(filepath.Ext(name))
	if kind, ok := binaryExt[ext]; ok {
		return mizan.Errorf(mizan.EUNSUPPORTED, "unsupported file type %s (%s)", ext, kind)
	}
	return nil
}

// refuseBinary is the check on the first bytes of local input: anything that does not sniff as
// text (an image renamed .txt, a gzip stream on stdin) is refused before the rest is read.
func refuseBinary(head []byte) error {
	if len(head) == 0 {
		return nil
	}
	mt := mediaType(http.DetectContentType(head))
	switch {
	case textual(mt):
		return nil
	case mt == "application/octet-stream":
		return mizan.Errorf(mizan.EUNSUPPORTED, "unsupported content: binary data, not text")
	default:
		return mizan.Errorf(mizan.EUNSUPPORTED, "unsupported content: the bytes look like %s", mt)
	}
}

// refuseMislabelled is the check on the first bytes of a body declared as text: bytes with the
// signature of a binary format (a gzip stream sent without Content-Encoding, an image) are
// refused. Unrecognised binary is let through, since UTF-16 text looks just like it.
func refuseMislabelled(declared string, head []byte) error {
	mt := mediaType(http.DetectContentType(head))
	if len(head) == 0 || textual(mt) || mt == "application/octet-stream" {
		return nil
	}
	return mizan.Errorf(mizan.EUNSUPPORTED, "unsupported content: declared %s, but the bytes look like %s", declared, mt)
}

// localContentType names the type of local bytes from what they look like and the extension.
// The charset http.DetectContentType claims is kept only when it is true: it says utf-8 for any
// text without a byte order mark, but a Windows-1256 Arabic page is not UTF-8, and the
// extractor must be left to find that out.
func localContentType(name string, raw []byte) string {
	sniffed := http.DetectContentType(raw)
	mt, params, err := mime.ParseMediaType(sniffed)
	if err != nil {
		return sniffed
	}
	if ext, ok := extTypes[strings.ToLower(filepath.Ext(name))]; ok && (mt == "text/plain" || (mt == "text/xml" && strings.HasSuffix(ext, "xml"))) {
		mt = ext
	}
	switch kind := sniffFeed("", raw); kind {
	case gofeed.FeedTypeRSS:
		mt = "application/rss+xml"
	case gofeed.FeedTypeAtom:
		mt = "application/atom+xml"
	case gofeed.FeedTypeJSON:
		mt = "application/feed+json"
	}
	if cs := params["charset"]; cs != "" && (!strings.EqualFold(cs, "utf-8") || utf8.Valid(raw)) {
		return mime.FormatMediaType(mt, map[string]string{"charset": cs})
	}
	return mt
}

// mediaType is the lower-case type/subtype of a Content-Type, "" when there is none.
func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	return mt
}

// textual reports whether a media type can hold a document: text (but not style sheets or
// scripts), XML and JSON (feeds, XHTML).
func textual(mt string) bool {
	top, sub, _ := strings.Cut(mt, "/")
	switch top {
	case "text":
		return sub != "css" && sub != "javascript" && sub != "ecmascript"
	case "application":
		return sub == "xml" || sub == "json" || strings.HasSuffix(sub, "+xml") || strings.HasSuffix(sub, "+json")
	}
	return false
}

// sniffFeed says which kind of feed raw is, from its declared media type and its root element,
// or gofeed.FeedTypeUnknown. JSON counts as a feed only when declared as one or when it names
// the JSON Feed version URL, since any JSON object would otherwise pass.
func sniffFeed(mt string, raw []byte) gofeed.FeedType {
	switch mt {
	case "application/rss+xml", "application/rdf+xml":
		return gofeed.FeedTypeRSS
	case "application/atom+xml":
		return gofeed.FeedTypeAtom
	case "application/feed+json":
		return gofeed.FeedTypeJSON
	}
	peek := raw[:min(len(raw), feedPeekLen)]
	trimmed := bytes.TrimLeft(peek, "\ufeff \t\r\n")
	if len(trimmed) == 0 {
		return gofeed.FeedTypeUnknown
	}
	switch trimmed[0] {
	case '<':
		switch t := gofeed.DetectFeedType(bytes.NewReader(peek)); t {
		case gofeed.FeedTypeRSS, gofeed.FeedTypeAtom:
			return t
		}
	case '{':
		if bytes.Contains(peek, []byte("jsonfeed.org/version")) {
			return gofeed.FeedTypeJSON
		}
	}
	return gofeed.FeedTypeUnknown
}

// errTooLarge is readAll's signal that the input went past the limit.
var errTooLarge = errors.New("input over the size limit")

// readAll reads r to its end, at most limit bytes (errTooLarge past that, having read only
// limit+1). sizeHint, when known, sizes the buffer once. check sees the first sniffLen bytes
// before anything more is read and may refuse the input.
func readAll(r io.Reader, sizeHint, limit int64, check func(head []byte) error) ([]byte, error) {
	lr := &io.LimitedReader{R: r, N: limit + 1}
	size := int64(sniffLen)
	if sizeHint > 0 {
		size = max(min(sizeHint, limit)+1, size)
	}
	buf := make([]byte, sniffLen, size)
	n, err := io.ReadFull(lr, buf)
	buf = buf[:n]
	eof := err != nil
	if eof && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	if check != nil {
		if err := check(buf); err != nil {
			return nil, err
		}
	}
	for !eof {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(buf)) > limit {
		return nil, errTooLarge
	}
	return buf, nil
}

// humanSize writes a byte count the way the size limit is written: "52.4 MB", "20 MB", "900 bytes".
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " bytes"
	}
	v, i := float64(n)/unit, 0
	for v >= unit && i < 2 {
		v /= unit
		i++
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + " " + [...]string{"KB", "MB", "GB"}[i]
}

// tooLarge is the ETOOLARGE error for an input of the given size (what: "file", "response",
// "input"); size < 0 when only the fact that it went past the limit is known.
func tooLarge(what string, size, limit int64) error {
	if size < 0 {
		return mizan.Errorf(mizan.ETOOLARGE, "%s is over the %s limit", what, humanSize(limit))
	}
	return mizan.Errorf(mizan.ETOOLARGE, "%s is %s, over the %s limit", what, humanSize(size), humanSize(limit))
}
