package testenv

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
)

// Client calls the REST API, logged in or anonymously.
type Client struct {
	Base     string
	UserID   string
	Token    string
	Username string
	HTTP     *http.Client
}

// Response is a decoded REST answer.
type Response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// OK reports whether the call succeeded the Rocket.Chat way.
func (r *Response) OK() bool { return r.Status == 200 && r.Body["success"] == true }

// Anon returns an anonymous client.
func (e *Env) Anon() *Client { return &Client{Base: e.BaseURL, HTTP: http.DefaultClient} }

// Login logs a user in through POST /api/v1/login.
func (e *Env) Login(t testing.TB, user, password string) *Client {
	t.Helper()
	c := e.Anon()
	res := c.Post(t, "/api/v1/login", map[string]any{"user": user, "password": password})
	if res.Status != 200 {
		t.Fatalf("login %s: %d %s", user, res.Status, res.Raw)
	}
	data, _ := res.Body["data"].(map[string]any)
	c.UserID, _ = data["userId"].(string)
	c.Token, _ = data["authToken"].(string)
	c.Username = user
	return c
}

// CreateUser creates a user as the admin and logs them in.
func (e *Env) CreateUser(t testing.TB, username string) *Client {
	t.Helper()
	res := e.Admin.Post(t, "/api/v1/users.create", map[string]any{
		"username": username, "name": username + " Name", "email": username + "@example.com", "password": "pw-" + username,
	})
	if !res.OK() {
		t.Fatalf("create user %s: %d %s", username, res.Status, res.Raw)
	}
	return e.Login(t, username, "pw-"+username)
}

// Get calls GET path with query parameters.
func (c *Client) Get(t testing.TB, path string, query map[string]string) *Response {
	t.Helper()
	q := url.Values{}
	for k, v := range query {
		q.Set(k, v)
	}
	u := c.Base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c.Do(t, req)
}

// Post calls POST path with a JSON body (a []byte body is sent as is).
func (c *Client) Post(t testing.TB, path string, body any) *Response {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case []byte:
		b = v
	case nil:
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(http.MethodPost, c.Base+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return c.Do(t, req)
}

// Do sends a request with the client's credentials.
func (c *Client) Do(t testing.TB, req *http.Request) *Response {
	t.Helper()
	if c.UserID != "" {
		req.Header.Set("X-User-Id", c.UserID)
		req.Header.Set("X-Auth-Token", c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := &Response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if len(raw) > 0 && raw[0] == '{' {
		_ = json.Unmarshal(raw, &r.Body)
	}
	return r
}

// MustOK fails the test unless the call succeeded, and returns the body.
func (r *Response) MustOK(t testing.TB) map[string]any {
	t.Helper()
	if !r.OK() {
		t.Fatalf("want success, got %d %s", r.Status, r.Raw)
	}
	return r.Body
}

// MustFail fails the test unless the call failed with the given status,
// and returns the body.
func (r *Response) MustFail(t testing.TB, status int) map[string]any {
	t.Helper()
	if r.Status != status || r.Body["success"] != false {
		t.Fatalf("want failure %d, got %d %s", status, r.Status, r.Raw)
	}
	return r.Body
}
