package rest_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// uploadFile posts a file to a room as c and returns its id and link.
func uploadFile(t *testing.T, c *testenv.Client, rid, name, ctype string, data []byte) (id, link string) {
	t.Helper()
	m := obj(t, acctOK(t, postForm(t, c, "/api/v1/rooms.upload/"+rid, filePart(name, ctype, data)))["message"], "message")
	id = obj(t, m["file"], "file")["_id"].(string)
	a := obj(t, list(t, m["attachments"], "attachments")[0], "attachment")
	return id, a["title_link"].(string)
}

func TestFileDownloadPermissions(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")     // member
	carol := env.CreateUser(t, "carol") // not a member
	g := obj(t, acctOK(t, env.Admin.Post(t, "/api/v1/groups.create", map[string]any{"name": "vault", "members": []string{"bob"}}))["group"], "group")
	data := []byte("top secret")
	_, link := uploadFile(t, env.Admin, g["_id"].(string), "secret.txt", "text/plain", data)
	url := env.BaseURL + link

	variants := map[string]func(c *testenv.Client) (string, map[string]string){
		"headers": func(c *testenv.Client) (string, map[string]string) { return url, authHeaders(c) },
		"query": func(c *testenv.Client) (string, map[string]string) {
			return url + "?rc_uid=" + c.UserID + "&rc_token=" + c.Token, nil
		},
		"cookies": func(c *testenv.Client) (string, map[string]string) {
			return url, map[string]string{"Cookie": "rc_uid=" + c.UserID + "; rc_token=" + c.Token}
		},
	}
	for name, v := range variants {
		u, h := v(bob)
		if resp, body := get(t, u, h); resp.StatusCode != 200 || !bytes.Equal(body, data) {
			t.Fatalf("member by %s: %d %q", name, resp.StatusCode, body)
		}
		u, h = v(carol)
		if resp, body := get(t, u, h); resp.StatusCode != 403 || bytes.Contains(body, data) {
			t.Fatalf("non-member by %s: %d %q", name, resp.StatusCode, body)
		}
	}
	if resp, _ := get(t, url, nil); resp.StatusCode != 403 {
		t.Fatalf("anonymous: %d", resp.StatusCode)
	}
	if resp, _ := get(t, url, map[string]string{"X-User-Id": bob.UserID, "X-Auth-Token": "stale"}); resp.StatusCode != 403 {
		t.Fatalf("stale token: %d", resp.StatusCode)
	}
	if resp, _ := get(t, env.BaseURL+"/file-upload/nope/x.txt", authHeaders(env.Admin)); resp.StatusCode != 404 {
		t.Fatalf("unknown file: %d", resp.StatusCode)
	}

	// Public channels: members by default; anyone who may read the room
	// with FileUpload_Restrict_to_users_who_can_access_room; anyone
	// logged in with both restrictions off; anybody without protection.
	_, pub := uploadFile(t, env.Admin, "GENERAL", "pub.txt", "text/plain", data)
	acctOK(t, carol.Post(t, "/api/v1/channels.leave", map[string]any{"roomId": "GENERAL"}))
	if resp, _ := get(t, env.BaseURL+pub, authHeaders(carol)); resp.StatusCode != 403 {
		t.Fatalf("non-member of a public channel: %d", resp.StatusCode)
	}
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/FileUpload_Restrict_to_users_who_can_access_room", map[string]any{"value": true}))
	if resp, _ := get(t, env.BaseURL+pub, authHeaders(carol)); resp.StatusCode != 200 {
		t.Fatalf("reader of a public channel: %d", resp.StatusCode)
	}
	if resp, _ := get(t, url, authHeaders(carol)); resp.StatusCode != 403 {
		t.Fatalf("private room, readers rule: %d", resp.StatusCode)
	}
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/FileUpload_ProtectFiles", map[string]any{"value": false}))
	if resp, _ := get(t, url, nil); resp.StatusCode != 200 {
		t.Fatalf("unprotected files: %d", resp.StatusCode)
	}
}

