package storetest

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

var uploadTests = []test{
	{"RoundTrip", testUploadRoundTrip},
	{"List", testUploadList},
	{"Chunks", testUploadChunks},
	{"OpenChunks", testUploadOpenChunks},
	{"DeleteAndPurge", testUploadDeleteAndPurge},
	{"GoWithMessage", testUploadGoesWithMessage},
	{"GoWithRoom", testUploadGoesWithRoom},
	{"AvatarGoesWithUser", testAvatarGoesWithUser},
	{"StaleAndExpired", testUploadStaleAndExpired},
	{"Avatars", testUploadAvatars},
	{"RolledBack", testUploadRolledBack},
}

// newUpload returns a complete file upload in room rid by user uid,
// created at t0+sec.
func newUpload(id, rid, uid, name, typ string, sec int) *chat.Upload {
	return &chat.Upload{
		ID: id, Kind: chat.UploadFile, Name: name, Type: typ, TypeGroup: chat.TypeGroupOf(typ), Size: 10,
		RoomID: rid, User: chat.UserRef{ID: uid, Username: "user-" + uid, Name: "Name " + uid},
		Store: chat.StorageDatabase, Key: id, ETag: "e-" + id, Complete: true,
		CreatedAt: at(sec), UpdatedAt: at(sec),
	}
}

func addUpload(t *testing.T, s chat.Store, u *chat.Upload) *chat.Upload {
	t.Helper()
	must(t, s.CreateUpload(ctx(t), u))
	return u
}

func uploadIDs(us []chat.Upload) []string { return ids(us, func(u chat.Upload) string { return u.ID }) }

func testUploadRoundTrip(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "files")
	u := newUpload("f1", "r1", "u1", "Photo.PNG", "image/png", 1)
	u.Complete = false
	u.Description = "a photo"
	u.Width, u.Height, u.Format = 640, 480, "png"
	u.ExpiresAt = at(86400)
	addUpload(t, s, u)
	got, err := s.UploadByID(ctx(t), "f1")
	must(t, err)
	equal(t, "new upload", got, u)
	wantKind(t, s.CreateUpload(ctx(t), newUpload("f1", "r1", "u1", "x", "text/plain", 2)), chat.EConflict)

	// Every changeable field is written.
	u.Complete, u.Size, u.MessageID, u.ExpiresAt = true, 12345, "m1", time.Time{}
	u.Name, u.Type, u.TypeGroup, u.Description, u.ETag = "renamed.png", "image/png", "image", "", "etag2"
	u.ThumbID, u.UpdatedAt = "thumb1", at(5)
	must(t, s.UpdateUpload(ctx(t), u))
	got, err = s.UploadByID(ctx(t), "f1")
	must(t, err)
	equal(t, "updated upload", got, u)

	thumb := newUpload("thumb1", "r1", "u1", "thumb-renamed.png", "image/png", 5)
	thumb.TypeGroup, thumb.OriginalID = chat.TypeGroupThumb, "f1"
	addUpload(t, s, thumb)
	got, err = s.UploadByID(ctx(t), "thumb1")
	must(t, err)
	equal(t, "thumbnail", got, thumb)

	_, err = s.UploadByID(ctx(t), "nope")
	wantKind(t, err, chat.ENotFound)
	wantKind(t, s.UpdateUpload(ctx(t), newUpload("nope", "r1", "u1", "x", "text/plain", 1)), chat.ENotFound)
}

