package markdown

import (
	"strconv"
	"time"
)

// timestamp is TimestampRules: "<t:" date ":" format ">" or "<t:" date ">".
// Its fallback is the source range of the whole tag.
func (p *parser) timestamp(i int) int {
	if !p.is(i, "<t:") {
		return -1
	}
	value, j := p.timestampDate(i + 3)
	if j < 0 {
		return -1
	}
	format, end := "t", -1
	switch {
	case p.at(j) == ':' && j+2 < p.n && isTimestampFormat(p.s[j+1]) && p.s[j+2] == '>':
		format, end = p.str(j+1, j+2), j+3
	case p.at(j) == '>' && j < p.n:
		end = j + 1
	default:
		return -1
	}
	n := textNode(Timestamp, value)
	n.Attrs = p.attrs(Attrs{Format: format, Fallback: p.fallback(i, end)})
	p.res = n
	return end
}

// escapedTimestamp is EscapedTimestampRules: a backslash before a timestamp
// tag keeps the tag as text. It returns the end of the tag.
func (p *parser) escapedTimestamp(i int) int {
	if p.at(i) != '\\' || !p.is(i+1, "<t:") {
		return -1
	}
	_, j := p.timestampDate(i + 4)
	if j < 0 {
		return -1
	}
	if p.at(j) == ':' && j+2 < p.n && isTimestampFormat(p.s[j+1]) && p.s[j+2] == '>' {
		return j + 3
	}
	if p.at(j) == '>' && j < p.n {
		return j + 1
	}
	return -1
}

func isTimestampFormat(c uint16) bool {
	switch c {
	case 't', 'T', 'd', 'D', 'f', 'F', 'R':
		return true
	}
	return false
}

// fixedDigits reads exactly n digits at i (a longer run still yields n).
func (p *parser) fixedDigits(i, n int) (int, int) {
	v := 0
	for k := 0; k < n; k++ {
		if i+k >= p.n || !isDigit(p.s[i+k]) {
			return 0, -1
		}
		v = v*10 + int(p.s[i+k]-'0')
	}
	return v, i + n
}

// timestampDate is the date of a timestamp tag, tried as Unix seconds, an
// ISO date with milliseconds, one without, then a time of day. It returns the
// timestamp string the reference computes and the end of the date.
func (p *parser) timestampDate(i int) (string, int) {
	if _, end := p.fixedDigits(i, 10); end >= 0 {
		return p.str(i, end), end
	}
	if v, end := p.isoDate(i, true); end >= 0 {
		return v, end
	}
	if v, end := p.isoDate(i, false); end >= 0 {
		return v, end
	}
	return p.timeOfDay(i)
}

// expect reads the literal unit c at i.
func (p *parser) expect(i int, c uint16) int {
	if i >= 0 && i < p.n && p.s[i] == c {
		return i + 1
	}
	return -1
}

// field reads n digits after the separator sep (0 for none).
func (p *parser) field(i int, sep uint16, n int) (int, int) {
	if i < 0 {
		return 0, -1
	}
	if sep != 0 {
		if i = p.expect(i, sep); i < 0 {
			return 0, -1
		}
	}
	return p.fixedDigits(i, n)
}

// isoDate is ISO8601Date (withMillis) or ISO8601DateWithoutMilliseconds:
// YYYY-MM-DDTHH:MM:SS[.mmm] and an optional ±HH:MM zone.
func (p *parser) isoDate(i int, withMillis bool) (string, int) {
	year, j := p.field(i, 0, 4)
	month, j := p.field(j, '-', 2)
	day, j := p.field(j, '-', 2)
	hour, j := p.field(j, 'T', 2)
	min, j := p.field(j, ':', 2)
	sec, j := p.field(j, ':', 2)
	ms := 0
	if withMillis {
		ms, j = p.field(j, '.', 3)
	}
	if j < 0 {
		return "", -1
	}
	zone, hasZone, j := p.zone(j)
	t, ok := jsDate(year, month, day, hour, min, sec, ms, zone, hasZone, p.loc)
	return secondsString(t, ok), j
}

