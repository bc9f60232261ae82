package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// FileRoutes registers uploads, file listings and avatars; the server
// passes it in Config.Extra with the file use cases.
// https://developer.rocket.chat/apidocs/upload-media-files-to-a-room
func FileRoutes(f *core.Files) func(*API) {
	return func(a *API) {
		h := &files{a: a, f: f}
		a.handle("POST /api/v1/rooms.upload/{rid}", authRequired, h.handleRoomsUpload)
		a.handle("POST /api/v1/rooms.media/{rid}", authRequired, h.handleRoomsMedia)
		a.handle("POST /api/v1/rooms.mediaConfirm/{rid}/{fileId}", authRequired, h.handleRoomsMediaConfirm)
		a.handle("GET /api/v1/rooms.images", authRequired, h.handleRoomsImages)
		a.handle("GET /api/v1/channels.files", authRequired, h.handleRoomFiles(chat.RoomChannel))
		a.handle("GET /api/v1/groups.files", authRequired, h.handleRoomFiles(chat.RoomGroup))
		a.handle("GET /api/v1/im.files", authRequired, h.handleRoomFiles(chat.RoomDirect))
		a.handle("GET /api/v1/dm.files", authRequired, h.handleRoomFiles(chat.RoomDirect))
		a.handle("POST /api/v1/users.setAvatar", authRequired, h.handleUsersSetAvatar)
		a.handle("POST /api/v1/users.resetAvatar", authRequired, h.handleUsersResetAvatar)
		a.handle("GET /api/v1/users.getAvatar", public, h.handleUsersGetAvatar)
	}
}

// files holds the handlers of the file endpoints.
type files struct {
	a *API
	f *core.Files
}

// Multipart bodies are streamed part by part: the file goes straight to
// storage, and only the small fields are kept.
const (
	// formAllowance is what a multipart body may carry besides its file
	// (boundaries, headers, text fields): a body longer than the file
	// limit plus this cannot hold an acceptable file and is refused by its
	// Content-Length, before it is read.
	formAllowance = 1 << 20
	maxFieldBytes = 256 << 10
	maxParts      = 64
)

func errInvalidField() error { return chat.Errorf(chat.EInvalid, "invalid-field", "") }

// form reads a multipart/form-data body. Text fields are collected; the
// single file part, which must be named fileField, is handed to onFile
// while the body streams. Another file, or a file under another name, is
// Rocket.Chat's invalid-field error.
func (r *Request) form(fileField string, onFile func(p *multipart.Part) error) (map[string]string, bool, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, false, errInvalidField()
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, false, errInvalidField()
	}
	fields := map[string]string{}
	gotFile := false
	for n := 0; ; n++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return fields, gotFile, nil
		}
		if err != nil {
			return nil, gotFile, chat.ErrInvalidParam("malformed multipart body")
		}
		if n >= maxParts {
			return nil, gotFile, chat.ErrInvalidParam("too many parts")
		}
		if p.FileName() != "" {
			switch {
			case p.FormName() != fileField:
				return nil, gotFile, errInvalidField()
			case gotFile:
				return nil, gotFile, chat.Errorf(chat.EInvalid, "error-file-upload", "Just 1 file is allowed")
			}
			gotFile = true
			if err := onFile(p); err != nil {
				return nil, gotFile, err
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, maxFieldBytes+1))
		if err != nil {
			return nil, gotFile, chat.ErrInvalidParam("malformed multipart body")
		}
		if len(b) > maxFieldBytes {
			return nil, gotFile, chat.Errorf(chat.EInvalid, "error-message-size-exceeded", "Field %s is too long", p.FormName())
		}
		fields[p.FormName()] = string(b)
	}
}

// checkLength refuses a body whose announced length cannot hold a file
// within the limit.
func (h *files) checkLength(r *Request) error {
	if max := h.f.MaxFileSize(); max >= 0 && r.ContentLength > max+formAllowance {
		return h.f.ErrFileTooLarge()
	}
	return nil
}

// storeFormFile streams the form's file part into room rid.
func (h *files) storeFormFile(r *Request, rid string, temporary bool) (*chat.Upload, map[string]string, error) {
	if _, err := h.f.CheckUpload(r.Context(), r.Actor, rid, -1); err != nil {
		return nil, nil, err
	}
	if err := h.checkLength(r); err != nil {
		return nil, nil, err
	}
	var up *chat.Upload
	fields, _, err := r.form("file", func(p *multipart.Part) error {
		var err error
		up, err = h.f.Upload(r.Context(), r.Actor, core.NewUpload{
			RoomID: rid, Name: p.FileName(), Type: p.Header.Get("Content-Type"), Size: -1, Body: p, Temporary: temporary,
		})
		return err
	})
	if err != nil {
		if up != nil {
			h.f.Discard(up)
		}
		return nil, nil, err
	}
	if up == nil {
		return nil, nil, errInvalidField()
	}
	return up, fields, nil
}

