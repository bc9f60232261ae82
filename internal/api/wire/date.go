package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"time"
)

// Format selects how dates are written.
type Format int

// The two date formats.
const (
	REST  Format = iota // "2024-01-01T10:00:00.000Z"
	EJSON               // {"$date": 1704103200000}
)

// isoLayout is JavaScript's Date.toISOString: milliseconds and Z, always.
const isoLayout = "2006-01-02T15:04:05.000Z"

// Date is a time written in the chosen format.
type Date struct {
	T time.Time
	F Format
}

// NewDate returns t as a Date in format f, or nil for the zero time so that
// omitempty leaves it out.
func NewDate(t time.Time, f Format) *Date {
	if t.IsZero() {
		return nil
	}
	return &Date{T: t, F: f}
}

// MarshalJSON writes the date in its format.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.F == EJSON {
		return []byte(`{"$date":` + strconv.FormatInt(d.T.UnixMilli(), 10) + `}`), nil
	}
	return []byte(`"` + FormatISO(d.T) + `"`), nil
}

// UnmarshalJSON reads either format.
func (d *Date) UnmarshalJSON(b []byte) error {
	t, f, err := ParseDate(b)
	if err != nil {
		return err
	}
	d.T, d.F = t, f
	return nil
}

// FormatISO writes t as JavaScript's toISOString does.
func FormatISO(t time.Time) string { return t.UTC().Format(isoLayout) }

// ParseISO reads an ISO-8601 date as clients send it in query strings.
func ParseISO(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("invalid date")
}

// ParseDate reads a JSON date: an EJSON {"$date": ms} object (ms may also
// be an ISO string, as some clients send), an ISO string, or a number of
// milliseconds.
func ParseDate(b []byte) (time.Time, Format, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return time.Time{}, REST, nil
	}
	switch b[0] {
	case '{':
		var obj struct {
			Date json.RawMessage `json:"$date"`
		}
		if err := json.Unmarshal(b, &obj); err != nil || obj.Date == nil {
			return time.Time{}, EJSON, errors.New("invalid EJSON date")
		}
		t, _, err := ParseDate(obj.Date)
		return t, EJSON, err
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return time.Time{}, REST, err
		}
		t, err := ParseISO(s)
		return t, REST, err
	default:
		ms, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return time.Time{}, REST, errors.New("invalid date")
		}
		return time.UnixMilli(int64(ms)).UTC(), REST, nil
	}
}
