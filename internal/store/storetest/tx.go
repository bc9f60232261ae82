package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var txTests = []test{
	{"Commit", testTxCommit},
	{"RollbackOnError", testTxRollback},
	{"RollbackOnPanic", testTxPanic},
	{"Nested", testTxNested},
	{"ReadsSeeOwnWrites", testTxReadsOwnWrites},
	{"IsolatedUntilCommit", testTxIsolated},
	{"DomainErrorsPassThrough", testTxDomainErrors},
	{"CancelledContext", testTxCancelled},
}

var concurrencyTests = []test{
	{"InsertMessages", testConcurrentInserts},
	{"IncrementRoomUsers", testConcurrentIncrements},
	{"ReadsDuringWrites", testConcurrentReadsAndWrites},
	{"FailuresAreIsolated", testConcurrentFailures},
}

func testTxCommit(t *testing.T, s chat.Store) {
	must(t, s.Ping(ctx(t)))
	err := s.WithTx(ctx(t), func(tx chat.Store) error {
		addUser(t, tx, "u1", "ann")
		addRoom(t, tx, "r1", chat.RoomChannel, "room")
		subscribe(t, tx, "r1", "u1")
		post(t, tx, "r1", "m1", "u2", 1, "hello")
		return nil
	})
	must(t, err)
	if _, err := s.UserByID(ctx(t), "u1"); err != nil {
		t.Fatalf("user after commit: %v", err)
	}
	sub, err := s.Subscription(ctx(t), "r1", "u1")
	must(t, err)
	equal(t, "unread after commit", sub.Unread, 1)
}

