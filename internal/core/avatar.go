package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/image/draw"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/upload"
)

// maxAvatarBytes caps an avatar's source image, whatever
// FileUpload_MaxFileSize allows: avatars are decoded in memory.
const maxAvatarBytes = 20 << 20

// newFetchClient returns the client that fetches avatars from URLs:
// bounded in time (FetchTimeout for the whole exchange), with at most three
// redirects, and dialing only addresses that AllowFetch accepts when it is
// set.
func newFetchClient(cfg FilesConfig) *http.Client {
	t := outboundTransport(cfg.FetchTimeout, cfg.AllowFetch)
	t.ResponseHeaderTimeout, t.MaxIdleConns = cfg.FetchTimeout, 4
	return &http.Client{
		Timeout:   cfg.FetchTimeout,
		Transport: t,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("too many redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return errors.New("redirect to a non-web URL")
			}
			return nil
		},
	}
}

// AvatarTarget names whose avatar to change: nobody (the actor), or a user
// by id or username.
type AvatarTarget struct {
	UserID   string
	Username string
}

// AvatarImage is a new avatar: an image's bytes with its declared type, or
// a URL to fetch it from.
type AvatarImage struct {
	Body io.Reader
	Type string
	URL  string
}

func errAvatarChangeNotAllowed() error {
	e := chat.Errorf(chat.EInvalid, "error-not-allowed", "Change avatar is not allowed")
	e.Details = map[string]any{"method": "users.setAvatar"}
	return e
}

// findUser finds a user by id, or else by username (case-insensitively).
func (s *Service) findUser(ctx context.Context, id, username string) (*chat.User, error) {
	var (
		u   *chat.User
		err error
	)
	switch {
	case id != "":
		u, err = s.store.UserByID(ctx, id)
	case username != "":
		u, err = s.store.UserByUsername(ctx, username)
	default:
		return nil, chat.Errorf(chat.EInvalid, "error-user-param-not-provided", "The required \"userId\" or \"username\" param was not provided")
	}
	if chat.IsKind(err, chat.ENotFound) {
		return nil, errInvalidUserParam()
	}
	return u, err
}

// avatarTargetUser resolves whose avatar actor changes, as users.setAvatar
// does: their own when Accounts_AllowUserAvatarChange is on, anyone's with
// edit-other-user-avatar.
func (f *Files) avatarTargetUser(ctx context.Context, actor *chat.User, t AvatarTarget) (*chat.User, error) {
	s := f.s
	if actor == nil {
		return nil, chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	canOther := s.Can(ctx, actor, "edit-other-user-avatar", "")
	if !s.SettingBool("Accounts_AllowUserAvatarChange") && !canOther {
		return nil, errAvatarChangeNotAllowed()
	}
	self := (t.UserID == "" && t.Username == "") || t.UserID == actor.ID ||
		(t.UserID == "" && strings.EqualFold(t.Username, actor.Username))
	if self {
		return s.store.UserByID(ctx, actor.ID)
	}
	if !canOther {
		return nil, &chat.Error{Kind: chat.EForbidden, Message: "unauthorized"}
	}
	return s.findUser(ctx, t.UserID, t.Username)
}

// CheckAvatarChange tells, before any image is read, whether actor may
// change the target's avatar.
func (f *Files) CheckAvatarChange(ctx context.Context, actor *chat.User, t AvatarTarget) error {
	_, err := f.avatarTargetUser(ctx, actor, t)
	return err
}

// SetUserAvatar replaces a user's avatar with an uploaded image or one
// fetched from a URL (users.setAvatar). The image must be a raster image
// (PNG, JPEG, GIF, WebP, BMP) within the size limit; with
// Accounts_AvatarResize it is cropped to a square of Accounts_AvatarSize.
// The user's avatarETag changes, and stream-notify-logged announces
// updateAvatar.
func (f *Files) SetUserAvatar(ctx context.Context, actor *chat.User, t AvatarTarget, img AvatarImage) error {
	u, err := f.avatarTargetUser(ctx, actor, t)
	if err != nil {
		return err
	}
	data, typ, err := f.avatarSource(ctx, u, img)
	if err != nil {
		return err
	}
	data, typ, err = f.normalizeAvatar(data, typ)
	if err != nil {
		return err
	}
	now := f.s.now()
	up := &chat.Upload{
		ID: chat.NewID(), Kind: chat.UploadAvatar, Name: u.Username, Type: typ, TypeGroup: chat.TypeGroupOf(typ),
		User: u.Ref(), CreatedAt: now, UpdatedAt: now,
	}
	if err := f.put(ctx, up, bytes.NewReader(data)); err != nil {
		return err
	}
	err = f.s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if err := deleteAvatars(ctx, tx, u.ID, ""); err != nil {
			return err
		}
		up.Complete = true
		if err := tx.UpdateUpload(ctx, up); err != nil {
			return err
		}
		return f.avatarChanged(ctx, tx, o, u.ID, up.ID)
	})
	if err != nil {
		f.discard(up)
		return err
	}
	f.log.Info("avatar changed", "user_id", u.ID, "by", actor.ID)
	return nil
}