func testUploadList(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "one")
	addRoom(t, s, "r2", chat.RoomChannel, "two")
	addUpload(t, s, newUpload("a", "r1", "u1", "beta.png", "image/png", 3))
	addUpload(t, s, newUpload("b", "r1", "u2", "Alpha.txt", "text/plain", 1))
	addUpload(t, s, newUpload("c", "r1", "u1", "ÉTÉ.jpg", "image/jpeg", 2))
	thumb := newUpload("d", "r1", "u1", "thumb-beta.png", "image/png", 3)
	thumb.TypeGroup = chat.TypeGroupThumb
	addUpload(t, s, thumb)
	pending := newUpload("e", "r1", "u1", "pending.txt", "text/plain", 4)
	pending.Complete = false
	addUpload(t, s, pending)
	addUpload(t, s, newUpload("f", "r2", "u1", "other.png", "image/png", 1))
	avatar := newUpload("g", "r1", "u1", "avatar.png", "image/png", 1)
	avatar.Kind = chat.UploadAvatar
	addUpload(t, s, avatar)

	list := func(f chat.UploadFilter, want []string, wantTotal int) {
		t.Helper()
		got, total, err := s.ListUploads(ctx(t), f)
		must(t, err)
		equal(t, "ids", uploadIDs(got), want)
		equal(t, "total", total, wantTotal)
	}
	// Names sort bytewise by default; incomplete uploads and avatars are
	// never listed as files.
	list(chat.UploadFilter{RoomID: "r1"}, []string{"b", "a", "d", "c"}, 4)
	list(chat.UploadFilter{RoomID: "r1", NoThumbs: true}, []string{"b", "a", "c"}, 3)
	list(chat.UploadFilter{RoomID: "r1", TypeGroup: "image"}, []string{"a", "c"}, 2)
	list(chat.UploadFilter{RoomID: "r1", Name: "ALPHA"}, []string{"b"}, 1)
	list(chat.UploadFilter{RoomID: "r1", Name: "été"}, []string{"c"}, 1)
	list(chat.UploadFilter{RoomID: "r1", NoThumbs: true, Sort: []chat.SortField{{Field: "uploadedAt", Desc: true}}},
		[]string{"a", "c", "b"}, 3)
	list(chat.UploadFilter{RoomID: "r1", NoThumbs: true, Sort: []chat.SortField{{Field: "uploadedAt", Desc: true}},
		Offset: 1, Limit: 1}, []string{"c"}, 3)
	list(chat.UploadFilter{RoomID: "r1", NoThumbs: true, Before: at(2), Sort: []chat.SortField{{Field: "uploadedAt", Desc: true}}},
		[]string{"c", "b"}, 2)
	list(chat.UploadFilter{UserID: "u2"}, []string{"b"}, 1)
	list(chat.UploadFilter{Kind: chat.UploadAvatar}, []string{"g"}, 1)
	_, _, err := s.ListUploads(ctx(t), chat.UploadFilter{Sort: []chat.SortField{{Field: "nope"}}})
	wantKind(t, err, chat.EInvalid)
}

func testUploadChunks(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "files")
	addUpload(t, s, newUpload("f1", "r1", "u1", "big.bin", "application/octet-stream", 1))
	full := bytes.Repeat([]byte{0, 1, 2, 0xff}, chat.ChunkSize/4)
	must(t, s.WriteChunk(ctx(t), "f1", 0, full))
	must(t, s.WriteChunk(ctx(t), "f1", 1, []byte("tail")))
	must(t, s.WriteChunk(ctx(t), "f1", 2, nil))
	got, err := s.ReadChunk(ctx(t), "f1", 0)
	must(t, err)
	if !bytes.Equal(got, full) {
		t.Fatalf("chunk 0: %d bytes back, want %d", len(got), len(full))
	}
	got, err = s.ReadChunk(ctx(t), "f1", 2)
	must(t, err)
	equal(t, "empty chunk", len(got), 0)
	// Writing again replaces.
	must(t, s.WriteChunk(ctx(t), "f1", 1, []byte("other")))
	got, err = s.ReadChunk(ctx(t), "f1", 1)
	must(t, err)
	equal(t, "replaced chunk", string(got), "other")
	_, err = s.ReadChunk(ctx(t), "f1", 3)
	wantKind(t, err, chat.ENotFound)

	must(t, s.DeleteChunks(ctx(t), "f1"))
	_, err = s.ReadChunk(ctx(t), "f1", 0)
	wantKind(t, err, chat.ENotFound)
}

func testUploadDeleteAndPurge(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "files")
	addUpload(t, s, newUpload("f1", "r1", "u1", "a.txt", "text/plain", 1))
	addUpload(t, s, newUpload("f2", "r1", "u1", "b.txt", "text/plain", 2))
	for n := range 3 * 64 / 2 { // more chunks than one purge batch
		must(t, s.WriteChunk(ctx(t), "f1", n, []byte{byte(n)}))
	}
	toPurge := func(want ...string) {
		t.Helper()
		got, err := s.UploadsToPurge(ctx(t), t0, at(10), 100)
		must(t, err)
		equal(t, "to purge", uploadIDs(got), want)
	}
	toPurge()
	must(t, s.DeleteUpload(ctx(t), "f1"))
	wantKind(t, s.DeleteUpload(ctx(t), "f1"), chat.ENotFound)
	_, err := s.UploadByID(ctx(t), "f1")
	wantKind(t, err, chat.ENotFound)
	wantKind(t, s.UpdateUpload(ctx(t), newUpload("f1", "r1", "u1", "a.txt", "text/plain", 1)), chat.ENotFound)
	got, _, err := s.ListUploads(ctx(t), chat.UploadFilter{RoomID: "r1"})
	must(t, err)
	equal(t, "listed after delete", uploadIDs(got), []string{"f2"})
	// The record keeps what purging needs.
	gone, err := s.UploadsToPurge(ctx(t), t0, at(10), 100)
	must(t, err)
	if len(gone) != 1 || gone[0].ID != "f1" || gone[0].Store != chat.StorageDatabase || gone[0].Key != "f1" {
		t.Fatalf("to purge: %+v", gone)
	}
	must(t, s.PurgeUpload(ctx(t), "f1"))
	toPurge()
	_, err = s.ReadChunk(ctx(t), "f1", 0)
	wantKind(t, err, chat.ENotFound)
	must(t, s.PurgeUpload(ctx(t), "f1")) // purged by another instance meanwhile
	_, err = s.UploadByID(ctx(t), "f2")
	must(t, err)
}

