package rest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

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
