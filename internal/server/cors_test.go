package server_test

import (
	"net/http"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/testenv"
)

func corsRequest(t *testing.T, method, url, origin string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", origin)
	if method == http.MethodOptions {
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "x-user-id, x-auth-token, content-type")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestCORSDisabledByDefault(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	resp := corsRequest(t, http.MethodGet, env.BaseURL+"/api/info", "https://other.example")
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Fatalf("CORS is off by default, but got Access-Control-Allow-Origin %q", got)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestCORSWildcard(t *testing.T) {
	env := testenv.Start(t, testenv.Options{Env: map[string]string{"OVERWRITE_SETTING_API_Enable_CORS": "true"}})
	for _, path := range []string{"/api/info", "/avatar/admin", "/api/v1/me"} {
		resp := corsRequest(t, http.MethodGet, env.BaseURL+path, "https://anywhere.example")
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin = %q, want *", path, got)
		}
		if resp.Header.Get("Access-Control-Allow-Headers") == "" {
			t.Errorf("%s: no Access-Control-Allow-Headers", path)
		}
	}
	pre := corsRequest(t, http.MethodOptions, env.BaseURL+"/api/v1/chat.postMessage", "https://anywhere.example")
	if pre.StatusCode != http.StatusNoContent || pre.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("preflight: status %d, origin %q", pre.StatusCode, pre.Header.Get("Access-Control-Allow-Origin"))
	}
	// Health endpoints are not for other sites.
	if got := corsRequest(t, http.MethodGet, env.BaseURL+"/livez", "https://anywhere.example").Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("/livez got CORS header %q", got)
	}
}

func TestCORSOriginList(t *testing.T) {
	env := testenv.Start(t, testenv.Options{Env: map[string]string{
		"OVERWRITE_SETTING_API_Enable_CORS": "true",
		"OVERWRITE_SETTING_API_CORS_Origin": "https://a.example, https://B.example",
	}})
	allowed := corsRequest(t, http.MethodOptions, env.BaseURL+"/api/v1/login", "https://b.example")
	if allowed.StatusCode != http.StatusNoContent || allowed.Header.Get("Access-Control-Allow-Origin") != "https://b.example" {
		t.Fatalf("listed origin: status %d, origin %q", allowed.StatusCode, allowed.Header.Get("Access-Control-Allow-Origin"))
	}
	if v := allowed.Header.Values("Vary"); len(v) == 0 {
		t.Errorf("listed origin: no Vary: Origin")
	}
	get := corsRequest(t, http.MethodGet, env.BaseURL+"/api/info", "https://a.example")
	if get.StatusCode != http.StatusOK || get.Header.Get("Access-Control-Allow-Origin") != "https://a.example" {
		t.Fatalf("listed origin GET: status %d, origin %q", get.StatusCode, get.Header.Get("Access-Control-Allow-Origin"))
	}

	refused := corsRequest(t, http.MethodOptions, env.BaseURL+"/api/v1/login", "https://evil.example")
	if refused.StatusCode != http.StatusForbidden || refused.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("unlisted origin preflight: status %d, origin %q", refused.StatusCode, refused.Header.Get("Access-Control-Allow-Origin"))
	}
	// A simple POST from an unlisted site is refused before it runs.
	req, _ := http.NewRequest(http.MethodPost, env.BaseURL+"/api/v1/logout", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("X-User-Id", env.Admin.UserID)
	req.Header.Set("X-Auth-Token", env.Admin.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("unlisted origin POST: status %d, want 403", resp.StatusCode)
	}
	env.Admin.Get(t, "/api/v1/me", nil).MustOK(t) // the token survived: logout never ran

	// The server's own origin (its web client) is never refused.
	own := corsRequest(t, http.MethodGet, env.BaseURL+"/api/info", env.BaseURL)
	if own.StatusCode != http.StatusOK {
		t.Fatalf("own origin: status %d", own.StatusCode)
	}
}
