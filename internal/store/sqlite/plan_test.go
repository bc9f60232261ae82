package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// TestQueryPlans pins the indexes the hot reads depend on; a harmless-looking
// change to a query or an index can otherwise turn them into scans.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	history, _ := messageWhere(chat.MessageFilter{RoomID: "r", Before: time.UnixMilli(5), HideThreads: true, Limit: 50})
	historyQuery := `SELECT ` + messageColumns + ` FROM messages m` + history.String() +
		messageOrder(chat.MessageFilter{}) + page(0, 50)
	thread, _ := messageWhere(chat.MessageFilter{TMID: "t"})
	threadQuery := `SELECT ` + messageColumns + ` FROM messages m` + thread.String() + messageOrder(chat.MessageFilter{Ascending: true})

	roots, _ := messageWhere(chat.MessageFilter{RoomID: "r", ThreadRoots: true})
	rootsQuery := `SELECT ` + messageColumns + ` FROM messages m` + roots.String() + messageOrder(chat.MessageFilter{SortByTLM: true}) + page(0, 50)
	pinned, _ := messageWhere(chat.MessageFilter{RoomID: "r", Pinned: true})
	pinnedQuery := `SELECT ` + messageColumns + ` FROM messages m` + pinned.String() + messageOrder(chat.MessageFilter{}) + page(0, 50)

	cases := []struct {
		name, query string
		args        []any
		want        []string // substrings of the plan
		not         []string
	}{
		{"history page", historyQuery, history.args,
			[]string{"USING INDEX messages_room_ts (rid=? AND ts<?)"}, []string{"TEMP B-TREE", "SCAN"}},
		{"thread replies", threadQuery, thread.args,
			[]string{"USING INDEX messages_thread (tmid=?)"}, []string{"TEMP B-TREE", "SCAN"}},
		{"thread roots by last reply", rootsQuery, roots.args,
			[]string{"USING INDEX messages_thread_roots (rid=?)"}, []string{"SCAN"}},
		{"pinned", pinnedQuery, pinned.args,
			[]string{"USING INDEX messages_pinned (rid=?)"}, []string{"SCAN"}},
		{"subscription counts", `SELECT ` + subColumns + subFrom + ` WHERE s.rid = ? AND s.u_id = ?`, []any{"r", "u"},
			[]string{"COVERING INDEX messages_unread (rid=? AND seq>?)", "COVERING INDEX mentions_user (user_id=? AND rid=? AND seq>?)"},
			[]string{"SCAN"}},
	}
	for _, c := range cases {
		rows, err := s.reader.QueryContext(ctx, `EXPLAIN QUERY PLAN `+c.query, c.args...)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: plan lacks %q:\n%s", c.name, w, text)
			}
		}
		for _, n := range c.not {
			if strings.Contains(text, n) {
				t.Errorf("%s: plan has %q:\n%s", c.name, n, text)
			}
		}
	}
}

func TestFTSQuery(t *testing.T) {
	cases := map[string]string{
		`hello world`:      `"hello"* "world"*`,
		`"quoted" OR -not`: `"quoted"* "OR"* "not"*`,
		`a*b NEAR(c)`:      `"a"* "b"* "NEAR"* "c"*`,
		`Grüße, 世界!`:       `"Grüße"* "世界"*`,
		`*** "" -`:         ``,
		`½ x²`:             `"½"* "x²"*`,
	}
	for in, want := range cases {
		if got := ftsQuery(in); got != want {
			t.Errorf("ftsQuery(%q) = %q, want %q", in, got, want)
		}
	}
}
