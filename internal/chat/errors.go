package chat

import (
	"errors"
	"fmt"
)

// Kind classifies an error so that each transport can map it to its own
// status code. The set is deliberately small.
type Kind string

// The kinds of error the domain knows.
const (
	EInvalid      Kind = "invalid"      // bad input: 400
	EUnauthorized Kind = "unauthorized" // not logged in: 401
	EForbidden    Kind = "forbidden"    // logged in, not allowed: 403
	ENotFound     Kind = "not_found"    // no such thing: 404 on lookups, 400 in RC's method errors
	EConflict     Kind = "conflict"     // duplicate name, already a member: 400
	ETooLarge     Kind = "too_large"    // body or file over a limit: 413
	ETooMany      Kind = "too_many"     // rate limited: 429
	EUnavailable  Kind = "unavailable"  // store or bus down: 503
	EInternal     Kind = "internal"     // anything else: 500
)

// Error is an error the domain means to show to a client. Type is
// Rocket.Chat's error code (its errorType, e.g. "error-room-not-found"), and
// Message is the human-readable reason.
type Error struct {
	Kind    Kind
	Type    string
	Message string
	Details map[string]any
	Err     error // wrapped cause, never shown to clients
}

func (e *Error) Error() string {
	switch {
	case e.Type != "" && e.Message != "":
		return e.Message + " [" + e.Type + "]"
	case e.Type != "":
		return "[" + e.Type + "]"
	default:
		return e.Message
	}
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error of the given kind and Rocket.Chat error type.
func Errorf(kind Kind, typ, format string, args ...any) *Error {
	return &Error{Kind: kind, Type: typ, Message: fmt.Sprintf(format, args...)}
}

// ErrorKind returns the kind of err, or EInternal for errors the domain did
// not make.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return EInternal
}

// IsKind reports whether err is a domain error of the given kind.
func IsKind(err error, k Kind) bool { return err != nil && ErrorKind(err) == k }

// Common errors, created fresh so callers may add details.

// ErrNotFound is returned by stores when a lookup finds nothing.
func ErrNotFound(what string) *Error {
	return &Error{Kind: ENotFound, Type: "error-not-found", Message: what + " not found"}
}

// ErrNotAllowed is Rocket.Chat's generic permission failure.
func ErrNotAllowed(action string) *Error {
	return &Error{Kind: EForbidden, Type: "error-not-allowed", Message: "Not allowed", Details: map[string]any{"method": action}}
}

// ErrUnauthorizedAction is what REST answers when a permission is missing.
func ErrUnauthorizedAction() *Error {
	return &Error{Kind: EForbidden, Type: "error-unauthorized", Message: "User does not have the permissions required for this action"}
}

// ErrInvalidParam reports a missing or malformed parameter.
func ErrInvalidParam(format string, args ...any) *Error {
	return &Error{Kind: EInvalid, Type: "invalid-params", Message: fmt.Sprintf(format, args...)}
}

// ErrRoomNotFound is Rocket.Chat's error for an unknown or unreadable room.
func ErrRoomNotFound() *Error {
	return &Error{Kind: ENotFound, Type: "error-room-not-found", Message: "The required \"roomId\" or \"roomName\" param provided does not match any channel"}
}