func TestFileRangesAndCaching(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	data := bytes.Repeat([]byte("0123456789"), 60_000) // spans several chunks
	_, link := uploadFile(t, env.Admin, "GENERAL", "digits.bin", "application/octet-stream", data)
	url := env.BaseURL + link
	h := authHeaders(env.Admin)

	h["Range"] = "bytes=261115-261124"
	resp, body := get(t, url, h)
	if resp.StatusCode != http.StatusPartialContent || string(body) != string(data[261115:261125]) ||
		resp.Header.Get("Content-Range") != "bytes 261115-261124/600000" || resp.Header.Get("Content-Length") != "10" {
		t.Fatalf("range: %d %v %q", resp.StatusCode, resp.Header, body)
	}
	h["Range"] = "bytes=-5"
	if resp, body := get(t, url, h); resp.StatusCode != 206 || string(body) != "56789" {
		t.Fatalf("suffix range: %d %q", resp.StatusCode, body)
	}
	h["Range"] = "bytes=700000-"
	if resp, _ := get(t, url, h); resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Fatalf("unsatisfiable range: %d", resp.StatusCode)
	}
	delete(h, "Range")
	resp, body = get(t, url, h)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || len(body) != len(data) || etag == "" || resp.Header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("whole file: %d %v", resp.StatusCode, resp.Header)
	}
	h["If-None-Match"] = etag
	if resp, body := get(t, url, h); resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Fatalf("If-None-Match: %d", resp.StatusCode)
	}
	delete(h, "If-None-Match")
	h["If-Modified-Since"] = resp.Header.Get("Last-Modified")
	if resp, _ := get(t, url, h); resp.StatusCode != http.StatusNotModified {
		t.Fatalf("If-Modified-Since: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodHead, url, nil)
	head := env.Admin.Do(t, req)
	if head.Status != 200 || len(head.Raw) != 0 || head.Header.Get("Content-Length") != "600000" {
		t.Fatalf("HEAD: %d %v", head.Status, head.Header)
	}
	req, _ = http.NewRequest(http.MethodPost, url, nil)
	if res := env.Admin.Do(t, req); res.Status != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d", res.Status)
	}
}

func TestFileActiveContentIsDownloaded(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/FileUpload_MediaTypeBlackList", map[string]any{"value": ""}))
	for _, tt := range []struct{ name, ctype, body string }{
		{"page.html", "text/html", "<!DOCTYPE html><script>alert(document.cookie)</script>"},
		{"logo.svg", "image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`},
		{"feed.xml", "application/xml", `<?xml version="1.0"?><a/>`},
		{"app.js", "application/javascript", "alert(1)"},
	} {
		_, link := uploadFile(t, env.Admin, "GENERAL", tt.name, tt.ctype, []byte(tt.body))
		resp, body := get(t, env.BaseURL+link, authHeaders(env.Admin))
		if resp.StatusCode != 200 || string(body) != tt.body ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), tt.name) ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("%s: %d %v", tt.name, resp.StatusCode, resp.Header)
		}
	}
	// Safe types show inline, unless ?download.
	_, link := uploadFile(t, env.Admin, "GENERAL", "a.png", "image/png", pngImage(t, 3, 3))
	if resp, _ := get(t, env.BaseURL+link, authHeaders(env.Admin)); !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline") {
		t.Fatalf("image: %v", resp.Header)
	}
	if resp, _ := get(t, env.BaseURL+link+"?download", authHeaders(env.Admin)); !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("image ?download: %v", resp.Header)
	}
}

