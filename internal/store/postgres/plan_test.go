package postgres

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// TestQueryPlans pins the indexes the hot reads depend on; a harmless-looking
// change to a query or an index can otherwise turn them into scans. Plans
// are generic (the parameters unknown, as the planner sees a prepared
// statement after a few runs), and sequential scans are discouraged, so that
// an empty table still shows which index a query can use.
func TestQueryPlans(t *testing.T) {
	base := os.Getenv("LIFTOFF_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("LIFTOFF_TEST_POSTGRES_URL is not set: the PostgreSQL store's tests need a server")
	}
	ctx := context.Background()
	schema := "lt_" + strings.ToLower(chat.RandomString(12))
	c, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	defer c.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
	sep := "&"
	if !strings.Contains(base, "?") {
		sep = "?"
	}
	s, err := Open(ctx, base+sep+"search_path="+schema, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := c.Exec(ctx, `SET search_path = `+schema+`; SET plan_cache_mode = force_generic_plan;
		SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}

	list := func(f chat.MessageFilter) (string, []any) {
		w, _ := messageWhere(f)
		return `SELECT ` + messageColumns + ` FROM messages m` + w.String() + messageOrder(f) + page(f.Offset, f.Limit), w.args
	}
	history, historyArgs := list(chat.MessageFilter{RoomID: "r", Before: time.UnixMilli(5), HideThreads: true, Limit: 50})
	thread, threadArgs := list(chat.MessageFilter{TMID: "t", Ascending: true})
	roots, rootsArgs := list(chat.MessageFilter{RoomID: "r", ThreadRoots: true, SortByTLM: true, Limit: 50})
	pinned, pinnedArgs := list(chat.MessageFilter{RoomID: "r", Pinned: true, Limit: 50})
	starred, starredArgs := list(chat.MessageFilter{StarredBy: "u", Limit: 50})
	search, searchArgs := list(chat.MessageFilter{RoomID: "r", Text: "release notes", Limit: 50})
	searchAll, searchAllArgs := list(chat.MessageFilter{Text: "release notes", Limit: 50})

	cases := []struct {
		name, query string
		args        []any
		want        []string // substrings of the plan
		not         []string
	}{
		{"history page", history, historyArgs, []string{"Index Scan Backward using messages_room_ts"}, []string{"Sort"}},
		{"thread replies", thread, threadArgs, []string{"using messages_thread "}, []string{"Sort"}},
		{"thread roots", roots, rootsArgs, []string{"using messages_thread_roots"}, []string{"Seq Scan"}},
		{"pinned", pinned, pinnedArgs, []string{"using messages_pinned"}, []string{"Seq Scan"}},
		{"starred", starred, starredArgs, []string{"messages_starred"}, []string{"Seq Scan"}},
		{"search", search, searchArgs, nil, []string{"Seq Scan"}},
		{"search in every room", searchAll, searchAllArgs, []string{"messages_search"}, []string{"Seq Scan"}},
		{"unread counts", `SELECT ` + subColumns + subFrom + ` WHERE s.rid = $1 AND s.u_id = $2`, []any{"r", "u"},
			[]string{"using messages_unread", "using mentions_user"}, []string{"Seq Scan"}},
		{"subscriptions of user", `SELECT ` + subColumns + subFrom + ` WHERE s.u_id = $1 ORDER BY s.rid`, []any{"u"},
			[]string{"using subscriptions_user", "using messages_unread"}, []string{"Seq Scan on messages"}},
	}
	for i, tc := range cases {
		// A prepared statement, executed with its generic plan: the one
		// the planner settles on for a statement run again and again.
		name := fmt.Sprintf("plan%d", i)
		if _, err := c.Exec(ctx, `PREPARE `+name+` AS `+tc.query); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		lits := make([]string, len(tc.args))
		for j, a := range tc.args {
			lits[j] = literal(a)
		}
		rows, err := c.Query(ctx, `EXPLAIN EXECUTE `+name+`(`+strings.Join(lits, ", ")+`)`, pgx.QueryExecModeSimpleProtocol)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		plan := strings.Join(lines, "\n")
		for _, w := range tc.want {
			if !strings.Contains(plan, w) {
				t.Errorf("%s: plan lacks %q:\n%s", tc.name, w, plan)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(plan, n) {
				t.Errorf("%s: plan has %q:\n%s", tc.name, n, plan)
			}
		}
	}
}

// literal renders a query argument as SQL, for EXECUTE.
func literal(v any) string {
	switch v := v.(type) {
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case []string:
		out := make([]string, len(v))
		for i, s := range v {
			out[i] = literal(s)
		}
		return "ARRAY[" + strings.Join(out, ", ") + "]::text[]"
	default:
		return fmt.Sprint(v)
	}
}
