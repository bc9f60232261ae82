package rest_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// pngImage encodes a w×h PNG.
func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// part is one part of a multipart form: a file when name is set.
type part struct {
	field, name, ctype string
	data               []byte
}

// multipartBody builds a multipart/form-data body.
func multipartBody(t *testing.T, parts ...part) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		if p.name != "" {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, p.field, p.name))
			if p.ctype != "" {
				h.Set("Content-Type", p.ctype)
			}
		} else {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"`, p.field))
		}
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(p.data)
	}
	w.Close()
	return b.Bytes(), w.FormDataContentType()
}

// postForm posts a multipart body as c.
func postForm(t *testing.T, c *testenv.Client, path string, parts ...part) *testenv.Response {
	t.Helper()
	body, ct := multipartBody(t, parts...)
	req, err := http.NewRequest(http.MethodPost, c.Base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	return c.Do(t, req)
}

func filePart(name, ctype string, data []byte) part {
	return part{field: "file", name: name, ctype: ctype, data: data}
}

func field(name, value string) part { return part{field: name, data: []byte(value)} }

// get fetches a path with optional headers, returning the response and its
// body.
func get(t *testing.T, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// authHeaders returns c's REST auth headers.
func authHeaders(c *testenv.Client) map[string]string {
	return map[string]string{"X-User-Id": c.UserID, "X-Auth-Token": c.Token}
}

func obj(t *testing.T, v any, what string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is not an object: %#v", what, v)
	}
	return m
}

func list(t *testing.T, v any, what string) []any {
	t.Helper()
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("%s is not a list: %#v", what, v)
	}
	return l
}

// uploadSettings starts a server whose files go to a directory the test
// can look into.
func fsEnv(t *testing.T, env map[string]string) (*testenv.Env, string) {
	t.Helper()
	dir := t.TempDir()
	e := map[string]string{
		"OVERWRITE_SETTING_FileUpload_Storage_Type":   "FileSystem",
		"OVERWRITE_SETTING_FileUpload_FileSystemPath": dir,
	}
	for k, v := range env {
		e[k] = v
	}
	return testenv.Start(t, testenv.Options{Env: e}), dir
}

// storedFiles lists the files under dir.
func storedFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// noHalfUploads checks that no upload record is left incomplete, deleted
// or unclaimed (what the sweeper would have to clean up).
func noHalfUploads(t *testing.T, env *testenv.Env) {
	t.Helper()
	far := time.Now().Add(1000 * time.Hour)
	left, err := env.Server.Core().Store().UploadsToPurge(context.Background(), far, far, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Fatalf("upload records left behind: %+v", left)
	}
}

