package core

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func TestUploadType(t *testing.T) {
	e := newMsgEnv(t)
	pngHead := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	html := []byte("<!DOCTYPE html><html><body>hi</body></html>")
	for _, tt := range []struct {
		name, declared, file string
		head                 []byte
		want, errType        string
	}{
		{"png", "image/png", "a.png", pngHead, "image/png", ""},
		{"parameters dropped", "Image/PNG; charset=binary", "a.png", pngHead, "image/png", ""},
		{"generic type from the extension", "application/octet-stream", "a.png", pngHead, "image/png", ""},
		{"no type, from the content", "", "noext", pngHead, "image/png", ""},
		{"no type, text", "", "README", []byte("plain words"), "text/plain", ""},
		{"no type, binary", "", "blob", []byte{0, 1, 2, 3, 0xff}, "application/octet-stream", ""},
		{"png that is html", "image/png", "a.png", html, "", "error-invalid-file-type"},
		{"pdf that is html", "application/pdf", "a.pdf", html, "", "error-invalid-file-type"},
		{"html as html", "text/html", "a.html", html, "text/html", ""},
		{"html as text", "text/plain", "a.txt", html, "text/plain", ""},
		{"gif that is png", "image/gif", "a.gif", pngHead, "", "error-invalid-file-type"},
		{"webp signature", "image/webp", "a.webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), "image/webp", ""},
		{"riff that is not webp", "image/webp", "a.webp", []byte("RIFF\x00\x00\x00\x00WAVEfmt "), "", "error-invalid-file-type"},
		{"blacklisted svg", "image/svg+xml", "a.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "", "error-invalid-file-type"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.s.uploadType(tt.declared, tt.file, tt.head)
			if tt.errType != "" {
				var ce *chat.Error
				if err == nil || !asError(err, &ce) || ce.Type != tt.errType {
					t.Fatalf("got %q, %v; want %s", got, err, tt.errType)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func asError(err error, ce **chat.Error) bool {
	e, ok := err.(*chat.Error)
	*ce = e
	return ok
}

func TestMediaTypeLists(t *testing.T) {
	e := newMsgEnv(t)
	set := func(id, v string) {
		t.Helper()
		if _, err := e.s.SetSetting(e.ctx, e.admin, id, v); err != nil {
			t.Fatal(err)
		}
	}
	check := func(typ string, want bool) {
		t.Helper()
		if got := e.s.mediaTypeAllowed(typ); got != want {
			t.Fatalf("%s allowed = %v, want %v", typ, got, want)
		}
	}
	check("image/svg+xml", false) // Rocket.Chat's default black list
	check("image/png", true)
	set("FileUpload_MediaTypeWhiteList", "image/*, application/pdf")
	check("image/jpeg", true)
	check("application/pdf", true)
	check("text/plain", false)
	set("FileUpload_MediaTypeWhiteList", "*")
	check("text/plain", true)
	set("FileUpload_MediaTypeBlackList", "video/*,text/html")
	check("video/mp4", false)
	check("text/html", false)
	check("image/svg+xml", true)
	check("", false) // no type, and a black list
}

func TestUploadHelpers(t *testing.T) {
	for in, want := range map[int64]string{104857600: "100 MB", 100000: "97.7 KB", 512: "512 B", 1 << 30: "1 GB"} {
		if got := humanSize(in); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"photo.png": "photo.png", `C:\Users\me\cv.pdf`: "cv.pdf", "../../etc/passwd": "passwd", "": "file",
		"a\x00b\nc.txt": "abc.txt", "..": "file", strings.Repeat("é", 200): strings.Repeat("é", 127),
	} {
		if got := uploadName(in); got != want {
			t.Errorf("uploadName(%q) = %q, want %q", in, got, want)
		}
	}
	for _, tt := range [][6]int{{800, 600, 480, 360, 480, 360}, {600, 1200, 480, 360, 180, 360}, {100, 50, 480, 360, 100, 50}, {4000, 10, 480, 360, 480, 1}} {
		if w, h := fitInside(tt[0], tt[1], tt[2], tt[3]); w != tt[4] || h != tt[5] {
			t.Errorf("fitInside(%v) = %d×%d", tt[:4], w, h)
		}
	}
	if got := FileURL("abc", "my file?.png"); got != "/file-upload/abc/my%20file%3F.png" {
		t.Errorf("FileURL = %q", got)
	}
}

func avatarPNG(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestAvatarFetchPolicy(t *testing.T) {
	e := newMsgEnv(t)
	img := avatarPNG(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow.png" {
			time.Sleep(2 * time.Second)
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(img)
	}))
	t.Cleanup(srv.Close)
	wantType := func(err error, typ string) {
		t.Helper()
		var ce *chat.Error
		if err == nil || !asError(err, &ce) || ce.Type != typ {
			t.Fatalf("got %v, want %s", err, typ)
		}
	}

	// A policy that refuses loopback addresses (as a deployment would
	// refuse its private networks).
	strict := NewFiles(e.s, FilesConfig{DataDir: t.TempDir(), AllowFetch: func(a netip.Addr) bool { return !a.IsLoopback() }})
	wantType(strict.SetUserAvatar(e.ctx, e.admin, AvatarTarget{}, AvatarImage{URL: srv.URL + "/a.png"}), "error-avatar-invalid-url")

	// The default refuses nothing, but bounds the time.
	quick := NewFiles(e.s, FilesConfig{DataDir: t.TempDir(), FetchTimeout: 300 * time.Millisecond})
	if err := quick.SetUserAvatar(e.ctx, e.admin, AvatarTarget{}, AvatarImage{URL: srv.URL + "/a.png"}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	wantType(quick.SetUserAvatar(e.ctx, e.admin, AvatarTarget{}, AvatarImage{URL: srv.URL + "/slow.png"}), "error-avatar-invalid-url")
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Fatalf("a slow server held the fetch for %s", d)
	}
}

func TestSweepPurgesExpiredAndStale(t *testing.T) {
	e := newMsgEnv(t)
	now := time.Now()
	e.s.clock = func() time.Time { return now }
	f := NewFiles(e.s, FilesConfig{DataDir: t.TempDir(), StaleAfter: time.Hour})
	u, err := f.Upload(e.ctx, e.admin, NewUpload{RoomID: chat.GeneralRoomID, Name: "a.txt", Type: "text/plain", Size: -1,
		Body: strings.NewReader("temporary"), Temporary: true})
	if err != nil {
		t.Fatal(err)
	}
	kept, err := f.Upload(e.ctx, e.admin, NewUpload{RoomID: chat.GeneralRoomID, Name: "b.txt", Type: "text/plain", Size: -1,
		Body: strings.NewReader("kept")})
	if err != nil {
		t.Fatal(err)
	}
	stale := &chat.Upload{ID: chat.NewID(), Kind: chat.UploadFile, Name: "c", Type: "text/plain", RoomID: chat.GeneralRoomID,
		Store: chat.StorageDatabase, Key: "x", CreatedAt: now.Add(-2 * time.Hour).Truncate(time.Millisecond)}
	if err := e.st.CreateUpload(e.ctx, stale); err != nil {
		t.Fatal(err)
	}
	if n, err := f.Sweep(e.ctx); err != nil || n != 1 {
		t.Fatalf("first sweep: %d %v (want the stale upload only)", n, err)
	}
	now = now.Add(25 * time.Hour)
	if n, err := f.Sweep(e.ctx); err != nil || n != 1 {
		t.Fatalf("sweep after a day: %d %v (want the unclaimed upload)", n, err)
	}
	if _, err := e.st.UploadByID(e.ctx, u.ID); !chat.IsKind(err, chat.ENotFound) {
		t.Fatalf("expired upload: %v", err)
	}
	if _, err := e.st.ReadChunk(e.ctx, u.ID, 0); !chat.IsKind(err, chat.ENotFound) {
		t.Fatalf("expired upload's bytes: %v", err)
	}
	if _, err := e.st.UploadByID(e.ctx, kept.ID); err != nil {
		t.Fatalf("kept upload: %v", err)
	}
}