func testUploadGoesWithMessage(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "files")
	post(t, s, "r1", "m1", "u1", 1, "here")
	post(t, s, "r1", "m2", "u1", 2, "root")
	post(t, s, "r1", "m3", "u1", 3, "kept")
	for _, p := range [][2]string{{"f1", "m1"}, {"t1", "m1"}, {"f2", "m2"}, {"f3", "m3"}} {
		u := newUpload(p[0], "r1", "u1", p[0]+".png", "image/png", 1)
		u.MessageID = p[1]
		addUpload(t, s, u)
	}
	must(t, s.DeleteMessage(ctx(t), "m1", at(5)))
	// A deleted thread root stays as a placeholder of type rm, without its
	// files.
	m2, err := s.MessageByID(ctx(t), "m2")
	must(t, err)
	m2.Type, m2.Text = "rm", ""
	must(t, s.UpdateMessage(ctx(t), m2))
	// Other edits keep them.
	m3, err := s.MessageByID(ctx(t), "m3")
	must(t, err)
	m3.Text = "edited"
	must(t, s.UpdateMessage(ctx(t), m3))

	for _, id := range []string{"f1", "t1", "f2"} {
		_, err := s.UploadByID(ctx(t), id)
		wantKind(t, err, chat.ENotFound)
	}
	_, err = s.UploadByID(ctx(t), "f3")
	must(t, err)
	gone, err := s.UploadsToPurge(ctx(t), t0, at(10), 100)
	must(t, err)
	equal(t, "to purge", sorted(uploadIDs(gone)), []string{"f1", "f2", "t1"})
}

func testUploadGoesWithRoom(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "doomed")
	addRoom(t, s, "r2", chat.RoomChannel, "stays")
	post(t, s, "r1", "m1", "u1", 1, "file")
	u := newUpload("f1", "r1", "u1", "a.png", "image/png", 1)
	u.MessageID = "m1"
	addUpload(t, s, u)
	addUpload(t, s, newUpload("f2", "r1", "u1", "unposted.png", "image/png", 1))
	avatar := newUpload("av", "r1", "u1", "avatar.png", "image/png", 1)
	avatar.Kind = chat.UploadAvatar
	addUpload(t, s, avatar)
	addUpload(t, s, newUpload("f3", "r2", "u1", "other.png", "image/png", 1))

	must(t, s.DeleteRoom(ctx(t), "r1", at(5)))
	gone, err := s.UploadsToPurge(ctx(t), t0, at(10), 100)
	must(t, err)
	equal(t, "to purge", sorted(uploadIDs(gone)), []string{"av", "f1", "f2"})
	_, err = s.UploadByID(ctx(t), "f3")
	must(t, err)
}

func testAvatarGoesWithUser(t *testing.T, s chat.Store) {
	addUser(t, s, "u1", "leaving")
	addUser(t, s, "u2", "staying")
	addRoom(t, s, "r1", chat.RoomChannel, "files")
	for _, id := range []string{"a1", "a2"} {
		a := newUpload(id, "", "u"+id[1:], "avatar.png", "image/png", 1)
		a.Kind = chat.UploadAvatar
		addUpload(t, s, a)
	}
	addUpload(t, s, newUpload("f1", "r1", "u1", "kept.png", "image/png", 1)) // files stay with the room
	must(t, s.DeleteUser(ctx(t), "u1"))
	gone, err := s.UploadsToPurge(ctx(t), t0, at(10), 100)
	must(t, err)
	equal(t, "to purge", uploadIDs(gone), []string{"a1"})
}

