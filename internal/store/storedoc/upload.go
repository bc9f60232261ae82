package storedoc

import "github.com/liftoff-chat/liftoff/internal/chat"

// Upload holds the upload fields that are read but never filtered on.
type Upload struct {
	User        UserRef `json:"u"`
	Description string  `json:"description,omitempty"`
	ETag        string  `json:"etag,omitempty"`
	Width       int     `json:"width,omitempty"`
	Height      int     `json:"height,omitempty"`
	Format      string  `json:"format,omitempty"`
	ThumbID     string  `json:"thumbId,omitempty"`
	OriginalID  string  `json:"originalId,omitempty"`
}

// NewUpload returns the document of u.
func NewUpload(u *chat.Upload) Upload {
	return Upload{
		User: UserRef(u.User), Description: u.Description, ETag: u.ETag, Width: u.Width, Height: u.Height,
		Format: u.Format, ThumbID: u.ThumbID, OriginalID: u.OriginalID,
	}
}

// Apply copies the document's fields into u.
func (d *Upload) Apply(u *chat.Upload) {
	u.User, u.Description, u.ETag = chat.UserRef(d.User), d.Description, d.ETag
	u.Width, u.Height, u.Format, u.ThumbID, u.OriginalID = d.Width, d.Height, d.Format, d.ThumbID, d.OriginalID
}