func testTxRollback(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	post(t, s, "r1", "m0", "u1", 1, "before")
	boom := errors.New("boom")
	err := s.WithTx(ctx(t), func(tx chat.Store) error {
		addUser(t, tx, "u1", "ann")
		addRoom(t, tx, "r2", chat.RoomChannel, "room2")
		post(t, tx, "r1", "m1", "u1", 2, "inside")
		must(t, tx.StarMessage(ctx(t), "m0", "u1"))
		must(t, tx.DeleteMessage(ctx(t), "m0", at(3)))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WithTx returned %v, want the function's error", err)
	}
	_, err = s.UserByID(ctx(t), "u1")
	wantKind(t, err, chat.ENotFound)
	_, err = s.RoomByID(ctx(t), "r2")
	wantKind(t, err, chat.ENotFound)
	_, err = s.MessageByID(ctx(t), "m1")
	wantKind(t, err, chat.ENotFound)
	m0, err := s.MessageByID(ctx(t), "m0")
	must(t, err)
	equal(t, "stars rolled back", m0.Starred, []string(nil))
	removed, _, err := s.DeletedMessages(ctx(t), "r1", at(0), 0, 0)
	must(t, err)
	equal(t, "removals rolled back", len(removed), 0)
	r, err := s.RoomByID(ctx(t), "r1")
	must(t, err)
	equal(t, "room counters rolled back", []any{r.Seq, r.Msgs, r.LastMessage.ID}, []any{int64(1), 1, "m0"})
	found := search(t, s, "r1", "inside")
	equal(t, "search rolled back", len(found), 0)

	// The store keeps working, and the next message takes the next seq.
	m := post(t, s, "r1", "m2", "u1", 4, "after")
	equal(t, "seq after rollback", m.Seq, int64(2))
}

func testTxPanic(t *testing.T, s chat.Store) {
	func() {
		defer func() {
			if r := recover(); r != "kaboom" {
				t.Fatalf("recovered %v, want the panic to go on", r)
			}
		}()
		_ = s.WithTx(ctx(t), func(tx chat.Store) error {
			addUser(t, tx, "u1", "ann")
			panic("kaboom")
		})
	}()
	_, err := s.UserByID(ctx(t), "u1")
	wantKind(t, err, chat.ENotFound)
	// The store is usable afterwards.
	addUser(t, s, "u2", "bea")
}

func testTxNested(t *testing.T, s chat.Store) {
	// A nested call joins the outer transaction: its writes commit with
	// the outer ones.
	err := s.WithTx(ctx(t), func(tx chat.Store) error {
		addUser(t, tx, "u1", "ann")
		return tx.WithTx(ctx(t), func(inner chat.Store) error {
			if _, err := inner.UserByID(ctx(t), "u1"); err != nil {
				return fmt.Errorf("outer write not visible inside: %w", err)
			}
			addUser(t, inner, "u2", "bea")
			return nil
		})
	})
	must(t, err)
	got, err := s.UsersByIDs(ctx(t), []string{"u1", "u2"})
	must(t, err)
	equal(t, "both committed", len(got), 2)

	// ... and roll back with them when the outer fails.
	boom := errors.New("boom")
	err = s.WithTx(ctx(t), func(tx chat.Store) error {
		addUser(t, tx, "u3", "cid")
		must(t, tx.WithTx(ctx(t), func(inner chat.Store) error {
			addUser(t, inner, "u4", "dee")
			return nil
		}))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WithTx returned %v, want boom", err)
	}
	got, err = s.UsersByIDs(ctx(t), []string{"u3", "u4"})
	must(t, err)
	equal(t, "both rolled back", len(got), 0)

	// An inner error that the outer function returns rolls back all.
	err = s.WithTx(ctx(t), func(tx chat.Store) error {
		addUser(t, tx, "u5", "eve")
		return tx.WithTx(ctx(t), func(inner chat.Store) error {
			addUser(t, inner, "u6", "fay")
			return boom
		})
	})
	if !errors.Is(err, boom) {
		t.Fatalf("nested WithTx returned %v, want boom", err)
	}
	got, err = s.UsersByIDs(ctx(t), []string{"u5", "u6"})
	must(t, err)
	equal(t, "inner failure rolled back", len(got), 0)
}

// testTxReadsOwnWrites: every read of the transaction's store sees its
// uncommitted writes, including computed counts and listings.
func testTxReadsOwnWrites(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	subscribe(t, s, "r1", "a")
	err := s.WithTx(ctx(t), func(tx chat.Store) error {
		addUser(t, tx, "u1", "ann")
		if _, err := tx.UserByUsername(ctx(t), "ANN"); err != nil {
			return fmt.Errorf("user by username: %w", err)
		}
		users, total, err := tx.ListUsers(ctx(t), chat.UserFilter{Text: "ann"})
		if err != nil || total != 1 || len(users) != 1 {
			return fmt.Errorf("list users in tx: %d %d %v", len(users), total, err)
		}
		insert(t, tx, &chat.Message{ID: "m1", RoomID: "r1", Text: "needle @a", User: chat.UserRef{ID: "b"}, TS: at(1), Mentions: mentionA})
		sub, err := tx.Subscription(ctx(t), "r1", "a")
		if err != nil {
			return err
		}
		if got := countsOf(sub); got != (counts{Unread: 1, UserMentions: 1, Alert: true}) {
			return fmt.Errorf("counts in tx: %+v", got)
		}
		r, err := tx.RoomByID(ctx(t), "r1")
		if err != nil {
			return err
		}
		if r.Seq != 1 || r.LastMessage == nil || r.LastMessage.ID != "m1" {
			return fmt.Errorf("room in tx: seq %d last %+v", r.Seq, r.LastMessage)
		}
		found, _, err := tx.ListMessages(ctx(t), chat.MessageFilter{RoomID: "r1", Text: "needle"})
		if err != nil || len(found) != 1 {
			return fmt.Errorf("search in tx: %d %v", len(found), err)
		}
		return tx.Ping(ctx(t))
	})
	must(t, err)
}

// testTxIsolated: other readers do not see a transaction's writes before it
// commits.
func testTxIsolated(t *testing.T, s chat.Store) {
	err := s.WithTx(ctx(t), func(tx chat.Store) error {
		addUser(t, tx, "u1", "ann")
		_, err := s.UserByID(ctx(t), "u1")
		if !chat.IsKind(err, chat.ENotFound) {
			return fmt.Errorf("outside the transaction, got %v, want not found", err)
		}
		return nil
	})
	must(t, err)
	if _, err := s.UserByID(ctx(t), "u1"); err != nil {
		t.Fatalf("after commit: %v", err)
	}
}

// testTxDomainErrors: a domain error inside the transaction comes out with
// its kind, so callers can tell a conflict from a failure.
func testTxDomainErrors(t *testing.T, s chat.Store) {
	addUser(t, s, "u1", "ann")
	err := s.WithTx(ctx(t), func(tx chat.Store) error {
		return tx.CreateUser(ctx(t), &chat.User{ID: "u2", Username: "ANN"})
	})
	wantKind(t, err, chat.EConflict)
	err = s.WithTx(ctx(t), func(tx chat.Store) error {
		_, err := tx.RoomByID(ctx(t), "nope")
		return err
	})
	wantKind(t, err, chat.ENotFound)
}

// testConcurrentInserts: messages posted at once into one room get distinct,
// gap-free sequence numbers, and the counters add up.
func testConcurrentInserts(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "busy")
	const workers, each = 8, 100
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seqs []int64
		errs = make(chan error, workers)
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				m := &chat.Message{ID: fmt.Sprintf("w%d-%d", w, i), RoomID: "r1", Text: "load", User: chat.UserRef{ID: fmt.Sprint("u", w)}, TS: at(i)}
				var err error
				if i%2 == 0 {
					// The way a post does it: inside a transaction.
					err = s.WithTx(ctx(t), func(tx chat.Store) error { return tx.InsertMessage(ctx(t), m, true) })
				} else {
					err = s.InsertMessage(ctx(t), m, true)
				}
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				seqs = append(seqs, m.Seq)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent insert: %v", err)
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	for i, seq := range seqs {
		if seq != int64(i+1) {
			t.Fatalf("seqs are not 1..%d: position %d holds %d", workers*each, i, seq)
		}
	}
	r, err := s.RoomByID(ctx(t), "r1")
	must(t, err)
	equal(t, "room counters", []any{r.Seq, r.Msgs}, []any{int64(workers * each), workers * each})
	n, err := s.CountMessages(ctx(t), chat.MessageFilter{RoomID: "r1"})
	must(t, err)
	equal(t, "stored messages", n, workers*each)
}

func testConcurrentIncrements(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				if err := s.IncrementRoomUsers(ctx(t), "r1", 1); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("increment: %v", err)
	}
	r, err := s.RoomByID(ctx(t), "r1")
	must(t, err)
	equal(t, "usersCount", r.UsersCount, 200)
}