func testUploadStaleAndExpired(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "files")
	stale := newUpload("stale", "r1", "u1", "a", "text/plain", 1)
	stale.Complete = false
	addUpload(t, s, stale)
	fresh := newUpload("fresh", "r1", "u1", "b", "text/plain", 100)
	fresh.Complete = false
	addUpload(t, s, fresh)
	expired := newUpload("expired", "r1", "u1", "c", "text/plain", 2)
	expired.ExpiresAt = at(50)
	addUpload(t, s, expired)
	claimed := newUpload("claimed", "r1", "u1", "d", "text/plain", 3)
	claimed.ExpiresAt, claimed.MessageID = at(50), "m1"
	addUpload(t, s, claimed)
	waiting := newUpload("waiting", "r1", "u1", "e", "text/plain", 4)
	waiting.ExpiresAt = at(500)
	addUpload(t, s, waiting)

	gone, err := s.UploadsToPurge(ctx(t), at(10), at(60), 100)
	must(t, err)
	equal(t, "to purge", uploadIDs(gone), []string{"stale", "expired"})
	gone, err = s.UploadsToPurge(ctx(t), at(10), at(60), 1)
	must(t, err)
	equal(t, "limited", uploadIDs(gone), []string{"stale"})
}

func testUploadAvatars(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "files")
	avatar := func(id, uid, rid string, sec int, complete bool) {
		a := newUpload(id, rid, uid, "avatar", "image/png", sec)
		a.Kind, a.Complete = chat.UploadAvatar, complete
		addUpload(t, s, a)
	}
	_, err := s.AvatarOf(ctx(t), "u1", "")
	wantKind(t, err, chat.ENotFound)
	avatar("old", "u1", "", 1, true)
	avatar("new", "u1", "", 2, true)
	avatar("partial", "u1", "", 3, false)
	avatar("room", "u1", "r1", 4, true) // a room avatar u1 uploaded
	addUpload(t, s, newUpload("file", "r1", "u1", "x.png", "image/png", 5))
	got, err := s.AvatarOf(ctx(t), "u1", "")
	must(t, err)
	equal(t, "user avatar", got.ID, "new")
	got, err = s.AvatarOf(ctx(t), "", "r1")
	must(t, err)
	equal(t, "room avatar", got.ID, "room")
	must(t, s.DeleteUpload(ctx(t), "new"))
	got, err = s.AvatarOf(ctx(t), "u1", "")
	must(t, err)
	equal(t, "after delete", got.ID, "old")
}

func testUploadRolledBack(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "files")
	boom := errors.New("boom")
	err := s.WithTx(ctx(t), func(tx chat.Store) error {
		must(t, tx.CreateUpload(ctx(t), newUpload("f1", "r1", "u1", "a", "text/plain", 1)))
		must(t, tx.WriteChunk(ctx(t), "f1", 0, []byte("x")))
		u, err := tx.UploadByID(ctx(t), "f1")
		must(t, err)
		u.MessageID = "m1"
		must(t, tx.UpdateUpload(ctx(t), u))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WithTx: %v", err)
	}
	_, err = s.UploadByID(ctx(t), "f1")
	wantKind(t, err, chat.ENotFound)
	_, err = s.ReadChunk(ctx(t), "f1", 0)
	wantKind(t, err, chat.ENotFound)
}

func testUploadOpenChunks(t *testing.T, s chat.Store) {
	addRoom(t, s, "r1", chat.RoomChannel, "files")
	addUpload(t, s, newUpload("f1", "r1", "u1", "a.bin", "application/octet-stream", 1))
	must(t, s.WriteChunk(ctx(t), "f1", 0, []byte("zero")))
	must(t, s.WriteChunk(ctx(t), "f1", 1, []byte("one")))
	r, err := s.OpenChunks(ctx(t), "f1")
	must(t, err)
	for n, want := range []string{"zero", "one"} {
		got, err := r.ReadChunk(ctx(t), n)
		must(t, err)
		equal(t, "chunk", string(got), want)
	}
	_, err = r.ReadChunk(ctx(t), 2)
	wantKind(t, err, chat.ENotFound)
	// Chunks written after opening are seen: nothing is held between reads.
	must(t, s.WriteChunk(ctx(t), "f1", 2, []byte("two")))
	got, err := r.ReadChunk(ctx(t), 2)
	must(t, err)
	equal(t, "late chunk", string(got), "two")
	must(t, r.Close())
	// Inside a transaction, through it.
	must(t, s.WithTx(ctx(t), func(tx chat.Store) error {
		must(t, tx.WriteChunk(ctx(t), "f1", 3, []byte("three")))
		r, err := tx.OpenChunks(ctx(t), "f1")
		must(t, err)
		defer r.Close()
		got, err := r.ReadChunk(ctx(t), 3)
		must(t, err)
		equal(t, "chunk in tx", string(got), "three")
		return nil
	}))
}
