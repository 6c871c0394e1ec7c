package mizan

import (
	"errors"
	"fmt"
)

// Error codes. A code says what kind of failure a user is looking at; the HTTP layer maps each
// to one status and the CLI to one exit message. Internal errors are never shown verbatim.
const (
	EINVALID     = "invalid"     // bad input: a malformed file, flag or parameter
	ENOTFOUND    = "not_found"   // no such document, entity, ...
	ECONFLICT    = "conflict"    // the request contradicts stored state (e.g. an ambiguous id prefix)
	EUNSUPPORTED = "unsupported" // a format, encoding or feature mizan does not handle
	ETOOLARGE    = "too_large"   // input over a configured size limit
	EUNAVAILABLE = "unavailable" // a remote source could not be reached
	EFORBIDDEN   = "forbidden"   // a write without the right token, a read-only server
	EINTERNAL    = "internal"    // a bug or an unexpected failure
)

// Error is an error meant for the user: a code and a message that can be shown as is.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Is makes errors.Is(err, ErrNotFound) match any *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Sentinels for errors.Is: they match every *Error with their code.
var (
	ErrNotFound    = &Error{Code: ENOTFOUND}
	ErrInvalid     = &Error{Code: EINVALID}
	ErrConflict    = &Error{Code: ECONFLICT}
	ErrUnsupported = &Error{Code: EUNSUPPORTED}
	ErrTooLarge    = &Error{Code: ETOOLARGE}
	ErrUnavailable = &Error{Code: EUNAVAILABLE}
	ErrForbidden   = &Error{Code: EFORBIDDEN}
)

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other error
// and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the message of the first *Error in err's chain, or a generic text for
// internal errors, whose details belong in a log, not in front of a user.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "internal error"
	}
}
