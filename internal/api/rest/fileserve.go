package rest

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// inlineTypes are the media types served for display in the browser. Every
// other type (HTML, SVG, XML, scripts, and anything unknown) is served as a
// download, so that an uploaded file never runs as a page of this site.
var inlineTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/bmp": true,
	"image/avif": true, "image/x-icon": true, "image/vnd.microsoft.icon": true,
	"text/plain": true, "application/pdf": true,
}

// servesInline reports whether a file of type typ may be displayed.
func servesInline(typ string) bool {
	g, _, _ := strings.Cut(typ, "/")
	return inlineTypes[typ] || g == "audio" || g == "video"
}

// fileActor resolves who asks for a file or an avatar: Rocket.Chat's
// rc_uid/rc_token query parameters, else its rc_uid/rc_token cookies, else
// the X-User-Id/X-Auth-Token headers. No or stale credentials give a nil
// user, without error: the caller is anonymous.
func (a *API) fileActor(r *http.Request) (*chat.User, error) {
	q := r.URL.Query()
	uid, token := q.Get("rc_uid"), q.Get("rc_token")
	if uid == "" || token == "" {
		uid, token = cookie(r, "rc_uid"), cookie(r, "rc_token")
	}
	if uid == "" || token == "" {
		uid, token = r.Header.Get("X-User-Id"), r.Header.Get("X-Auth-Token")
	}
	if uid == "" || token == "" {
		return nil, nil
	}
	u, err := a.core.Authenticate(r.Context(), uid, token)
	if chat.IsKind(err, chat.EUnauthorized) {
		return nil, nil
	}
	return u, err
}

func cookie(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// FileHandler serves GET /file-upload/<fileId>/<name>: the file's bytes,
// streamed from its storage, with its type, length, ETag, Last-Modified
// and Cache-Control: private, range requests and conditional requests, to
// the users who may download it (core.Files.Download). ?thumb=1 (or
// ?thumbnail) serves an image's thumbnail. Files a browser could run are
// served as downloads; every file carries X-Content-Type-Options: nosniff.
func (a *API) FileHandler(f *core.Files) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer a.recoverRaw(w, r)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		id, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/file-upload/"), "/")
		if id == "" {
			http.NotFound(w, r)
			return
		}
		actor, err := a.fileActor(r)
		if err != nil {
			a.rawError(w, r, err)
			return
		}
		q := r.URL.Query()
		u, err := f.Download(r.Context(), actor, id, q.Get("thumb") == "1" || q.Get("thumb") == "true" || q.Has("thumbnail"))
		if err != nil {
			a.rawError(w, r, err)
			return
		}
		file, err := f.Open(r.Context(), u)
		if err != nil {
			a.rawError(w, r, err)
			return
		}
		defer file.Close()
		typ := u.Type
		if typ == "" {
			typ = "application/octet-stream"
		}
		h := w.Header()
		h.Set("Content-Type", typ)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "private, max-age=31536000")
		h.Set("ETag", `"`+u.ETag+`"`)
		disposition := "inline"
		if !servesInline(typ) || q.Has("download") {
			disposition = "attachment"
			// Were it opened anyway, it could do nothing.
			h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
		}
		if cd := mime.FormatMediaType(disposition, map[string]string{"filename": u.Name}); cd != "" {
			h.Set("Content-Disposition", cd)
		} else {
			h.Set("Content-Disposition", disposition)
		}
		http.ServeContent(w, r, "", u.CreatedAt, file)
	})
}

// rawError answers a file request that failed, in plain text: files have
// no JSON envelope.
func (a *API) rawError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, context.Canceled):
	case chat.IsKind(err, chat.ENotFound):
		http.Error(w, "not found", http.StatusNotFound)
	case chat.IsKind(err, chat.EForbidden), chat.IsKind(err, chat.EUnauthorized):
		http.Error(w, "forbidden", http.StatusForbidden)
	case chat.IsKind(err, chat.EUnavailable):
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
	default:
		a.log.Error("file request failed", "path", r.URL.Path, "error", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
	}
}

// recoverRaw turns a panic in a file handler into a 500.
func (a *API) recoverRaw(w http.ResponseWriter, r *http.Request) {
	if p := recover(); p != nil {
		if p == http.ErrAbortHandler {
			panic(p)
		}
		a.log.Error("panic in file handler", "path", r.URL.Path, "panic", p)
		http.Error(w, "internal server error", http.StatusInternalServerError)
	}
}

// serveAvatarFile writes an uploaded avatar with public caching
// (Accounts_AvatarCacheTime), its ETag and conditional requests.
func (a *API) serveAvatarFile(w http.ResponseWriter, r *http.Request, f *core.Files, up *chat.Upload, etag string) bool {
	file, err := f.Open(r.Context(), up)
	if err != nil {
		if !chat.IsKind(err, chat.ENotFound) {
			a.log.Warn("reading an avatar", "upload_id", up.ID, "error", err)
		}
		return false // the initials stand in
	}
	defer file.Close()
	maxAge := max(a.core.SettingInt("Accounts_AvatarCacheTime", 3600), 0)
	h := w.Header()
	h.Set("Content-Type", up.Type)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(maxAge))
	h.Set("ETag", `"`+etag+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'")
	http.ServeContent(w, r, "", up.CreatedAt, file)
	return true
}