// testConcurrentReadsAndWrites: readers see consistent counts while a writer
// posts: the unread count never exceeds what was posted, and never goes
// backwards.
func testConcurrentReadsAndWrites(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	subscribe(t, s, "r1", "a")
	const total = 100
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := 0
			for {
				select {
				case <-done:
					return
				default:
				}
				sub, err := s.Subscription(ctx(t), "r1", "a")
				if err != nil {
					errs <- err
					return
				}
				if sub.Unread < last || sub.Unread > total {
					errs <- fmt.Errorf("unread went from %d to %d", last, sub.Unread)
					return
				}
				last = sub.Unread
			}
		}()
	}
	for i := range total {
		post(t, s, "r1", fmt.Sprint("m", i), "b", i, "x")
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	sub, err := s.Subscription(ctx(t), "r1", "a")
	must(t, err)
	equal(t, "final unread", sub.Unread, total)
}

// testTxCancelled: a transaction whose context ends fails and leaves
// nothing, and the store goes on.
func testTxCancelled(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	c, cancel := context.WithCancel(ctx(t))
	err := s.WithTx(c, func(tx chat.Store) error {
		if err := tx.CreateUser(c, &chat.User{ID: "u1", Username: "ann"}); err != nil {
			return err
		}
		cancel()
		return tx.InsertMessage(c, &chat.Message{ID: "m1", RoomID: "r1", TS: at(1)}, true)
	})
	if err == nil {
		t.Fatal("a transaction with a cancelled context succeeded")
	}
	_, err = s.UserByID(ctx(t), "u1")
	wantKind(t, err, chat.ENotFound)
	// A call with a context that is already done fails too.
	err = s.CreateUser(c, &chat.User{ID: "u2", Username: "bea"})
	if err == nil {
		t.Fatal("a write with a cancelled context succeeded")
	}
	m := post(t, s, "r1", "m2", "u1", 2, "still works")
	equal(t, "seq", m.Seq, int64(1))
}

// testConcurrentFailures: transactions that fail while others commit at the
// same time leave nothing, and take nothing of the others with them.
func testConcurrentFailures(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "room")
	const workers, each = 8, 40
	boom := errors.New("boom")
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				fail := i%3 == 0
				err := s.WithTx(ctx(t), func(tx chat.Store) error {
					if err := tx.InsertMessage(ctx(t), &chat.Message{ID: id, RoomID: "r1", Text: "x", TS: at(i)}, true); err != nil {
						return err
					}
					if err := tx.CreateUser(ctx(t), &chat.User{ID: id, Username: id}); err != nil {
						return err
					}
					if fail {
						return boom
					}
					return nil
				})
				if fail != errors.Is(err, boom) || (!fail && err != nil) {
					errs <- fmt.Errorf("%s: fail=%v, got %v", id, fail, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	committed := 0
	for w := range workers {
		for i := range each {
			id := fmt.Sprintf("w%d-%d", w, i)
			_, mErr := s.MessageByID(ctx(t), id)
			_, uErr := s.UserByID(ctx(t), id)
			if i%3 == 0 {
				wantKind(t, mErr, chat.ENotFound)
				wantKind(t, uErr, chat.ENotFound)
				continue
			}
			must(t, mErr)
			must(t, uErr)
			committed++
		}
	}
	r, err := s.RoomByID(ctx(t), "r1")
	must(t, err)
	// Failed transactions gave their seq back: the sequence has no gaps.
	equal(t, "room counters", []any{r.Seq, r.Msgs}, []any{int64(committed), committed})
	// ... and left nothing in the search index.
	equal(t, "searchable messages", len(search(t, s, "r1", "x")), committed)
}