func TestRoomsUploadImage(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	ws, _ := ddptest.Connect(t, env.WSURL, "1")
	ws.Login(testenv.AdminUsername, testenv.AdminPassword)
	ws.MustSub("stream-room-messages", "GENERAL", false)

	img := pngImage(t, 800, 600)
	res := postForm(t, env.Admin, "/api/v1/rooms.upload/GENERAL",
		field("msg", "look at this"), filePart("photo.png", "image/png", img), field("description", "a sunset"))
	m := obj(t, acctOK(t, res)["message"], "message")
	if m["msg"] != "look at this" || m["rid"] != "GENERAL" || m["groupable"] != false {
		t.Fatalf("message %s", res.Raw)
	}
	file := obj(t, m["file"], "file")
	id, _ := file["_id"].(string)
	if id == "" || file["name"] != "photo.png" || file["type"] != "image/png" || file["size"] != float64(len(img)) || file["format"] != "png" {
		t.Fatalf("file %v", file)
	}
	files := list(t, m["files"], "files")
	if len(files) != 2 || obj(t, files[0], "files[0]")["_id"] != id {
		t.Fatalf("files (original and thumbnail) %v", files)
	}
	thumb := obj(t, files[1], "files[1]")
	thumbID, _ := thumb["_id"].(string)
	a := obj(t, list(t, m["attachments"], "attachments")[0], "attachment")
	link := "/file-upload/" + id + "/photo.png"
	want := map[string]any{
		"title": "photo.png", "type": "file", "title_link": link, "title_link_download": true,
		"image_url": "/file-upload/" + thumbID + "/photo.png", "image_type": "image/png",
		"image_size": float64(len(img)), "description": "a sunset",
	}
	for k, v := range want {
		if a[k] != v {
			t.Errorf("attachment %s = %#v, want %#v", k, a[k], v)
		}
	}
	dims := obj(t, a["image_dimensions"], "image_dimensions")
	if dims["width"] != float64(480) || dims["height"] != float64(360) {
		t.Fatalf("thumbnail dimensions %v", dims)
	}

	// Live on the stream, file and all.
	ws.ExpectEvent("stream-room-messages", "GENERAL", func(args []any) bool {
		msg, _ := args[0].(map[string]any)
		f, _ := msg["file"].(map[string]any)
		return msg["_id"] == m["_id"] && f["_id"] == id
	})

	// The original, and the thumbnail.
	resp, body := get(t, env.BaseURL+link, authHeaders(env.Admin))
	if resp.StatusCode != 200 || !bytes.Equal(body, img) || resp.Header.Get("Content-Type") != "image/png" ||
		resp.Header.Get("Content-Length") != fmt.Sprint(len(img)) || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline") ||
		resp.Header.Get("Cache-Control") != "private, max-age=31536000" || resp.Header.Get("ETag") == "" ||
		resp.Header.Get("Last-Modified") == "" {
		t.Fatalf("download: %d %v (%d bytes)", resp.StatusCode, resp.Header, len(body))
	}
	for _, u := range []string{env.BaseURL + "/file-upload/" + thumbID + "/photo.png", env.BaseURL + link + "?thumb=1"} {
		resp, body = get(t, u, authHeaders(env.Admin))
		cfg, err := png.DecodeConfig(bytes.NewReader(body))
		if resp.StatusCode != 200 || err != nil || cfg.Width != 480 || cfg.Height != 360 {
			t.Fatalf("thumbnail %s: %d %v %+v", u, resp.StatusCode, err, cfg)
		}
	}

	// Listed, without the thumbnail.
	lst := acctOK(t, env.Admin.Get(t, "/api/v1/channels.files", map[string]string{"roomId": "GENERAL"}))
	fl := list(t, lst["files"], "files")
	if len(fl) != 1 || lst["total"] != float64(1) || lst["count"] != float64(1) || lst["offset"] != float64(0) {
		t.Fatalf("channels.files %s", lst)
	}
	f := obj(t, fl[0], "file")
	if f["_id"] != id || f["name"] != "photo.png" || f["typeGroup"] != "image" || f["rid"] != "GENERAL" ||
		f["url"] != link || f["description"] != "a sunset" || f["complete"] != true {
		t.Fatalf("file doc %v", f)
	}
	if u := obj(t, f["user"], "user"); u["username"] != testenv.AdminUsername {
		t.Fatalf("file user %v", u)
	}
	if ts, _ := f["uploadedAt"].(string); !strings.HasSuffix(ts, "Z") || len(ts) != 24 {
		t.Fatalf("uploadedAt %v", f["uploadedAt"])
	}
	if size := obj(t, obj(t, f["identify"], "identify")["size"], "size"); size["width"] != float64(800) {
		t.Fatalf("identify %v", f["identify"])
	}
	imgs := acctOK(t, env.Admin.Get(t, "/api/v1/rooms.images", map[string]string{"roomId": "GENERAL"}))
	if il := list(t, imgs["files"], "files"); len(il) != 1 || obj(t, il[0], "image")["_id"] != id || imgs["total"] != float64(1) {
		t.Fatalf("rooms.images %s", imgs)
	}
}

