package core

import (
	"context"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// FileMessage is what a file message says besides the file (the fields of
// rooms.upload's form and rooms.mediaConfirm's body).
type FileMessage struct {
	Text         string
	Description  string
	TMID         string
	TShow        bool
	Alias        string
	Emoji        string
	Avatar       string
	Groupable    *bool
	CustomFields map[string]any
}

// FileURL is where a file is served: /file-upload/<id>/<name>.
func FileURL(id, name string) string {
	return "/file-upload/" + id + "/" + url.PathEscape(name)
}

func errInvalidFile() error { return chat.Errorf(chat.EInvalid, "invalid-file", "") }

// SendFileMessage posts upload id into room roomID as actor's message,
// with Rocket.Chat's file, files and attachments, through the same path as
// any message (so it is live on the streams); the upload then belongs to
// the message, and goes with it. It is Rocket.Chat's sendFileMessage, for
// rooms.upload and rooms.mediaConfirm.
func (f *Files) SendFileMessage(ctx context.Context, actor *chat.User, roomID, id string, fm FileMessage) (*chat.Message, error) {
	s := f.s
	r, err := f.CheckUpload(ctx, actor, roomID, -1)
	if err != nil {
		return nil, err
	}
	if err := s.checkSize(fm.Description); err != nil {
		return nil, err
	}
	u, err := s.store.UploadByID(ctx, id)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, errInvalidFile()
	}
	if err != nil {
		return nil, err
	}
	if !u.Complete || u.Kind != chat.UploadFile || u.TypeGroup == chat.TypeGroupThumb ||
		u.RoomID != r.ID || u.User.ID != actor.ID || u.MessageID != "" {
		return nil, errInvalidFile()
	}
	var thumb *chat.Upload
	if u.ThumbID != "" {
		if thumb, err = s.store.UploadByID(ctx, u.ThumbID); chat.IsKind(err, chat.ENotFound) {
			thumb = nil
		} else if err != nil {
			return nil, err
		}
	}
	u.Description = fm.Description
	groupable := fm.Groupable
	if groupable == nil {
		groupable = boolPtr(false)
	}
	m, err := s.prepareMessage(ctx, actor, NewMessage{
		RoomID: r.ID, Text: fm.Text, TMID: fm.TMID, TShow: fm.TShow, Alias: fm.Alias, Emoji: fm.Emoji,
		Avatar: fm.Avatar, Groupable: groupable, CustomFields: fm.CustomFields,
	})
	if err != nil {
		return nil, err
	}
	m.File, m.Files, m.Attachments = fileAttachments(u, thumb)
	s.parseMarkdown(m)
	var sub *chat.Subscription
	if s.needsSubscription(ctx, actor, r) {
		if sub, err = s.subscription(ctx, s.store, r.ID, actor.ID); err != nil {
			return nil, err
		}
	}
	err = s.tx(ctx, func(tx chat.Store, o *outbox) error {
		if err := s.postInto(ctx, tx, o, actor, r, m, sub); err != nil {
			return err
		}
		for _, x := range []*chat.Upload{u, thumb} {
			if x == nil {
				continue
			}
			fresh, err := tx.UploadByID(ctx, x.ID)
			if chat.IsKind(err, chat.ENotFound) {
				return errInvalidFile() // deleted meanwhile
			}
			if err != nil {
				return err
			}
			if fresh.MessageID != "" {
				return errInvalidFile() // claimed by a concurrent confirm
			}
			fresh.MessageID, fresh.ExpiresAt, fresh.UpdatedAt = m.ID, time.Time{}, m.UpdatedAt
			if x == u {
				fresh.Description = u.Description
			}
			if err := tx.UpdateUpload(ctx, fresh); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// fileAttachments builds a file message's file, files and attachments as
// Rocket.Chat's parseFileIntoMessageAttachments does: an image shows its
// thumbnail (when there is one) and links to the original; audio and
// video get players; anything else a download link.
func fileAttachments(u, thumb *chat.Upload) (*chat.FileRef, []chat.FileRef, []map[string]any) {
	link := FileURL(u.ID, u.Name)
	files := []chat.FileRef{{ID: u.ID, Name: u.Name, Type: u.Type, Size: u.Size, Format: u.Format}}
	a := map[string]any{
		"title": u.Name, "type": "file", "title_link": link, "title_link_download": true, "fileId": u.ID,
	}
	if u.Description != "" {
		a["description"] = u.Description
	}
	switch u.TypeGroup {
	case "image":
		a["image_url"], a["image_type"], a["image_size"] = link, u.Type, u.Size
		if u.Width > 0 && u.Height > 0 {
			a["image_dimensions"] = map[string]any{"width": u.Width, "height": u.Height}
		}
		if thumb != nil {
			a["image_url"], a["image_type"] = FileURL(thumb.ID, u.Name), thumb.Type
			a["image_dimensions"] = map[string]any{"width": thumb.Width, "height": thumb.Height}
			files = append(files, chat.FileRef{ID: thumb.ID, Name: thumb.Name, Type: thumb.Type, Size: thumb.Size, Format: thumb.Format})
		}
	case "audio":
		a["audio_url"], a["audio_type"], a["audio_size"] = link, u.Type, u.Size
	case "video":
		a["video_url"], a["video_type"], a["video_size"] = link, u.Type, u.Size
	default:
		a["format"] = strings.TrimPrefix(strings.ToLower(path.Ext(u.Name)), ".")
		a["size"] = u.Size
	}
	first := files[0]
	return &first, files, []map[string]any{a}
}

// ListFiles lists the files of a room the actor may read (channels.files,
// groups.files, im.files), thumbnails left out, sorted by name unless the
// filter says otherwise.
func (f *Files) ListFiles(ctx context.Context, actor *chat.User, ref RoomRef, filter chat.UploadFilter) ([]chat.Upload, int, error) {
	r, _, err := f.s.lookupRoom(ctx, actor, ref)
	if err != nil {
		return nil, 0, err
	}
	filter.Kind, filter.RoomID, filter.NoThumbs, filter.UserID = chat.UploadFile, r.ID, true, ""
	return f.store.ListUploads(ctx, filter)
}

// RoomImages lists a room's images, newest first (rooms.images). With
// startingFromID, the list starts at that image, which comes first even
// when the page would not hold it.
func (f *Files) RoomImages(ctx context.Context, actor *chat.User, roomID, startingFromID string, offset, limit int) ([]chat.Upload, int, error) {
	r, err := f.s.store.RoomByID(ctx, roomID)
	if chat.IsKind(err, chat.ENotFound) {
		return nil, 0, errUploadForbidden()
	}
	if err != nil {
		return nil, 0, err
	}
	if _, err := f.s.readAccess(ctx, f.s.store, actor, r); chat.IsKind(err, chat.ENotFound) {
		return nil, 0, errUploadForbidden()
	} else if err != nil {
		return nil, 0, err
	}
	filter := chat.UploadFilter{
		Kind: chat.UploadFile, RoomID: r.ID, TypeGroup: "image", NoThumbs: true, Offset: offset, Limit: limit,
		Sort: []chat.SortField{{Field: "uploadedAt", Desc: true}},
	}
	var first *chat.Upload
	if startingFromID != "" {
		u, err := f.store.UploadByID(ctx, startingFromID)
		if err == nil && u.RoomID == r.ID && u.Complete && u.TypeGroup == "image" {
			first, filter.Before = u, u.CreatedAt
		} else if err != nil && !chat.IsKind(err, chat.ENotFound) {
			return nil, 0, err
		}
	}
	list, total, err := f.store.ListUploads(ctx, filter)
	if err != nil {
		return nil, 0, err
	}
	if first != nil {
		found := false
		for _, x := range list {
			found = found || x.ID == first.ID
		}
		if !found {
			list = append([]chat.Upload{*first}, list...)
		}
	}
	return list, total, nil
}

// Download returns a file upload that actor may download, or ENotFound
// (no such file) or EForbidden. With FileUpload_ProtectFiles off anyone
// may; otherwise the caller must be logged in and, by default
// (FileUpload_Restrict_to_room_members), a member of the room; with
// FileUpload_Restrict_to_users_who_can_access_room, anyone who may read
// it. thumb asks for the image's thumbnail, when it has one.
func (f *Files) Download(ctx context.Context, actor *chat.User, id string, thumb bool) (*chat.Upload, error) {
	u, err := f.store.UploadByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !u.Complete || u.Kind != chat.UploadFile {
		return nil, chat.ErrNotFound("file")
	}
	if err := f.mayDownload(ctx, actor, u); err != nil {
		return nil, err
	}
	if thumb && u.ThumbID != "" {
		if t, err := f.store.UploadByID(ctx, u.ThumbID); err == nil && t.Complete {
			return t, nil
		}
	}
	return u, nil
}

func (f *Files) mayDownload(ctx context.Context, actor *chat.User, u *chat.Upload) error {
	s := f.s
	if !s.SettingBool("FileUpload_ProtectFiles") {
		return nil
	}
	forbidden := &chat.Error{Kind: chat.EForbidden, Message: "forbidden"}
	if actor == nil {
		return forbidden
	}
	if u.RoomID == "" {
		return nil
	}
	members := s.SettingBool("FileUpload_Restrict_to_room_members")
	readers := s.SettingBool("FileUpload_Restrict_to_users_who_can_access_room")
	switch {
	case readers:
		if !s.CanReadRoom(ctx, actor, u.RoomID) {
			return forbidden
		}
	case members:
		r, err := s.store.RoomByID(ctx, u.RoomID)
		if err != nil {
			return forbidden
		}
		if r.Type == chat.RoomDirect && contains(r.UIDs, actor.ID) {
			return nil
		}
		sub, err := s.subscription(ctx, s.store, r.ID, actor.ID)
		if err != nil {
			return err
		}
		if sub == nil {
			return forbidden
		}
	}
	return nil
}
