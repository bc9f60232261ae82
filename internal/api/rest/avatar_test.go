package rest_test

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/api/ddp/ddptest"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/testenv"
)

// acctAvatar fetches an avatar path with optional request headers.
func acctAvatar(t *testing.T, env *testenv.Env, method, path string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, env.BaseURL+path, nil)
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
	return resp, string(b)
}

func TestAvatarUser(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	acctOK(t, env.Admin.Post(t, "/api/v1/users.create", map[string]any{
		"username": "john.doe", "name": "Johnny", "email": "jd@example.com", "password": "pw",
	}))
	resp, svg := acctAvatar(t, env, http.MethodGet, "/avatar/john.doe", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("status %d type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, ">JD</text>") || !strings.Contains(svg, `width="200"`) {
		t.Fatalf("svg %s", svg)
	}
	etag := resp.Header.Get("ETag")
	if !strings.HasPrefix(etag, `"`) || resp.Header.Get("Cache-Control") != "public, max-age=3600" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("headers %v", resp.Header)
	}

	// Conditional requests.
	for _, inm := range []string{etag, `W/` + etag, `"other", ` + etag, "*"} {
		resp, body := acctAvatar(t, env, http.MethodGet, "/avatar/john.doe", map[string]string{"If-None-Match": inm})
		if resp.StatusCode != http.StatusNotModified || body != "" || resp.Header.Get("ETag") != etag {
			t.Fatalf("If-None-Match %s: %d", inm, resp.StatusCode)
		}
	}
	if resp, _ := acctAvatar(t, env, http.MethodGet, "/avatar/john.doe", map[string]string{"If-None-Match": `"stale"`}); resp.StatusCode != http.StatusOK {
		t.Fatalf("stale ETag: %d", resp.StatusCode)
	}

	// Variants of the same avatar, and HEAD.
	for _, path := range []string{"/avatar/@john.doe", "/avatar/john.doe.png", "/avatar/john.doe.svg?rc_token=x"} {
		if resp, _ := acctAvatar(t, env, http.MethodGet, path, nil); resp.Header.Get("ETag") != etag {
			t.Errorf("%s has another ETag", path)
		}
	}
	if resp, body := acctAvatar(t, env, http.MethodHead, "/avatar/john.doe", nil); resp.StatusCode != http.StatusOK || body != "" {
		t.Fatalf("HEAD: %d %q", resp.StatusCode, body)
	}
	resp, small := acctAvatar(t, env, http.MethodGet, "/avatar/john.doe?size=64", nil)
	if !strings.Contains(small, `width="64"`) || resp.Header.Get("ETag") == etag {
		t.Fatalf("size=64: %s", small)
	}
	if _, huge := acctAvatar(t, env, http.MethodGet, "/avatar/john.doe?size=99999", nil); !strings.Contains(huge, `width="1024"`) {
		t.Fatalf("size is not capped: %s", huge)
	}
	if other, _ := acctAvatar(t, env, http.MethodGet, "/avatar/admin", nil); other.Header.Get("ETag") == etag {
		t.Fatal("two users share an ETag")
	}

	// UI_Use_Name_Avatar draws the display name's initials.
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/UI_Use_Name_Avatar", map[string]any{"value": true}))
	if _, svg := acctAvatar(t, env, http.MethodGet, "/avatar/john.doe", nil); !strings.Contains(svg, ">J</text>") {
		t.Fatalf("name avatar %s", svg)
	}
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/Accounts_AvatarCacheTime", map[string]any{"value": 60}))
	if resp, _ := acctAvatar(t, env, http.MethodGet, "/avatar/john.doe", nil); resp.Header.Get("Cache-Control") != "public, max-age=60" {
		t.Fatalf("Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
}

func TestAvatarUnknownNamesAndEscaping(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	// Like Rocket.Chat, any name gets its initials (clients ask for room
	// avatars by room name).
	if resp, svg := acctAvatar(t, env, http.MethodGet, "/avatar/some-room", nil); resp.StatusCode != http.StatusOK || !strings.Contains(svg, ">SR</text>") {
		t.Fatalf("unknown name: %d %s", resp.StatusCode, svg)
	}
	resp, svg := acctAvatar(t, env, http.MethodGet, "/avatar/%3Cscript%3E", nil)
	if resp.StatusCode != http.StatusOK || strings.Contains(svg, "<script") || !strings.Contains(svg, "&lt;") {
		t.Fatalf("markup in the name is not escaped: %s", svg)
	}
	if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("CSP %q", resp.Header.Get("Content-Security-Policy"))
	}
	if _, svg := acctAvatar(t, env, http.MethodGet, "/avatar/", nil); !strings.Contains(svg, ">?</text>") {
		t.Fatalf("empty name: %s", svg)
	}
	if resp, _ := acctAvatar(t, env, http.MethodPost, "/avatar/admin", nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST avatar: %d", resp.StatusCode)
	}
}

func TestAvatarRoom(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	resp, svg := acctAvatar(t, env, http.MethodGet, "/avatar/room/GENERAL", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(svg, ">G</text>") {
		t.Fatalf("room avatar: %d %s", resp.StatusCode, svg)
	}
	etag := resp.Header.Get("ETag")
	if etag == "" || resp.Header.Get("Cache-Control") == "" {
		t.Fatalf("headers %v", resp.Header)
	}
	if resp, _ := acctAvatar(t, env, http.MethodGet, "/avatar/room/GENERAL", map[string]string{"If-None-Match": etag}); resp.StatusCode != http.StatusNotModified {
		t.Fatalf("conditional room avatar: %d", resp.StatusCode)
	}
	for _, path := range []string{"/avatar/room/nope", "/avatar/room/"} {
		if resp, _ := acctAvatar(t, env, http.MethodGet, path, nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
	}
}

// setAvatarForm posts users.setAvatar with an image and extra fields.
func setAvatarForm(t *testing.T, c *testenv.Client, data []byte, ctype string, extra ...part) *testenv.Response {
	t.Helper()
	parts := append([]part{{field: "image", name: "me.png", ctype: ctype, data: data}}, extra...)
	return postForm(t, c, "/api/v1/users.setAvatar", parts...)
}

func userInfo(t *testing.T, c *testenv.Client, username string) map[string]any {
	t.Helper()
	return obj(t, acctOK(t, c.Get(t, "/api/v1/users.info", map[string]string{"username": username}))["user"], "user")
}

func TestAvatarUpload(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	ws, _ := ddptest.Connect(t, env.WSURL, "1")
	ws.Login(testenv.AdminUsername, testenv.AdminPassword)
	ws.MustSub("stream-notify-logged", "updateAvatar", false)

	acctOK(t, setAvatarForm(t, bob, pngImage(t, 300, 100), "image/png"))
	etag, _ := userInfo(t, bob, "bob")["avatarETag"].(string)
	if etag == "" {
		t.Fatal("no avatarETag after setAvatar")
	}
	ws.ExpectEvent("stream-notify-logged", "updateAvatar", func(args []any) bool {
		a, _ := args[0].(map[string]any)
		return a["username"] == "bob" && a["etag"] == etag
	})

	// Served cropped to Accounts_AvatarSize, with its ETag and caching.
	for _, path := range []string{"/avatar/bob", "/avatar/@bob", "/avatar/bob.png"} {
		resp, body := get(t, env.BaseURL+path, nil)
		cfg, err := png.DecodeConfig(bytes.NewReader(body))
		if resp.StatusCode != 200 || err != nil || cfg.Width != 200 || cfg.Height != 200 ||
			resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("ETag") != `"`+etag+`"` ||
			resp.Header.Get("Cache-Control") != "public, max-age=3600" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("%s: %d %v %v", path, resp.StatusCode, err, resp.Header)
		}
	}
	if resp, _ := get(t, env.BaseURL+"/avatar/bob", map[string]string{"If-None-Match": `"` + etag + `"`}); resp.StatusCode != 304 {
		t.Fatalf("If-None-Match: %d", resp.StatusCode)
	}

	// A new avatar has a new ETag; the old one is gone.
	acctOK(t, setAvatarForm(t, bob, pngImage(t, 50, 50), "image/png"))
	etag2, _ := userInfo(t, bob, "bob")["avatarETag"].(string)
	if etag2 == "" || etag2 == etag {
		t.Fatalf("ETag after a second avatar: %q (was %q)", etag2, etag)
	}
	left, _, err := env.Server.Core().Store().ListUploads(context.Background(), chat.UploadFilter{Kind: chat.UploadAvatar})
	if err != nil || len(left) != 1 {
		t.Fatalf("avatars kept: %d %v", len(left), err)
	}

	// Reset: back to the initials, and announced.
	acctOK(t, bob.Post(t, "/api/v1/users.resetAvatar", map[string]any{"username": "bob"}))
	if _, ok := userInfo(t, bob, "bob")["avatarETag"]; ok {
		t.Fatal("avatarETag kept after reset")
	}
	if resp, body := get(t, env.BaseURL+"/avatar/bob", nil); resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(string(body), ">B</text>") {
		t.Fatalf("after reset: %v", resp.Header)
	}
	ws.ExpectEvent("stream-notify-logged", "updateAvatar", func(args []any) bool {
		a, _ := args[0].(map[string]any)
		return a["username"] == "bob" && a["etag"] == ""
	})
}

func TestAvatarRefusalsAndPermissions(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Env: map[string]string{"OVERWRITE_SETTING_FileUpload_MaxFileSize": "50000"}})
	bob := env.CreateUser(t, "bob")
	env.CreateUser(t, "carol")
	img := pngImage(t, 20, 20)

	rmFail(t, setAvatarForm(t, bob, []byte("not an image at all"), "image/png"), 400, "error-invalid-file-type", "")
	rmFail(t, setAvatarForm(t, bob, []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "image/svg+xml"), 400, "error-invalid-file-type", "")
	rmFail(t, setAvatarForm(t, bob, make([]byte, 60000), "image/png"), 400, "error-file-too-large", "")
	rmFail(t, postForm(t, bob, "/api/v1/users.setAvatar", part{field: "file", name: "x.png", ctype: "image/png", data: img}), 400, "invalid-field", "")
	rmFail(t, bob.Post(t, "/api/v1/users.setAvatar", map[string]any{}), 400, "-", "The 'image' param is required")
	// Another user's avatar needs edit-other-user-avatar.
	res := setAvatarForm(t, bob, img, "image/png", field("username", "carol"))
	if res.Status != 403 || res.Body["error"] != "unauthorized" {
		t.Fatalf("bob sets carol's avatar: %d %s", res.Status, res.Raw)
	}
	rmFail(t, bob.Post(t, "/api/v1/users.resetAvatar", map[string]any{"username": "carol"}), 400, "error-not-allowed", "")
	if _, ok := userInfo(t, env.Admin, "carol")["avatarETag"]; ok {
		t.Fatal("a refused call changed carol's avatar")
	}
	acctOK(t, setAvatarForm(t, env.Admin, img, "image/png", field("username", "carol")))
	if _, ok := userInfo(t, env.Admin, "carol")["avatarETag"]; !ok {
		t.Fatal("the admin could not set carol's avatar")
	}
	rmFail(t, setAvatarForm(t, env.Admin, img, "image/png", field("username", "nobody")), 400, "error-invalid-user", "")
	// Avatar changes disabled.
	acctOK(t, env.Admin.Post(t, "/api/v1/settings/Accounts_AllowUserAvatarChange", map[string]any{"value": false}))
	rmFail(t, setAvatarForm(t, bob, img, "image/png"), 400, "error-not-allowed", "")
	if _, ok := userInfo(t, bob, "bob")["avatarETag"]; ok {
		t.Fatal("refused avatars were stored")
	}
	left, _, _ := env.Server.Core().Store().ListUploads(context.Background(), chat.UploadFilter{Kind: chat.UploadAvatar})
	if len(left) != 1 {
		t.Fatalf("want only carol's avatar, got %d", len(left))
	}
	noHalfUploads(t, env)
}