func TestDeletingMessagesAndRoomsDeletesFiles(t *testing.T) {
	t.Parallel()
	env, dir := fsEnv(t, nil)
	sweep := func() {
		if _, err := env.Server.Files().Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// A message with an image (and its thumbnail).
	res := postForm(t, env.Admin, "/api/v1/rooms.upload/GENERAL", filePart("big.png", "image/png", pngImage(t, 600, 500)))
	m := obj(t, acctOK(t, res)["message"], "message")
	link := obj(t, list(t, m["attachments"], "attachments")[0], "attachment")["title_link"].(string)
	_, keep := uploadFile(t, env.Admin, "GENERAL", "keep.txt", "text/plain", []byte("keep"))
	if n := len(storedFiles(t, dir)); n != 3 {
		t.Fatalf("want 3 stored files, got %d", n)
	}
	acctOK(t, env.Admin.Post(t, "/api/v1/chat.delete", map[string]any{"roomId": "GENERAL", "msgId": m["_id"]}))
	if resp, _ := get(t, env.BaseURL+link, authHeaders(env.Admin)); resp.StatusCode != 404 {
		t.Fatalf("file of a deleted message: %d", resp.StatusCode)
	}
	sweep()
	if left := storedFiles(t, dir); len(left) != 1 {
		t.Fatalf("want only the other message's file, got %v", left)
	}
	if resp, _ := get(t, env.BaseURL+keep, authHeaders(env.Admin)); resp.StatusCode != 200 {
		t.Fatalf("other file: %d", resp.StatusCode)
	}

	// A room with files, posted and not.
	c := obj(t, acctOK(t, env.Admin.Post(t, "/api/v1/channels.create", map[string]any{"name": "doomed"}))["channel"], "channel")
	rid := c["_id"].(string)
	_, l1 := uploadFile(t, env.Admin, rid, "a.txt", "text/plain", []byte("a"))
	acctOK(t, postForm(t, env.Admin, "/api/v1/rooms.media/"+rid, filePart("b.txt", "text/plain", []byte("b"))))
	if n := len(storedFiles(t, dir)); n != 3 {
		t.Fatalf("want 3 stored files, got %d", n)
	}
	acctOK(t, env.Admin.Post(t, "/api/v1/channels.delete", map[string]any{"roomId": rid}))
	if resp, _ := get(t, env.BaseURL+l1, authHeaders(env.Admin)); resp.StatusCode != 404 {
		t.Fatalf("file of a deleted room: %d", resp.StatusCode)
	}
	// The sweeper runs by itself too: the bytes go, then the records.
	far := time.Now().Add(1000 * time.Hour)
	testenv.Eventually(t, 20*time.Second, func() bool {
		left, err := env.Server.Core().Store().UploadsToPurge(context.Background(), far, far, 10)
		return err == nil && len(left) == 0 && len(storedFiles(t, dir)) == 1
	}, "files of a deleted room removed")
}

// TestStorageTypes runs the same upload and download through the
// file-system and S3 storages (the database one is the default every other
// test uses).
func TestStorageTypes(t *testing.T) {
	t.Parallel()
	s3 := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(s3.Close)
	mc, err := minio.New(strings.TrimPrefix(s3.URL, "http://"), &minio.Options{Creds: credentials.NewStaticV4("k", "s", "")})
	if err != nil {
		t.Fatal(err)
	}
	if err := mc.MakeBucket(context.Background(), "files", minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, settings := range map[string]map[string]string{
		"FileSystem": {"FileUpload_Storage_Type": "FileSystem", "FileUpload_FileSystemPath": t.TempDir()},
		"AmazonS3": {"FileUpload_Storage_Type": "AmazonS3", "FileUpload_S3_Bucket": "files", "FileUpload_S3_BucketURL": s3.URL,
			"FileUpload_S3_ForcePathStyle": "true", "FileUpload_S3_AWSAccessKeyId": "k", "FileUpload_S3_AWSSecretAccessKey": "s",
			"FileUpload_S3_Region": "us-east-1"},
	} {
		t.Run(name, func(t *testing.T) {
			e := map[string]string{}
			for k, v := range settings {
				if k == "FileUpload_Storage_Type" {
					e[k] = v // set on first start only, so the admin can change it
				} else {
					e["OVERWRITE_SETTING_"+k] = v
				}
			}
			env := testenv.Start(t, testenv.Options{Env: e})
			data := bytes.Repeat([]byte("liftoff "), 300_000) // 2.4 MB: a multipart S3 upload
			id, link := uploadFile(t, env.Admin, "GENERAL", "data.bin", "application/octet-stream", data)
			resp, body := get(t, env.BaseURL+link, authHeaders(env.Admin))
			if resp.StatusCode != 200 || !bytes.Equal(body, data) {
				t.Fatalf("download: %d, %d bytes", resp.StatusCode, len(body))
			}
			h := authHeaders(env.Admin)
			h["Range"] = "bytes=1000000-1000007"
			if resp, body := get(t, env.BaseURL+link, h); resp.StatusCode != 206 || string(body) != string(data[1000000:1000008]) {
				t.Fatalf("range: %d %q", resp.StatusCode, body)
			}
			f := obj(t, list(t, acctOK(t, env.Admin.Get(t, "/api/v1/channels.files", map[string]string{"roomId": "GENERAL"}))["files"], "files")[0], "file")
			if f["_id"] != id || f["store"] != name+":Uploads" {
				t.Fatalf("file doc %v", f)
			}
			// Switching storage keeps old files readable.
			acctOK(t, env.Admin.Post(t, "/api/v1/settings/FileUpload_Storage_Type", map[string]any{"value": "GridFS"}))
			if resp, body := get(t, env.BaseURL+link, authHeaders(env.Admin)); resp.StatusCode != 200 || !bytes.Equal(body, data) {
				t.Fatalf("after switching storage: %d", resp.StatusCode)
			}
		})
	}
}