// timeOfDay is Timestamp: HH:MM:SS or HH:MM with an optional zone, on the
// current UTC date. The reference appends the missing zone as the text
// "null", which no date parser accepts, so without a zone the result is
// always "0".
func (p *parser) timeOfDay(i int) (string, int) {
	hour, j := p.field(i, 0, 2)
	min, j := p.field(j, ':', 2)
	if j < 0 {
		return "", -1
	}
	sec := 0
	if s, k := p.field(j, ':', 2); k >= 0 {
		sec, j = s, k
	}
	zone, hasZone, j := p.zone(j)
	if !hasZone {
		return "0", j
	}
	y, m, d := p.now().UTC().Date()
	if y < 0 || y > 9999 {
		return "0", j
	}
	t, ok := jsDate(y, int(m), d, hour, min, sec, 0, zone, true, p.loc)
	return secondsString(t, ok), j
}

// zone is Timezone: an optional ±HH:MM. It returns the offset in minutes.
func (p *parser) zone(i int) (offset int, ok bool, end int) {
	if i >= p.n || p.s[i] != '+' && p.s[i] != '-' {
		return 0, false, i
	}
	h, j := p.field(i+1, 0, 2)
	m, j := p.field(j, ':', 2)
	if j < 0 {
		return 0, false, i
	}
	if h > 23 || m > 59 {
		// Still a zone for the grammar; the date parser rejects it.
		return -1 << 30, true, j
	}
	offset = h*60 + m
	if p.s[i] == '-' {
		offset = -offset
	}
	return offset, true, j
}

// jsDate is what new Date(isoString).getTime() yields for the fields of an
// ISO string: the time in milliseconds, or false for an invalid date.
// Like V8, it accepts any day from 1 to 31 (rolling over into the next
// month) and 24:00:00.000 as the end of the day.
func jsDate(year, month, day, hour, min, sec, ms, zone int, hasZone bool, loc *time.Location) (int64, bool) {
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || min > 59 || sec > 59 {
		return 0, false
	}
	if hour == 24 && (min != 0 || sec != 0 || ms != 0) {
		return 0, false
	}
	if hasZone && zone == -1<<30 {
		return 0, false
	}
	var t time.Time
	if hasZone {
		t = time.Date(year, time.Month(month), day, hour, min, sec, ms*int(time.Millisecond), time.UTC).
			Add(-time.Duration(zone) * time.Minute)
	} else {
		t = localTime(time.Date(year, time.Month(month), day, hour, min, sec, ms*int(time.Millisecond), time.UTC), loc)
	}
	return t.UnixMilli(), true
}

// localTime resolves the wall-clock time wall (given as if in UTC) in loc
// the way JavaScript does: a time that occurs twice (when clocks go back) is
// its first occurrence, and a time that is skipped (when clocks go forward)
// takes the offset from before the change. Go's time.Date leaves that
// choice unspecified.
func localTime(wall time.Time, loc *time.Location) time.Time {
	_, before := wall.Add(-24 * time.Hour).In(loc).Zone()
	_, after := wall.Add(24 * time.Hour).In(loc).Zone()
	early := wall.Add(-time.Duration(max(before, after)) * time.Second)
	late := wall.Add(-time.Duration(min(before, after)) * time.Second)
	same := func(t time.Time) bool {
		u := t.In(loc)
		return u.Year() == wall.Year() && u.YearDay() == wall.YearDay() &&
			u.Hour() == wall.Hour() && u.Minute() == wall.Minute() && u.Second() == wall.Second()
	}
	switch {
	case same(early):
		return early
	case same(late):
		return late
	default:
		return wall.Add(-time.Duration(before) * time.Second)
	}
}

// secondsString is String(time / 1e3 | 0): whole seconds, wrapped to a
// signed 32-bit integer; "0" for an invalid date.
func secondsString(ms int64, ok bool) string {
	if !ok {
		return "0"
	}
	return strconv.Itoa(int(int32(ms / 1000)))
}
