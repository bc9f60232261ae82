package realtime

import (
	"encoding/json"
)

// Stream names, as Rocket.Chat's clients subscribe to them.
const (
	StreamRoomMessages = "stream-room-messages"
	StreamNotifyRoom   = "stream-notify-room"
	StreamNotifyUser   = "stream-notify-user"
	StreamNotifyLogged = "stream-notify-logged"
	StreamNotifyAll    = "stream-notify-all"
	StreamUserPresence = "stream-user-presence"
	StreamRoles        = "stream-roles"

	// MyMessages is the event name of stream-room-messages that carries
	// every message of every room the user belongs to.
	MyMessages = "__my_messages__"
)

// Key identifies one stream event a connection may subscribe to: the
// stream and the event name ("stream-notify-user" and "<uid>/message").
type Key struct {
	Stream string
	Event  string
}

// ChangedFrame renders the DDP frame that delivers one stream event:
// {"msg":"changed","collection":<stream>,"id":"id","fields":{"eventName":...,"args":...}}.
// args must be a JSON array.
func ChangedFrame(stream, event string, args []byte) []byte {
	b := make([]byte, 0, 80+len(stream)+len(event)+len(args))
	b = append(b, `{"msg":"changed","collection":`...)
	b = appendJSONString(b, stream)
	b = append(b, `,"id":"id","fields":{"eventName":`...)
	b = appendJSONString(b, event)
	b = append(b, `,"args":`...)
	b = append(b, args...)
	b = append(b, "}}"...)
	return b
}

// AddedFrame renders the placeholder document that a subscription with
// useCollection:true receives before ready; the old SDK (Asteroid) ignores
// changed frames for documents it has not seen added.
func AddedFrame(stream, event string) []byte {
	b := make([]byte, 0, 80+len(stream)+len(event))
	b = append(b, `{"msg":"added","collection":`...)
	b = appendJSONString(b, stream)
	b = append(b, `,"id":"id","fields":{"eventName":`...)
	b = appendJSONString(b, event)
	b = append(b, "}}"...)
	return b
}

// presenceFrame renders stream-user-presence's frame, which Rocket.Chat
// sends with the user id as document id and event name.
func presenceFrame(uid string, args []byte) []byte {
	b := make([]byte, 0, 120+2*len(uid)+len(args))
	b = append(b, `{"msg":"changed","collection":"`+StreamUserPresence+`","id":`...)
	b = appendJSONString(b, uid)
	b = append(b, `,"fields":{"uid":`...)
	b = appendJSONString(b, uid)
	b = append(b, `,"args":`...)
	b = append(b, args...)
	b = append(b, `,"eventName":`...)
	b = appendJSONString(b, uid)
	b = append(b, "}}"...)
	return b
}

// appendJSONString appends s as a JSON string. Event names and ids are
// plain ASCII almost always; anything else goes through encoding/json so
// that the output is valid JSON whatever the client sent.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			enc, _ := json.Marshal(s)
			return append(b, enc...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// jsonArray joins already-encoded JSON values into an array.
func jsonArray(items ...[]byte) []byte {
	n := 2
	for _, it := range items {
		n += len(it) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, '[')
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	return append(b, ']')
}

// mustJSON encodes v; the values the hub renders always encode.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("null")
	}
	return b
}