func TestRoomsUploadFileAndListing(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	text := []byte("hello, world\n")
	res := postForm(t, env.Admin, "/api/v1/rooms.upload/GENERAL", filePart("Notes.TXT", "text/plain", text))
	m := obj(t, acctOK(t, res)["message"], "message")
	a := obj(t, list(t, m["attachments"], "attachments")[0], "attachment")
	if a["format"] != "txt" || a["size"] != float64(len(text)) || a["image_url"] != nil || a["type"] != "file" || m["msg"] != "" {
		t.Fatalf("attachment %v", a)
	}
	if len(list(t, m["files"], "files")) != 1 {
		t.Fatalf("files %v", m["files"])
	}
	postForm(t, env.Admin, "/api/v1/rooms.upload/GENERAL", filePart("a.png", "image/png", pngImage(t, 10, 10))).MustOK(t)
	// A thread reply.
	res = postForm(t, env.Admin, "/api/v1/rooms.upload/GENERAL", filePart("reply.txt", "text/plain", text), field("tmid", m["_id"].(string)))
	if reply := obj(t, acctOK(t, res)["message"], "reply"); reply["tmid"] != m["_id"] {
		t.Fatalf("reply %v", reply)
	}

	names := func(q map[string]string) []string {
		t.Helper()
		q["roomId"] = "GENERAL"
		var out []string
		for _, f := range list(t, acctOK(t, env.Admin.Get(t, "/api/v1/channels.files", q))["files"], "files") {
			out = append(out, obj(t, f, "file")["name"].(string))
		}
		return out
	}
	if got := fmt.Sprint(names(map[string]string{})); got != "[Notes.TXT a.png reply.txt]" {
		t.Fatalf("by name: %s", got)
	}
	if got := fmt.Sprint(names(map[string]string{"typeGroup": "image"})); got != "[a.png]" {
		t.Fatalf("typeGroup: %s", got)
	}
	if got := fmt.Sprint(names(map[string]string{"name": "notes"})); got != "[Notes.TXT]" {
		t.Fatalf("name: %s", got)
	}
	if got := fmt.Sprint(names(map[string]string{"query": `{"name":{"$regex":"rep","$options":"i"},"typeGroup":"text"}`})); got != "[reply.txt]" {
		t.Fatalf("query: %s", got)
	}
	if got := fmt.Sprint(names(map[string]string{"sort": `{"uploadedAt":-1}`, "count": "1", "offset": "1"})); got != "[a.png]" {
		t.Fatalf("sorted page: %s", got)
	}
	rmFail(t, env.Admin.Get(t, "/api/v1/channels.files", map[string]string{"roomId": "nope"}), 400, "error-room-not-found", "")

	// groups.files and im.files.
	bob := env.CreateUser(t, "bob")
	g := obj(t, acctOK(t, env.Admin.Post(t, "/api/v1/groups.create", map[string]any{"name": "secret"}))["group"], "group")
	gid := g["_id"].(string)
	postForm(t, env.Admin, "/api/v1/rooms.upload/"+gid, filePart("plan.txt", "text/plain", text)).MustOK(t)
	if fl := acctOK(t, env.Admin.Get(t, "/api/v1/groups.files", map[string]string{"roomId": gid})); fl["total"] != float64(1) {
		t.Fatalf("groups.files %v", fl)
	}
	rmFail(t, bob.Get(t, "/api/v1/groups.files", map[string]string{"roomId": gid}), 400, "error-room-not-found", "")
	dm := obj(t, acctOK(t, bob.Post(t, "/api/v1/im.create", map[string]any{"username": testenv.AdminUsername}))["room"], "room")
	did := dm["_id"].(string)
	postForm(t, bob, "/api/v1/rooms.upload/"+did, filePart("dm.txt", "text/plain", text)).MustOK(t)
	for _, q := range []map[string]string{{"roomId": did}, {"username": testenv.AdminUsername}} {
		if fl := acctOK(t, bob.Get(t, "/api/v1/im.files", q)); fl["total"] != float64(1) {
			t.Fatalf("im.files %v: %v", q, fl)
		}
	}
}

func TestRoomsMediaConfirm(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	img := pngImage(t, 40, 30)
	res := postForm(t, env.Admin, "/api/v1/rooms.media/GENERAL", filePart("small.png", "image/png", img))
	f := obj(t, acctOK(t, res)["file"], "file")
	id, _ := f["_id"].(string)
	if id == "" || f["url"] != "/file-upload/"+id+"/small.png" {
		t.Fatalf("rooms.media %s", res.Raw)
	}
	// Someone else cannot claim it; a wrong room neither.
	rmFail(t, bob.Post(t, "/api/v1/rooms.mediaConfirm/GENERAL/"+id, map[string]any{"msg": "mine"}), 400, "invalid-file", "")
	g := obj(t, acctOK(t, env.Admin.Post(t, "/api/v1/groups.create", map[string]any{"name": "other"}))["group"], "group")
	rmFail(t, env.Admin.Post(t, "/api/v1/rooms.mediaConfirm/"+g["_id"].(string)+"/"+id, map[string]any{}), 400, "invalid-file", "")

	res = env.Admin.Post(t, "/api/v1/rooms.mediaConfirm/GENERAL/"+id, map[string]any{"msg": "small one", "description": "tiny"})
	m := obj(t, acctOK(t, res)["message"], "message")
	a := obj(t, list(t, m["attachments"], "attachments")[0], "attachment")
	if m["msg"] != "small one" || obj(t, m["file"], "file")["_id"] != id || a["description"] != "tiny" ||
		a["image_url"] != "/file-upload/"+id+"/small.png" {
		t.Fatalf("confirmed %s", res.Raw)
	}
	// No thumbnail for an image within the thumbnail size.
	if dims := obj(t, a["image_dimensions"], "dims"); dims["width"] != float64(40) || len(list(t, m["files"], "files")) != 1 {
		t.Fatalf("small image %v", a)
	}
	rmFail(t, env.Admin.Post(t, "/api/v1/rooms.mediaConfirm/GENERAL/"+id, map[string]any{}), 400, "invalid-file", "")
	rmFail(t, env.Admin.Post(t, "/api/v1/rooms.mediaConfirm/GENERAL/nope", map[string]any{}), 400, "invalid-file", "")
	// A description over Message_MaxAllowedSize is refused.
	res = postForm(t, env.Admin, "/api/v1/rooms.media/GENERAL", filePart("b.txt", "text/plain", []byte("b")))
	id2 := obj(t, acctOK(t, res)["file"], "file")["_id"].(string)
	rmFail(t, env.Admin.Post(t, "/api/v1/rooms.mediaConfirm/GENERAL/"+id2, map[string]any{"description": strings.Repeat("x", 5001)}),
		400, "error-message-size-exceeded", "")
}

