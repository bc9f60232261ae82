package core

import (
	"bytes"
	"context"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/bmp"
	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// rasterTypes are the image types whose dimensions Liftoff reads and of
// which it makes thumbnails, with their format names (Rocket.Chat's
// identify.format).
var rasterTypes = map[string]string{
	"image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif", "image/webp": "webp", "image/bmp": "bmp",
}

// decoders decode each raster type; no process-wide registration with
// package image is needed.
var decoders = map[string]struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}{
	"image/png":  {png.DecodeConfig, png.Decode},
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"image/gif":  {gif.DecodeConfig, gif.Decode},
	"image/webp": {webp.DecodeConfig, webp.Decode},
	"image/bmp":  {bmp.DecodeConfig, bmp.Decode},
}

// maxDecodePixels bounds the images decoded for thumbnails and avatars:
// decoding holds the whole picture in memory, four bytes a pixel.
const maxDecodePixels = 16 << 20

// describeImage reads an image upload's dimensions from its header and,
// when it is larger than the thumbnail size, makes its thumbnail. Images
// that cannot be read keep no dimensions and get no thumbnail: the file
// itself is still served.
func (f *Files) describeImage(ctx context.Context, u *chat.Upload) {
	dec, ok := decoders[u.Type]
	if !ok {
		return
	}
	file, err := f.Open(ctx, u)
	if err != nil {
		f.log.Warn("reading an uploaded image", "upload_id", u.ID, "error", err)
		return
	}
	cfg, err := dec.config(file)
	file.Close()
	if err != nil {
		return // not decodable: no dimensions
	}
	u.Width, u.Height, u.Format = cfg.Width, cfg.Height, rasterTypes[u.Type]
	if err := f.makeThumbnail(ctx, u); err != nil {
		f.log.Warn("making a thumbnail", "upload_id", u.ID, "error", err)
	}
}

// makeThumbnail stores a scaled-down copy of image upload u as another
// upload (type group "thumb", pointing to u), as Rocket.Chat does with
// Message_Attachments_Thumbnails_*, and records it in u.ThumbID.
func (f *Files) makeThumbnail(ctx context.Context, u *chat.Upload) error {
	s := f.s
	if !s.SettingBool("Message_Attachments_Thumbnails_Enabled") {
		return nil
	}
	maxW := s.SettingInt("Message_Attachments_Thumbnails_Width", 480)
	maxH := s.SettingInt("Message_Attachments_Thumbnails_Height", 360)
	if maxW <= 0 || maxH <= 0 || (u.Width <= maxW && u.Height <= maxH) {
		return nil
	}
	if u.Width*u.Height > maxDecodePixels {
		return nil // too large to decode here; clients show the original
	}
	file, err := f.Open(ctx, u)
	if err != nil {
		return err
	}
	img, err := decoders[u.Type].decode(file)
	file.Close()
	if err != nil {
		return nil
	}
	w, h := fitInside(u.Width, u.Height, maxW, maxH)
	data, typ, err := encodeScaled(img, w, h, u.Type == "image/jpeg")
	if err != nil {
		return err
	}
	now := s.now()
	t := &chat.Upload{
		ID: chat.NewID(), Kind: chat.UploadFile, Name: "thumb-" + u.Name, Type: typ, TypeGroup: chat.TypeGroupThumb,
		RoomID: u.RoomID, User: u.User, ExpiresAt: u.ExpiresAt, Width: w, Height: h, Format: rasterTypes[typ],
		OriginalID: u.ID, CreatedAt: now, UpdatedAt: now,
	}
	if err := f.put(ctx, t, bytes.NewReader(data)); err != nil {
		return err
	}
	t.Complete = true
	if err := f.store.UpdateUpload(ctx, t); err != nil {
		f.discard(t)
		return err
	}
	u.ThumbID = t.ID
	return nil
}

// fitInside scales w×h to fit in maxW×maxH, keeping the aspect ratio.
func fitInside(w, h, maxW, maxH int) (int, int) {
	if w <= maxW && h <= maxH {
		return w, h
	}
	if w*maxH > h*maxW { // wider than the box
		return maxW, max(1, h*maxW/w)
	}
	return max(1, w*maxH/h), maxH
}

// encodeScaled draws img at w×h and encodes it: as JPEG when asked
// (photos), as PNG otherwise (keeps transparency). Re-encoding also drops
// whatever else the original carried (metadata, trailing data).
func encodeScaled(img image.Image, w, h int, asJPEG bool) ([]byte, string, error) {
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	var buf bytes.Buffer
	if asJPEG {
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 85}); err != nil {
			return nil, "", err
		}
		return buf.Bytes(), "image/jpeg", nil
	}
	if err := png.Encode(&buf, dst); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "image/png", nil
}