func TestAvatarFromURL(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Env: map[string]string{"OVERWRITE_SETTING_FileUpload_MaxFileSize": "200000"}})
	bob := env.CreateUser(t, "bob")
	img := pngImage(t, 64, 64)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(img)
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html></html>"))
		case "/huge.png":
			w.Header().Set("Content-Type", "image/png")
			w.(http.Flusher).Flush() // no Content-Length: the limit counts
			for i := 0; i < 50; i++ {
				w.Write(make([]byte, 10000))
			}
		case "/broken":
			http.Error(w, "boom", 500)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(src.Close)

	acctOK(t, bob.Post(t, "/api/v1/users.setAvatar", map[string]any{"avatarUrl": src.URL + "/ok.png"}))
	if resp, body := get(t, env.BaseURL+"/avatar/bob", nil); resp.Header.Get("Content-Type") != "image/png" || len(body) == 0 {
		t.Fatalf("avatar from URL: %v", resp.Header)
	}
	for _, tt := range []struct{ url, errType string }{
		{src.URL + "/missing.png", "error-avatar-invalid-url"},
		{src.URL + "/page", "error-avatar-invalid-url"},
		{src.URL + "/broken", "error-avatar-url-handling"},
		{src.URL + "/huge.png", "error-file-too-large"},
		{"javascript:alert(1)", "error-avatar-invalid-url"},
		{"http://127.0.0.1:1/x.png", "error-avatar-invalid-url"},
	} {
		rmFail(t, bob.Post(t, "/api/v1/users.setAvatar", map[string]any{"avatarUrl": tt.url}), 400, tt.errType, "")
	}
	// Form bodies work too (users.setAvatar with avatarUrl as a field).
	req, _ := http.NewRequest(http.MethodPost, env.BaseURL+"/api/v1/users.setAvatar", strings.NewReader("avatarUrl="+src.URL+"/ok.png"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	acctOK(t, bob.Do(t, req))
}

func TestUsersGetAvatar(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{})
	bob := env.CreateUser(t, "bob")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, q := range []string{"username=bob", "userId=" + bob.UserID} {
		resp, err := client.Get(env.BaseURL + "/api/v1/users.getAvatar?" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != env.BaseURL+"/avatar/bob" {
			t.Fatalf("%s: %d %v", q, resp.StatusCode, resp.Header)
		}
	}
	rmFail(t, env.Anon().Get(t, "/api/v1/users.getAvatar", map[string]string{"username": "nobody"}), 400, "error-invalid-user", "")
}

func TestAvatarBlockUnauthenticated(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Env: map[string]string{"OVERWRITE_SETTING_Accounts_AvatarBlockUnauthenticatedAccess": "true"}})
	if resp, _ := get(t, env.BaseURL+"/avatar/admin", nil); resp.StatusCode != 403 {
		t.Fatalf("anonymous: %d", resp.StatusCode)
	}
	c := env.Admin
	for _, h := range []map[string]string{authHeaders(c), {"Cookie": "rc_uid=" + c.UserID + "; rc_token=" + c.Token}} {
		if resp, _ := get(t, env.BaseURL+"/avatar/admin", h); resp.StatusCode != 200 {
			t.Fatalf("logged in: %d", resp.StatusCode)
		}
	}
	if resp, _ := get(t, env.BaseURL+"/avatar/admin?rc_uid="+c.UserID+"&rc_token="+c.Token, nil); resp.StatusCode != 200 {
		t.Fatalf("query credentials: %d", resp.StatusCode)
	}
}