// ResetUserAvatar removes a user's avatar, so that the initials show
// again (users.resetAvatar).
func (f *Files) ResetUserAvatar(ctx context.Context, actor *chat.User, t AvatarTarget) error {
	s := f.s
	if actor == nil {
		return chat.Errorf(chat.EUnauthorized, "error-invalid-user", "Invalid user")
	}
	u, err := s.findUser(ctx, t.UserID, t.Username)
	if err != nil {
		return err
	}
	switch {
	case u.ID == actor.ID && s.SettingBool("Accounts_AllowUserAvatarChange"):
	case s.Can(ctx, actor, "edit-other-user-avatar", ""):
	default:
		e := chat.Errorf(chat.EInvalid, "error-not-allowed", "Reset avatar is not allowed")
		e.Details = map[string]any{"method": "users.resetAvatar"}
		return e
	}
	return s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if err := deleteAvatars(ctx, tx, u.ID, ""); err != nil {
			return err
		}
		return f.avatarChanged(ctx, tx, o, u.ID, "")
	})
}

// deleteAvatars deletes every avatar of a user (or room).
func deleteAvatars(ctx context.Context, tx chat.Store, userID, roomID string) error {
	for {
		old, err := tx.AvatarOf(ctx, userID, roomID)
		if chat.IsKind(err, chat.ENotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteUpload(ctx, old.ID); err != nil {
			return err
		}
	}
}

// avatarChanged records a user's new avatarETag and queues updateAvatar
// for every logged-in client (Rocket.Chat's user.avatarUpdate).
func (f *Files) avatarChanged(ctx context.Context, tx chat.Store, o *outbox, userID, etag string) error {
	u, err := tx.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	u.AvatarETag, u.UpdatedAt = etag, f.s.now()
	if err := tx.UpdateUser(ctx, u); err != nil {
		return err
	}
	o.addData(chat.TopicLogged, chat.Event{Kind: chat.EventUserChanged, UserID: u.ID, At: u.UpdatedAt},
		UserChange{ID: u.ID, Username: u.Username, Name: u.Name, AvatarETag: etag, AvatarChanged: true})
	return nil
}

func errAvatarURL(raw string) error {
	e := chat.Errorf(chat.EInvalid, "error-avatar-invalid-url", "Invalid avatar URL: %s", raw)
	e.Details = map[string]any{"function": "setUserAvatar", "url": raw}
	return e
}

// avatarSource reads the avatar's bytes: the upload, or the URL's
// response, within the size limit and (for URLs) the fetch timeout.
func (f *Files) avatarSource(ctx context.Context, u *chat.User, img AvatarImage) ([]byte, string, error) {
	limit := int64(maxAvatarBytes)
	if max := f.s.maxFileSize(); max >= 0 && max < limit {
		limit = max
	}
	body, typ := img.Body, img.Type
	if img.URL != "" {
		p, err := url.Parse(img.URL)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return nil, "", errAvatarURL(img.URL)
		}
		ctx, cancel := context.WithTimeout(ctx, f.cfg.FetchTimeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.String(), nil)
		if err != nil {
			return nil, "", errAvatarURL(img.URL)
		}
		req.Header.Set("Accept", "image/*")
		resp, err := f.fetch.Do(req)
		if err != nil {
			f.log.Info("avatar fetch failed", "url", p.Redacted(), "error", err)
			return nil, "", errAvatarURL(img.URL)
		}
		defer resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusNotFound:
			return nil, "", errAvatarURL(img.URL)
		case resp.StatusCode != http.StatusOK:
			e := chat.Errorf(chat.EInvalid, "error-avatar-url-handling",
				"Error while handling avatar setting from a URL (%s) for %s", img.URL, u.Username)
			e.Details = map[string]any{"function": "RocketChat.setUserAvatar", "url": img.URL, "username": u.Username}
			return nil, "", e
		case !strings.HasPrefix(baseType(resp.Header.Get("Content-Type")), "image/"):
			return nil, "", errAvatarURL(img.URL)
		}
		if resp.ContentLength > limit {
			return nil, "", errFileTooLarge(limit)
		}
		body, typ = resp.Body, resp.Header.Get("Content-Type")
	}
	if body == nil {
		return nil, "", chat.Errorf(chat.EInvalid, "error-avatar-invalid-content-type", "Invalid avatar content type")
	}
	data, err := io.ReadAll(upload.LimitReader(body, limit))
	if errors.Is(err, upload.ErrTooLarge) {
		return nil, "", errFileTooLarge(limit)
	}
	if err != nil {
		if img.URL != "" {
			return nil, "", errAvatarURL(img.URL)
		}
		return nil, "", chat.ErrInvalidParam("could not read the image: %v", err)
	}
	return data, typ, nil
}

