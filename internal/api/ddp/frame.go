package ddp

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// inMsg is a message from the client. Ids are kept raw: DDP ids are
// strings, but echoing whatever the client sent is what Meteor does.
type inMsg struct {
	Msg     string            `json:"msg"`
	ID      json.RawMessage   `json:"id,omitempty"`
	Method  string            `json:"method,omitempty"`
	Params  []json.RawMessage `json:"params,omitempty"`
	Name    string            `json:"name,omitempty"`
	Version string            `json:"version,omitempty"`
	Support []string          `json:"support,omitempty"`
}

// idKey turns a raw id into a map key.
func idKey(id json.RawMessage) string { return string(id) }

// Frames the server sends.
var (
	serverIDFrame = []byte(`{"server_id":"0"}`)
	pingFrame     = []byte(`{"msg":"ping"}`)
	pongFrame     = []byte(`{"msg":"pong"}`)
)

// connectedFrame answers a connect.
func connectedFrame(session string) []byte {
	return mustJSON(map[string]string{"msg": "connected", "session": session})
}

// failedFrame refuses a connect, suggesting a version.
func failedFrame(version string) []byte {
	return mustJSON(map[string]string{"msg": "failed", "version": version})
}

// pongFrameWithID answers a ping that carried an id.
func pongFrameWithID(id json.RawMessage) []byte {
	if len(id) == 0 {
		return pongFrame
	}
	return append(append([]byte(`{"msg":"pong","id":`), id...), '}')
}

// errorFrame is DDP's error message for frames the server cannot process.
func errorFrame(reason string, offending json.RawMessage) []byte {
	b := append([]byte(`{"msg":"error","reason":`), mustJSON(reason)...)
	if len(offending) > 0 && json.Valid(offending) {
		b = append(append(b, `,"offendingMessage":`...), offending...)
	}
	return append(b, '}')
}

// readyFrame tells the client a subscription is ready.
func readyFrame(id json.RawMessage) []byte {
	return append(append([]byte(`{"msg":"ready","subs":[`), id...), "]}"...)
}

// nosubFrame tells the client a subscription ended or was refused.
func nosubFrame(id json.RawMessage, err *meteorError) []byte {
	b := append([]byte(`{"msg":"nosub","id":`), id...)
	if err != nil {
		b = append(append(b, `,"error":`...), mustJSON(err)...)
	}
	return append(b, '}')
}

// updatedFrame follows every method result.
func updatedFrame(id json.RawMessage) []byte {
	return append(append([]byte(`{"msg":"updated","methods":[`), id...), "]}"...)
}

// resultFrame carries a method's result or error. A nil result (a method
// that returns nothing) leaves the field out, as Meteor does for
// undefined; false and 0 are kept.
func resultFrame(id json.RawMessage, result []byte, err *meteorError) []byte {
	b := append([]byte(`{"msg":"result","id":`), id...)
	if err != nil {
		b = append(append(b, `,"error":`...), mustJSON(err)...)
	} else if result != nil {
		b = append(append(b, `,"result":`...), result...)
	}
	return append(b, '}')
}

// meteorError is Meteor.Error as clients receive it.
type meteorError struct {
	IsClientSafe bool           `json:"isClientSafe"`
	Error        any            `json:"error"`
	Reason       string         `json:"reason,omitempty"`
	Message      string         `json:"message"`
	ErrorType    string         `json:"errorType"`
	Details      map[string]any `json:"details,omitempty"`
}

// newMeteorError builds a Meteor error from a code and a reason. Numeric
// codes ("403", "404") are sent as numbers, as Meteor's are.
func newMeteorError(code, reason string, details map[string]any) *meteorError {
	var c any = code
	if n, err := strconv.Atoi(code); err == nil {
		c = n
	}
	msg := reason
	switch {
	case reason == "":
		msg = "[" + code + "]"
	case code != "":
		msg = reason + " [" + code + "]"
	}
	return &meteorError{IsClientSafe: true, Error: c, Reason: reason, Message: msg, ErrorType: "Meteor.Error", Details: details}
}

// internalError is what every unexpected failure looks like to clients.
func internalError() *meteorError { return newMeteorError("500", "Internal server error", nil) }

// toMeteorError maps a domain error to a Meteor error; ok is false for
// errors the domain did not make, which are logged and masked.
func toMeteorError(err error) (*meteorError, bool) {
	var e *chat.Error
	if !errors.As(err, &e) {
		return internalError(), false
	}
	switch e.Kind {
	case chat.EInternal:
		return internalError(), false
	case chat.EUnavailable:
		return newMeteorError("503", "Service Unavailable", nil), true
	}
	code := e.Type
	if code == "" {
		switch e.Kind {
		case chat.EUnauthorized:
			code = "error-unauthorized"
		case chat.EForbidden:
			code = "error-not-allowed"
		case chat.ENotFound:
			code = "error-not-found"
		default:
			code = "error-invalid-params"
		}
	}
	return newMeteorError(code, e.Message, e.Details), true
}

// mustJSON encodes v; the values the server renders always encode.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("null")
	}
	return b
}
