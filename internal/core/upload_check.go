package core

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// The checks an upload passes before its bytes are stored: the
// FileUpload_* limits and the media type against the content.

// sniffLen is how much of a file is looked at to tell its type, as much as
// http.DetectContentType reads.
const sniffLen = 512

func errUploadsDisabled() error {
	return chat.Errorf(chat.EInvalid, "error-file-upload-disabled", "File uploads are disabled.")
}

func errDirectUploadsDisabled() error {
	return chat.Errorf(chat.EInvalid, "error-direct-message-file-upload-not-allowed", "File sharing not allowed in direct messages")
}

// errFileTooLarge is Rocket.Chat's error for a file over
// FileUpload_MaxFileSize, with the limit as its i18n text gives it.
func errFileTooLarge(max int64) error {
	return chat.Errorf(chat.EInvalid, "error-file-too-large", "File exceeds allowed size of %s.", humanSize(max))
}

func errInvalidFileType() error {
	return chat.Errorf(chat.EInvalid, "error-invalid-file-type", "File type is not accepted.")
}

// errTypeMismatch refuses a file whose content is not what its declared
// type says: an "image" that is an HTML page would run in a browser that
// sniffs it.
func errTypeMismatch(declared string) error {
	return chat.Errorf(chat.EInvalid, "error-invalid-file-type", "File type is not accepted: the content is not %s.", declared)
}

// humanSize formats a byte count as the filesize library that Rocket.Chat
// uses does: powers of 1024, one decimal at most, "100 MB".
func humanSize(n int64) string {
	units := []string{"B", "KB", "MB", "GB", "TB"}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	s := fmt.Sprintf("%.1f", v)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + units[i]
}

// maxFileSize returns FileUpload_MaxFileSize; -1 (or any negative value)
// means no limit, as in Rocket.Chat.
func (s *Service) maxFileSize() int64 {
	n := int64(s.SettingInt("FileUpload_MaxFileSize", 104857600))
	if n < 0 {
		return -1
	}
	return n
}

// MaxFileSize returns the upload size limit in bytes, or -1 for none, so
// that the REST layer can refuse a body by its length before reading it.
func (f *Files) MaxFileSize() int64 { return f.s.maxFileSize() }

// mediaTypeList splits a FileUpload_MediaType*List setting; nil means no
// list. A white list of "*" is no list either.
func mediaTypeList(v string, white bool) []string {
	v = strings.TrimSpace(v)
	if v == "" || (white && v == "*") {
		return nil
	}
	var out []string
	for _, item := range strings.Split(v, ",") {
		out = append(out, strings.ToLower(strings.TrimSpace(item)))
	}
	return out
}

// typeOnList is Rocket.Chat's isTypeOnList: the exact type, or its
// "group/*" wildcard.
func typeOnList(typ string, list []string) bool {
	wildcard := TypeGroupWildcard(typ)
	for _, item := range list {
		if item == typ || (strings.HasSuffix(item, "/*") && item == wildcard) {
			return true
		}
	}
	return false
}

// TypeGroupWildcard returns "image/*" for image/png.
func TypeGroupWildcard(typ string) string {
	g, _, _ := strings.Cut(typ, "/")
	return g + "/*"
}

// mediaTypeAllowed applies FileUpload_MediaTypeBlackList, then
// FileUpload_MediaTypeWhiteList, as Rocket.Chat's
// fileUploadIsValidContentType does.
func (s *Service) mediaTypeAllowed(typ string) bool {
	black := mediaTypeList(s.SettingString("FileUpload_MediaTypeBlackList"), false)
	white := mediaTypeList(s.SettingString("FileUpload_MediaTypeWhiteList"), true)
	if typ == "" && black != nil {
		return false
	}
	if black != nil && typeOnList(typ, black) {
		return false
	}
	return white == nil || typeOnList(typ, white)
}

// baseType returns the lower-cased media type without parameters, or "".
func baseType(v string) string {
	if v == "" {
		return ""
	}
	t, _, err := mime.ParseMediaType(v)
	if err != nil {
		t, _, _ = strings.Cut(v, ";")
	}
	return strings.ToLower(strings.TrimSpace(t))
}

// markupTypes are the declared types under which markup content is what
// the declaration says. Anything that a browser could render as a page
// from markup is served as a download (fileserve), never inline.
var markupTypes = map[string]bool{
	"text/html": true, "application/xhtml+xml": true, "text/xml": true, "application/xml": true,
	"image/svg+xml": true, "text/plain": true, "text/markdown": true, "text/x-markdown": true,
	"text/csv": true, "application/rss+xml": true, "application/atom+xml": true, "text/calendar": true,
}

// signatures are the first bytes of the image formats whose declared type
// is checked against the content.
var signatures = map[string][][]byte{
	"image/png":  {[]byte("\x89PNG\r\n\x1a\n")},
	"image/jpeg": {[]byte("\xff\xd8\xff")},
	"image/gif":  {[]byte("GIF87a"), []byte("GIF89a")},
	"image/bmp":  {[]byte("BM")},
	"image/webp": {[]byte("RIFF")}, // and WEBP at offset 8, checked below
}

// signatureMatches reports whether head starts as a file of type typ must.
// Types without a known signature match anything.
func signatureMatches(typ string, head []byte) bool {
	sigs, ok := signatures[typ]
	if !ok {
		return true
	}
	for _, sig := range sigs {
		if bytes.HasPrefix(head, sig) {
			return typ != "image/webp" || len(head) >= 12 && string(head[8:12]) == "WEBP"
		}
	}
	return false
}

// uploadType decides an upload's media type from the declared one, the
// file name and the first bytes, and refuses it when the content
// contradicts the declaration or the type is not allowed. A missing or
// generic declaration (application/octet-stream) is replaced by the type
// the name's extension or the content tells.
func (s *Service) uploadType(declared, name string, head []byte) (string, error) {
	typ := baseType(declared)
	sniffed := baseType(http.DetectContentType(head))
	if typ == "" || typ == "application/octet-stream" {
		switch {
		case mime.TypeByExtension(path.Ext(name)) != "":
			typ = baseType(mime.TypeByExtension(path.Ext(name)))
		case sniffed != "application/octet-stream" && !(sniffed == "text/plain" && !utf8.Valid(head)):
			typ = sniffed
		default:
			typ = "application/octet-stream"
		}
	}
	if !signatureMatches(typ, head) {
		return "", errTypeMismatch(typ)
	}
	// Markup (HTML, XML, SVG) under any other declared type is refused:
	// a browser that sniffs would run it.
	if (sniffed == "text/html" || sniffed == "text/xml") && !markupTypes[typ] {
		return "", errTypeMismatch(typ)
	}
	if !s.mediaTypeAllowed(typ) {
		return "", errInvalidFileType()
	}
	return typ, nil
}

// uploadName returns the name a file is kept under: the last element of
// what the client sent, without control characters, "file" when empty.
func uploadName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(strings.TrimSpace(name))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" || name == ".." {
		return "file"
	}
	const maxName = 255
	for len(name) > maxName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}