// fileMessage reads the message fields of rooms.upload's form or
// rooms.mediaConfirm's body.
func fileMessage(fields map[string]string) (core.FileMessage, error) {
	fm := core.FileMessage{
		Text: fields["msg"], Description: fields["description"], TMID: fields["tmid"],
		Alias: fields["alias"], Emoji: fields["emoji"], Avatar: fields["avatar"],
	}
	if v, ok := fields["tshow"]; ok {
		fm.TShow, _ = strconv.ParseBool(v)
	}
	if v, ok := fields["groupable"]; ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fm, chat.ErrInvalidParam("must be boolean: 'groupable'")
		}
		fm.Groupable = &b
	}
	if v := fields["customFields"]; v != "" {
		if err := json.Unmarshal([]byte(v), &fm.CustomFields); err != nil {
			return fm, chat.ErrInvalidParam("must be object: 'customFields'")
		}
	}
	return fm, nil
}

// handleRoomsUpload answers POST rooms.upload/:rid: the legacy one-shot
// upload (multipart file plus msg, description, tmid), posting the file
// message at once.
func (h *files) handleRoomsUpload(r *Request) (obj, error) {
	rid := r.PathValue("rid")
	up, fields, err := h.storeFormFile(r, rid, false)
	if err != nil {
		return nil, err
	}
	fm, err := fileMessage(fields)
	if err == nil {
		var m *chat.Message
		if m, err = h.f.SendFileMessage(r.Context(), r.Actor, rid, up.ID, fm); err == nil {
			return obj{"message": messageDoc(m)}, nil
		}
	}
	h.f.Discard(up)
	return nil, err
}

// handleRoomsMedia answers POST rooms.media/:rid: the first step of the
// current upload, which stores the file for a day and returns
// {file:{_id, url}}; rooms.mediaConfirm posts it.
func (h *files) handleRoomsMedia(r *Request) (obj, error) {
	up, _, err := h.storeFormFile(r, r.PathValue("rid"), true)
	if err != nil {
		return nil, err
	}
	return obj{"file": obj{"_id": up.ID, "url": core.FileURL(up.ID, up.Name)}}, nil
}

// handleRoomsMediaConfirm answers POST rooms.mediaConfirm/:rid/:fileId
// with {message}: it posts a file that rooms.media stored.
func (h *files) handleRoomsMediaConfirm(r *Request) (obj, error) {
	var body map[string]any
	if err := r.decode(&body); err != nil {
		return nil, err
	}
	fields := map[string]string{}
	for k, v := range body {
		switch x := v.(type) {
		case string:
			fields[k] = x
		case map[string]any:
			b, _ := json.Marshal(x)
			fields[k] = string(b)
		case nil:
		default:
			fields[k] = str(x)
		}
	}
	fm, err := fileMessage(fields)
	if err != nil {
		return nil, err
	}
	m, err := h.f.SendFileMessage(r.Context(), r.Actor, r.PathValue("rid"), r.PathValue("fileId"), fm)
	if err != nil {
		return nil, err
	}
	return obj{"message": messageDoc(m)}, nil
}

// fileDoc is an upload as Rocket.Chat's clients read it (IUpload), with
// the uploader in user (addUserToFileObj).
func fileDoc(u *chat.Upload) obj {
	d := obj{
		"_id": u.ID, "name": u.Name, "size": u.Size, "type": u.Type, "rid": u.RoomID, "userId": u.User.ID,
		"store": u.Store + ":Uploads", "complete": u.Complete, "uploading": false, "progress": 1,
		"extension": strings.TrimPrefix(path.Ext(u.Name), "."), "etag": u.ETag, "typeGroup": u.TypeGroup,
		"url": core.FileURL(u.ID, u.Name), "path": core.FileURL(u.ID, u.Name),
		"uploadedAt": wire.NewDate(u.CreatedAt, date), "_updatedAt": wire.NewDate(u.UpdatedAt, date),
		"user": wire.UserRef{ID: u.User.ID, Username: u.User.Username, Name: u.User.Name},
	}
	if u.Description != "" {
		d["description"] = u.Description
	}
	if u.Width > 0 && u.Height > 0 {
		d["identify"] = obj{"format": u.Format, "size": obj{"width": u.Width, "height": u.Height}}
	}
	if u.MessageID != "" {
		d["message_id"] = u.MessageID
	}
	return d
}

func fileDocs(us []chat.Upload) []obj {
	out := make([]obj, len(us))
	for i := range us {
		out[i] = fileDoc(&us[i])
	}
	return out
}

// fileQuery reads the deprecated query parameter that Rocket.Chat's web
// client still sends to *.files: {name: {$regex}, typeGroup}.
func fileQuery(r *Request, f *chat.UploadFilter) error {
	q := r.q("query")
	if q == "" {
		return nil
	}
	var v struct {
		TypeGroup string `json:"typeGroup"`
		Name      struct {
			Regex string `json:"$regex"`
		} `json:"name"`
	}
	if err := json.Unmarshal([]byte(q), &v); err != nil {
		return chat.ErrInvalidParam("Invalid query parameter provided: \"%s\"", q)
	}
	if v.TypeGroup != "" {
		f.TypeGroup = v.TypeGroup
	}
	if v.Name.Regex != "" {
		// Clients escape the text they search for; the search is literal.
		var b strings.Builder
		esc := false
		for _, c := range v.Name.Regex {
			if c == '\\' && !esc {
				esc = true
				continue
			}
			esc = false
			b.WriteRune(c)
		}
		f.Name = b.String()
	}
	return nil
}

