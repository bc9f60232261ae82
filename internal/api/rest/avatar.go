package rest

import (
	"crypto/sha256"
	"fmt"
	"html"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// AvatarHandler serves /avatar/<username> and /avatar/room/<rid>: a
// generated SVG with the initials on a colour derived from the name, until
// uploaded avatars exist.
func (a *API) AvatarHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/avatar/")
		if rid, ok := strings.CutPrefix(name, "room/"); ok {
			name = rid
			if room, err := a.core.Store().RoomByID(r.Context(), rid); err == nil {
				name = room.FName
				if name == "" {
					name = room.Name
				}
			}
		}
		name = strings.TrimPrefix(name, "@")
		if i := strings.LastIndexByte(name, '.'); i > 0 && (strings.HasSuffix(name, ".svg") || strings.HasSuffix(name, ".png") || strings.HasSuffix(name, ".jpg")) {
			name = name[:i]
		}
		svg := initialsSVG(name)
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(svg)))
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Header().Set("ETag", etag)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write([]byte(svg))
	})
}

// avatarColors are the background colours of generated avatars.
var avatarColors = [...]string{
	"#F44336", "#E91E63", "#9C27B0", "#673AB7", "#3F51B5", "#2196F3", "#03A9F4", "#00BCD4",
	"#009688", "#4CAF50", "#8BC34A", "#CDDC39", "#FFC107", "#FF9800", "#FF5722", "#795548", "#607D8B",
}

// initialsSVG draws the first letters of a name (up to two) on a colour
// chosen from the name, so the same user always gets the same avatar.
func initialsSVG(name string) string {
	initials := "?"
	if name != "" {
		parts := strings.FieldsFunc(name, func(r rune) bool { return r == '.' || r == '_' || r == '-' || unicode.IsSpace(r) })
		var b strings.Builder
		for _, p := range parts {
			r, _ := utf8.DecodeRuneInString(p)
			b.WriteRune(unicode.ToUpper(r))
			if b.Len() >= 2 || utf8.RuneCountInString(b.String()) >= 2 {
				break
			}
		}
		if b.Len() > 0 {
			initials = b.String()
		}
	}
	sum := sha256.Sum256([]byte(name))
	color := avatarColors[int(sum[0])%len(avatarColors)]
	return `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">` +
		`<rect width="100%" height="100%" fill="` + color + `"/>` +
		`<text x="50%" y="50%" dy="0.35em" text-anchor="middle" fill="#ffffff" font-family="Helvetica, Arial, sans-serif" font-size="90">` +
		html.EscapeString(initials) + `</text></svg>`
}

// avatarURL is where clients find a user's avatar.
func avatarURL(u *chat.User) string { return "/avatar/" + u.Username }
