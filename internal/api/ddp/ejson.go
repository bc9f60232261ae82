package ddp

import (
	"encoding/json"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
)

// date decodes parameter i as a date: EJSON {"$date": ms} as Meteor
// clients send it (an ISO string or a number of milliseconds is accepted
// too). ok is false when the parameter is missing or null.
func (c *call) date(i int) (t time.Time, ok bool, err error) {
	if i >= len(c.params) {
		return time.Time{}, false, nil
	}
	raw := c.params[i]
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, false, nil
	}
	t, _, err = wire.ParseDate(raw)
	if err != nil {
		return time.Time{}, false, c.invalid("Invalid date")
	}
	return t, !t.IsZero(), nil
}

// ejsonDate decodes an optional EJSON date field of an object parameter.
func ejsonDate(raw json.RawMessage) time.Time {
	if len(raw) == 0 {
		return time.Time{}
	}
	t, _, err := wire.ParseDate(raw)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Renderers for results: DDP writes dates as EJSON.

func messageDoc(m *chat.Message) *wire.Message { return wire.NewMessage(m, wire.EJSON) }

func messageDocs(ms []chat.Message) []*wire.Message { return wire.NewMessages(ms, wire.EJSON) }

func roomDoc(r *chat.Room) *wire.Room { return wire.NewRoom(r, wire.EJSON) }

// updatesAndRemovals is the {update, remove} answer of the */get methods
// when asked for changes since a date.
type updatesAndRemovals struct {
	Update any            `json:"update"`
	Remove []wire.Removed `json:"remove"`
}

func removals(rs []chat.Removal) []wire.Removed {
	out := wire.NewRemovals(rs, wire.EJSON)
	if out == nil {
		out = []wire.Removed{}
	}
	return out
}