// handleRoomFiles answers GET channels.files, groups.files and im.files:
// a room's files (thumbnails left out), filtered by typeGroup and name,
// sorted by name unless sort says otherwise.
func (h *files) handleRoomFiles(t chat.RoomType) handlerFunc {
	return func(r *Request) (obj, error) {
		p, err := r.paginate()
		if err != nil {
			return nil, err
		}
		filter := chat.UploadFilter{TypeGroup: r.q("typeGroup"), Name: r.q("name"), Offset: p.Offset, Limit: p.Count, Sort: p.Sort}
		if err := fileQuery(r, &filter); err != nil {
			return nil, err
		}
		ref := r.roomRef(t)
		if t == chat.RoomDirect && ref.ID == "" && ref.Name == "" {
			return nil, chat.Errorf(chat.EInvalid, "error-room-param-not-provided", `Body param "roomId" or "username" is required`)
		}
		list, total, err := h.f.ListFiles(r.Context(), r.Actor, ref, filter)
		if err != nil {
			return nil, err
		}
		return paged(obj{"files": fileDocs(list)}, len(list), p, total), nil
	}
}

// handleRoomsImages answers GET rooms.images (roomId, startingFromId,
// offset, count): a room's images, newest first. Like Rocket.Chat, count
// echoes the page size asked for.
func (h *files) handleRoomsImages(r *Request) (obj, error) {
	rid := r.q("roomId")
	if rid == "" {
		return nil, required("roomId")
	}
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	list, total, err := h.f.RoomImages(r.Context(), r.Actor, rid, r.q("startingFromId"), p.Offset, p.Count)
	if err != nil {
		return nil, err
	}
	return obj{"files": fileDocs(list), "count": p.Count, "offset": p.Offset, "total": total}, nil
}

// handleUsersSetAvatar answers POST users.setAvatar: a multipart image
// (field "image", with optional userId or username fields), or a JSON or
// form body with avatarUrl (and optional userId or username).
func (h *files) handleUsersSetAvatar(r *Request) (obj, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		var body struct {
			AvatarURL string `json:"avatarUrl"`
			UserID    string `json:"userId"`
			Username  string `json:"username"`
		}
		if err := r.decode(&body); err != nil {
			return nil, err
		}
		if body.AvatarURL == "" {
			return nil, rcFailure("The 'image' param is required")
		}
		t := core.AvatarTarget{UserID: body.UserID, Username: body.Username}
		return nil, h.f.SetUserAvatar(r.Context(), r.Actor, t, core.AvatarImage{URL: body.AvatarURL})
	}
	// The form's userId or username may follow the image: the image (at
	// most the avatar limit) is held until the form is read.
	if err := h.f.CheckAvatarChange(r.Context(), r.Actor, core.AvatarTarget{}); err != nil &&
		!chat.IsKind(err, chat.EForbidden) {
		return nil, err
	}
	if err := h.checkLength(r); err != nil {
		return nil, err
	}
	var (
		image []byte
		typ   string
	)
	fields, got, err := r.form("image", func(p *multipart.Part) error {
		var err error
		image, err = io.ReadAll(io.LimitReader(p, h.f.MaxAvatarBytes()+1))
		typ = p.Header.Get("Content-Type")
		return err
	})
	if err != nil {
		return nil, err
	}
	if !got {
		return nil, rcFailure("The 'image' param is required")
	}
	t := core.AvatarTarget{UserID: fields["userId"], Username: fields["username"]}
	return nil, h.f.SetUserAvatar(r.Context(), r.Actor, t, core.AvatarImage{Body: bytesReader(image), Type: typ})
}

// handleUsersResetAvatar answers POST users.resetAvatar {userId|username}.
func (h *files) handleUsersResetAvatar(r *Request) (obj, error) {
	var body struct {
		UserID   string `json:"userId"`
		Username string `json:"username"`
	}
	if err := r.decode(&body); err != nil {
		return nil, err
	}
	return nil, h.f.ResetUserAvatar(r.Context(), r.Actor, core.AvatarTarget{UserID: body.UserID, Username: body.Username})
}

// handleUsersGetAvatar answers GET users.getAvatar (userId or username)
// as Rocket.Chat does: 307 to the avatar's full URL, which is also the
// body.
func (h *files) handleUsersGetAvatar(r *Request) (obj, error) {
	u, err := h.f.Service().FindUser(r.Context(), r.q("userId"), r.q("username"))
	if err != nil {
		return nil, err
	}
	loc := h.a.absoluteURL(r, avatarURL(u))
	r.W.Header().Set("Location", loc)
	writeJSON(r.W, http.StatusTemporaryRedirect, loc)
	return nil, nil
}

// bytesReader returns a reader of b.
func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
