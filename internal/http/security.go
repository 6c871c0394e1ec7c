package http

import (
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/mizan-osint/mizan"
)

// ContentSecurityPolicy is sent with every response. The page runs only its own bundled script
// and stylesheet: no inline script or style, no eval, no request to any other origin, no frames,
// no <base>, no plugins. Document text can therefore not run code even if some path inserted it
// as markup; the UI inserts it as text anyway.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; media-src 'none'; worker-src 'none'; " +
	"frame-src 'none'; child-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure wraps h with the headers every response carries, the Host check and the write checks.
func (s *Server) secure(h http.Handler) http.Handler {
	loopback := Loopback(s.opts.Addr)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", ContentSecurityPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		if loopback && !loopbackHost(r.Host) {
			// A server on loopback is only reached as localhost/127.0.0.1/[::1]: any other Host
			// is a DNS-rebinding page trying to read the corpus from the user's browser.
			s.writeError(w, r, mizan.Errorf(mizan.EFORBIDDEN, "host %q is not this server's", r.Host))
			return
		}
		if isWrite(r.Method) {
			if err := s.authorizeWrite(r); err != nil {
				s.writeError(w, r, err)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
		}
		h.ServeHTTP(w, r)
	})
}

func isWrite(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// loopbackHost reports whether a Host header names the loopback interface.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// authorizeWrite is the CSRF and access check of every write:
//
//  1. the server must be writable (not ReadOnly);
//  2. the request must come from this origin: a Sec-Fetch-Site header other than same-origin or
//     none (typed by the user, curl) and an Origin header other than this server's are refused,
//     so a page on another site cannot even try;
//  3. it must carry "Authorization: Bearer TOKEN" with the server's token (compared in constant
//     time). Browsers never add that header by themselves — unlike cookies — so a forged
//     cross-site request cannot carry it: the token is the CSRF token, bound to the user who
//     typed it into the page (kept in the tab's sessionStorage only).
func (s *Server) authorizeWrite(r *http.Request) error {
	if s.opts.ReadOnly {
		return mizan.Errorf(mizan.EFORBIDDEN, "this server is read-only (start it with --write and a token to allow ingest)")
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return mizan.Errorf(mizan.EFORBIDDEN, "cross-site write refused (Sec-Fetch-Site: %s)", site)
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || !strings.EqualFold(u.Host, r.Host) {
			return mizan.Errorf(mizan.EFORBIDDEN, "cross-origin write refused (Origin: %s)", origin)
		}
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return mizan.Errorf(mizan.EFORBIDDEN, "writes need the server's token: send Authorization: Bearer TOKEN")
	}
	// Hashing first makes the comparison constant-time whatever the lengths.
	got, want := sha256.Sum256([]byte(strings.TrimSpace(tok))), sha256.Sum256([]byte(s.opts.Token))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return mizan.Errorf(mizan.EFORBIDDEN, "wrong token")
	}
	return nil
}