func TestUploadRefusals(t *testing.T) {
	t.Parallel()
	env, dir := fsEnv(t, nil)
	bob := env.CreateUser(t, "bob")
	g := obj(t, acctOK(t, env.Admin.Post(t, "/api/v1/groups.create", map[string]any{"name": "private"}))["group"], "group")
	gid := g["_id"].(string)
	html := []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)

	for _, tt := range []struct {
		name    string
		c       *testenv.Client
		room    string
		parts   []part
		status  int
		errType string
	}{
		{"not a member of a private room", bob, gid, []part{filePart("a.txt", "text/plain", []byte("a"))}, 403, "-"},
		{"unknown room", env.Admin, "nope", []part{filePart("a.txt", "text/plain", []byte("a"))}, 403, "-"},
		{"no file", env.Admin, "GENERAL", []part{field("msg", "hi")}, 400, "invalid-field"},
		{"file under another name", env.Admin, "GENERAL", []part{{field: "upload", name: "a.txt", data: []byte("a")}}, 400, "invalid-field"},
		{"two files", env.Admin, "GENERAL", []part{filePart("a.txt", "text/plain", []byte("a")), filePart("b.txt", "text/plain", []byte("b"))}, 400, "error-file-upload"},
		{"blacklisted type", env.Admin, "GENERAL", []part{filePart("x.svg", "image/svg+xml", svg)}, 400, "error-invalid-file-type"},
		{"html declared as an image", env.Admin, "GENERAL", []part{filePart("x.png", "image/png", html)}, 400, "error-invalid-file-type"},
		{"html declared as a pdf", env.Admin, "GENERAL", []part{filePart("x.pdf", "application/pdf", html)}, 400, "error-invalid-file-type"},
		{"svg declared as an image", env.Admin, "GENERAL", []part{filePart("x.gif", "image/gif", svg)}, 400, "error-invalid-file-type"},
		{"jpeg declared as png", env.Admin, "GENERAL", []part{filePart("x.png", "image/png", []byte("\xff\xd8\xff\xe0rest"))}, 400, "error-invalid-file-type"},
		{"bad thread", env.Admin, "GENERAL", []part{filePart("a.txt", "text/plain", []byte("a")), field("tmid", "nope")}, 400, "error-invalid-message"},
	} {
		res := postForm(t, tt.c, "/api/v1/rooms.upload/"+tt.room, tt.parts...)
		if res.Status != tt.status || res.Body["success"] != false {
			t.Fatalf("%s: %d %s", tt.name, res.Status, res.Raw)
		}
		if tt.errType == "-" {
			if res.Body["error"] != "unauthorized" {
				t.Fatalf("%s: %s", tt.name, res.Raw)
			}
		} else if res.Body["errorType"] != tt.errType {
			t.Fatalf("%s: errorType %v, want %s (%s)", tt.name, res.Body["errorType"], tt.errType, res.Raw)
		}
	}
	// Nothing of any refused upload stays.
	env.Server.Files().Sweep(context.Background())
	if left := storedFiles(t, dir); len(left) > 0 {
		t.Fatalf("refused uploads left files: %v", left)
	}
	noHalfUploads(t, env)
	if fl := acctOK(t, env.Admin.Get(t, "/api/v1/channels.files", map[string]string{"roomId": "GENERAL"})); fl["total"] != float64(0) {
		t.Fatalf("refused uploads are listed: %v", fl)
	}

	// Uploads disabled, and in DMs only.
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/FileUpload_Enabled", map[string]any{"value": false}))
	rmFail(t, postForm(t, env.Admin, "/api/v1/rooms.upload/GENERAL", filePart("a.txt", "text/plain", []byte("a"))), 400, "error-file-upload-disabled", "")
	rmFail(t, postForm(t, env.Admin, "/api/v1/rooms.media/GENERAL", filePart("a.txt", "text/plain", []byte("a"))), 400, "error-file-upload-disabled", "")
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/FileUpload_Enabled", map[string]any{"value": true}))
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/FileUpload_Enabled_Direct", map[string]any{"value": false}))
	dm := obj(t, acctOK(t, bob.Post(t, "/api/v1/im.create", map[string]any{"username": testenv.AdminUsername}))["room"], "room")
	rmFail(t, postForm(t, bob, "/api/v1/rooms.upload/"+dm["_id"].(string), filePart("a.txt", "text/plain", []byte("a"))),
		400, "error-direct-message-file-upload-not-allowed", "")

	// A white list: image/* only.
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/FileUpload_MediaTypeWhiteList", map[string]any{"value": "image/*"}))
	rmFail(t, postForm(t, env.Admin, "/api/v1/rooms.upload/GENERAL", filePart("a.txt", "text/plain", []byte("a"))), 400, "error-invalid-file-type", "")
	acctOK(t, postForm(t, env.Admin, "/api/v1/rooms.upload/GENERAL", filePart("a.png", "image/png", pngImage(t, 5, 5))))

	// Read-only rooms refuse files from those who may not post.
	c := obj(t, acctOK(t, env.Admin.Post(t, "/api/v1/channels.create", map[string]any{"name": "announce", "members": []string{"bob"}, "readOnly": true}))["channel"], "channel")
	rmFail(t, postForm(t, bob, "/api/v1/rooms.upload/"+c["_id"].(string), filePart("a.png", "image/png", pngImage(t, 5, 5))), 403, "error-not-allowed", "")
	env.Server.Files().Sweep(context.Background())
	if left := storedFiles(t, dir); len(left) != 1 {
		t.Fatalf("want only the accepted file stored, got %v", left)
	}
}

// pipeUpload posts a file of size bytes without a Content-Length: the body
// is streamed, so only the server's counting limit can stop it.
func pipeUpload(t *testing.T, c *testenv.Client, path string, size int) *testenv.Response {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("file", "big.bin")
		if err == nil {
			chunk := bytes.Repeat([]byte{7}, 32<<10)
			for n := 0; n < size && err == nil; n += len(chunk) {
				_, err = fw.Write(chunk[:min(len(chunk), size-n)])
			}
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, c.Base+path, pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.ContentLength = -1
	return c.Do(t, req)
}

func TestUploadSizeLimit(t *testing.T) {
	t.Parallel()
	env, dir := fsEnv(t, map[string]string{"OVERWRITE_SETTING_FileUpload_MaxFileSize": "100000"})
	// By its Content-Length, before the body is read.
	big := bytes.Repeat([]byte("x"), 1200<<10)
	res := postForm(t, env.Admin, "/api/v1/rooms.upload/GENERAL", filePart("big.txt", "text/plain", big))
	body := rmFail(t, res, 400, "error-file-too-large", "")
	if body["error"] != "File exceeds allowed size of 97.7 KB. [error-file-too-large]" {
		t.Fatalf("error text %v", body["error"])
	}
	// Streamed without a length: stopped at the limit.
	rmFail(t, pipeUpload(t, env.Admin, "/api/v1/rooms.upload/GENERAL", 3<<20), 400, "error-file-too-large", "")
	rmFail(t, pipeUpload(t, env.Admin, "/api/v1/rooms.media/GENERAL", 100001), 400, "error-file-too-large", "")
	// Just over the limit, with a length that the form's allowance covers.
	rmFail(t, postForm(t, env.Admin, "/api/v1/rooms.upload/GENERAL", filePart("b.bin", "application/octet-stream", make([]byte, 100001))),
		400, "error-file-too-large", "")
	if left := storedFiles(t, dir); len(left) > 0 {
		t.Fatalf("oversized uploads left files: %v", left)
	}
	noHalfUploads(t, env)
	// At the limit it goes through.
	acctOK(t, pipeUpload(t, env.Admin, "/api/v1/rooms.media/GENERAL", 100000))
}