// normalizeAvatar checks that data is a raster image of its declared type
// and, with Accounts_AvatarResize, crops it to a centred square of
// Accounts_AvatarSize pixels. Re-encoding keeps only the pixels, so
// nothing else the file carried is ever served.
func (f *Files) normalizeAvatar(data []byte, declared string) ([]byte, string, error) {
	typ := baseType(declared)
	sniffed := baseType(http.DetectContentType(data))
	if typ == "" || typ == "application/octet-stream" {
		typ = sniffed
	}
	dec, ok := decoders[typ]
	if !ok || !signatureMatches(typ, data) {
		return nil, "", errInvalidFileType()
	}
	cfg, err := dec.config(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxDecodePixels {
		return nil, "", errInvalidFileType()
	}
	if !f.s.SettingBool("Accounts_AvatarResize") {
		return data, typ, nil
	}
	size := f.s.SettingInt("Accounts_AvatarSize", 200)
	if size <= 0 {
		size = 200
	}
	img, err := dec.decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", errInvalidFileType()
	}
	b := img.Bounds()
	side := min(b.Dx(), b.Dy())
	crop := image.Rect(b.Min.X+(b.Dx()-side)/2, b.Min.Y+(b.Dy()-side)/2, 0, 0)
	crop.Max = crop.Min.Add(image.Pt(side, side))
	dst := image.NewNRGBA(image.Rect(0, 0, size, size))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, crop, draw.Src, nil)
	var buf bytes.Buffer
	if typ == "image/jpeg" {
		err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 90})
	} else {
		typ = "image/png"
		err = png.Encode(&buf, dst)
	}
	if err != nil {
		return nil, "", fmt.Errorf("encode avatar: %w", err)
	}
	return buf.Bytes(), typ, nil
}

// UserAvatar returns the user with that username and their uploaded
// avatar; the upload is nil when they have none, and both are nil for an
// unknown name.
func (f *Files) UserAvatar(ctx context.Context, username string) (*chat.User, *chat.Upload, error) {
	u, err := f.store.UserByUsername(ctx, username)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if u.AvatarETag == "" {
		return u, nil, nil
	}
	up, err := f.store.AvatarOf(ctx, u.ID, "")
	if chat.IsKind(err, chat.ENotFound) {
		return u, nil, nil
	}
	return u, up, err
}

// RoomAvatar returns a room and its uploaded avatar (nil when it has
// none), or ENotFound.
func (f *Files) RoomAvatar(ctx context.Context, roomID string) (*chat.Room, *chat.Upload, error) {
	r, err := f.store.RoomByID(ctx, roomID)
	if err != nil {
		return nil, nil, err
	}
	up, err := f.store.AvatarOf(ctx, "", r.ID)
	if chat.IsKind(err, chat.ENotFound) {
		return r, nil, nil
	}
	return r, up, err
}

// MaxAvatarBytes is the most an avatar image may weigh.
func (f *Files) MaxAvatarBytes() int64 {
	if max := f.s.maxFileSize(); max >= 0 && max < maxAvatarBytes {
		return max
	}
	return maxAvatarBytes
}

// FindUser finds a user by id, or else by username, with Rocket.Chat's
// getUserFromParams errors.
func (s *Service) FindUser(ctx context.Context, id, username string) (*chat.User, error) {
	return s.findUser(ctx, id, username)
}
