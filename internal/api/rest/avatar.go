package rest

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// Generated avatars are square SVGs; size= asks for a side in pixels.
const (
	avatarDefaultSize = 200
	avatarMinSize     = 16
	avatarMaxSize     = 1024
)

// AvatarHandler serves /avatar/<username> and /avatar/room/<rid>: the
// uploaded avatar when there is one (f may be nil: none), else a generated
// SVG with the initials on a colour derived from the name. Like
// Rocket.Chat, /avatar/<anything> answers with that text's initials even
// when no user has that name, which is how clients show room avatars by
// room name. Responses carry an ETag (the avatarETag for uploaded ones)
// and Cache-Control (Accounts_AvatarCacheTime), and honour If-None-Match.
// With Accounts_AvatarBlockUnauthenticatedAccess, only logged-in callers
// (rc_uid/rc_token cookies or query, or the auth headers) get avatars.
func (a *API) AvatarHandler(f *core.Files) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer a.recoverRaw(w, r)
		if a.core.SettingBool("Accounts_AvatarBlockUnauthenticatedAccess") {
			if u, err := a.fileActor(r); err != nil || u == nil {
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
		}
		if f != nil && a.serveUploadedAvatar(w, r, f) {
			return
		}
		name, ok := a.avatarName(r)
		if !ok {
			http.NotFound(w, r)
			return
		}
		size := avatarDefaultSize
		if s := r.URL.Query().Get("size"); s != "" {
			if n, err := strconv.Atoi(s); err == nil {
				size = min(max(n, avatarMinSize), avatarMaxSize)
			}
		}
		svg := initialsSVG(name, size)
		sum := sha256.Sum256([]byte(svg))
		etag := `"` + hex.EncodeToString(sum[:16]) + `"`
		maxAge := a.core.SettingInt("Accounts_AvatarCacheTime", 3600)
		if maxAge < 0 {
			maxAge = 0
		}
		h := w.Header()
		h.Set("Content-Type", "image/svg+xml")
		h.Set("Cache-Control", "public, max-age="+strconv.Itoa(maxAge))
		h.Set("ETag", etag)
		h.Set("X-Content-Type-Options", "nosniff")
		// The SVG is data, never a document that may run scripts.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		if etagMatches(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Length", strconv.Itoa(len(svg)))
		_, _ = w.Write([]byte(svg))
	})
}

// serveUploadedAvatar serves the uploaded avatar the path names, and
// reports whether there was one.
func (a *API) serveUploadedAvatar(w http.ResponseWriter, r *http.Request, f *core.Files) bool {
	rest := strings.TrimPrefix(r.URL.Path, "/avatar/")
	if rid, isRoom := strings.CutPrefix(rest, "room/"); isRoom {
		room, up, err := f.RoomAvatar(r.Context(), strings.Trim(rid, "/"))
		if err != nil || up == nil {
			return false
		}
		etag := room.AvatarETag
		if etag == "" {
			etag = up.ID
		}
		return a.serveAvatarFile(w, r, f, up, etag)
	}
	u, up, err := f.UserAvatar(r.Context(), avatarUsername(rest))
	if err != nil || up == nil {
		return false
	}
	return a.serveAvatarFile(w, r, f, up, u.AvatarETag)
}

// avatarUsername returns the username in /avatar/<name>: without a
// leading @ or an image extension.
func avatarUsername(rest string) string {
	name := strings.TrimPrefix(strings.Trim(rest, "/"), "@")
	for _, ext := range []string{".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"} {
		if trimmed, ok := strings.CutSuffix(name, ext); ok && trimmed != "" {
			return trimmed
		}
	}
	return name
}

// avatarName returns the text whose initials the avatar shows, or false
// when a room avatar names no room.
func (a *API) avatarName(r *http.Request) (string, bool) {
	rest := strings.TrimPrefix(r.URL.Path, "/avatar/") // already unescaped
	if rid, isRoom := strings.CutPrefix(rest, "room/"); isRoom {
		rid = strings.Trim(rid, "/")
		if rid == "" {
			return "", false
		}
		room, err := a.core.Store().RoomByID(r.Context(), rid)
		if err != nil {
			return "", false
		}
		switch {
		case room.Type == chat.RoomDirect:
			return strings.Join(room.Usernames, " "), true
		case room.FName != "":
			return room.FName, true
		}
		return room.Name, true
	}
	name := avatarUsername(rest)
	if name != "" && a.core.SettingBool("UI_Use_Name_Avatar") {
		if u, err := a.core.Store().UserByUsername(r.Context(), name); err == nil && u.Name != "" {
			name = u.Name
		}
	}
	return name, true
}

// etagMatches reports whether an If-None-Match header names etag.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// avatarColors are the background colours of generated avatars.
var avatarColors = [...]string{
	"#F44336", "#E91E63", "#9C27B0", "#673AB7", "#3F51B5", "#2196F3", "#03A9F4", "#00BCD4",
	"#009688", "#4CAF50", "#8BC34A", "#CDDC39", "#FFC107", "#FF9800", "#FF5722", "#795548", "#607D8B",
}

// avatarInitials returns the first letters (up to two) of a name's words,
// upper case, or "?" for an empty name.
func avatarInitials(name string) string {
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '.' || r == '_' || r == '-' || unicode.IsSpace(r) })
	var out []rune
	for _, p := range parts {
		r, _ := utf8.DecodeRuneInString(p)
		if r == utf8.RuneError {
			continue
		}
		out = append(out, unicode.ToUpper(r))
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// initialsSVG draws a name's initials on a colour chosen from the name, so
// the same name always gets the same avatar.
func initialsSVG(name string, size int) string {
	sum := sha256.Sum256([]byte(name))
	color := avatarColors[int(sum[0])%len(avatarColors)]
	side := strconv.Itoa(size)
	return `<svg xmlns="http://www.w3.org/2000/svg" width="` + side + `" height="` + side + `" viewBox="0 0 200 200">` +
		`<rect width="100%" height="100%" fill="` + color + `"/>` +
		`<text x="50%" y="50%" dy="0.35em" text-anchor="middle" fill="#ffffff" font-family="Helvetica, Arial, sans-serif" font-size="90">` +
		html.EscapeString(avatarInitials(name)) + `</text></svg>`
}

// avatarURL is where clients find a user's avatar.
func avatarURL(u *chat.User) string { return "/avatar/" + url.PathEscape(u.Username) }
