package core

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Attachments are Slack-style documents that clients render, links
// included. Rocket.Chat checks the type of every field it knows and refuses
// link fields that are not web links, because a javascript: (or data:,
// vbscript:) href in an anchor runs code in the reader's browser.

// attachmentKind is the expected JSON type of a known attachment field.
type attachmentKind int

const (
	kindString attachmentKind = iota
	kindBool
	kindNumber
	kindStringOrNumber
	kindObject
	kindArray
	kindURL // an absolute web link, or a path of our file store
)

var attachmentFields = map[string]attachmentKind{
	"color": kindString, "text": kindString, "ts": kindStringOrNumber, "thumb_url": kindURL,
	"button_alignment": kindString, "actions": kindArray, "message_link": kindURL, "collapsed": kindBool,
	"author_name": kindString, "author_link": kindURL, "author_icon": kindURL, "title": kindString,
	"title_link": kindURL, "title_link_download": kindBool, "image_dimensions": kindObject,
	"image_url": kindURL, "image_preview": kindString, "image_type": kindString, "image_size": kindNumber,
	"audio_url": kindURL, "audio_type": kindString, "audio_size": kindNumber, "video_url": kindURL,
	"video_type": kindString, "video_size": kindNumber, "fields": kindArray, "attachments": kindArray,
}

var attachmentActionFields = map[string]attachmentKind{
	"type": kindString, "text": kindString, "url": kindURL, "image_url": kindURL, "is_webview": kindBool,
	"webview_height_ratio": kindString, "msg": kindString, "msg_in_chat_window": kindBool,
}

// maxQuoteDepth bounds nested (quoted) attachments.
const maxQuoteDepth = 8

// validateAttachments checks a message's attachments as Rocket.Chat's
// validateMessage does, plus the nested attachments of quotes.
func validateAttachments(as []map[string]any) error {
	return validateAttachmentList(as, "attachments", 0)
}

func validateAttachmentList(as []map[string]any, path string, depth int) error {
	if depth > maxQuoteDepth {
		return matchError(path, "at most %d levels of nested attachments", maxQuoteDepth)
	}
	for i, a := range as {
		p := fmt.Sprintf("%s[%d]", path, i)
		if err := checkFields(a, attachmentFields, p); err != nil {
			return err
		}
		if fs, ok := a["fields"].([]any); ok {
			for j, f := range fs {
				if err := validateAttachmentField(f, fmt.Sprintf("%s.fields[%d]", p, j)); err != nil {
					return err
				}
			}
		}
		if acts, ok := a["actions"].([]any); ok {
			for j, act := range acts {
				ap := fmt.Sprintf("%s.actions[%d]", p, j)
				obj, ok := act.(map[string]any)
				if !ok {
					return matchError(ap, "Expected object")
				}
				if err := checkFields(obj, attachmentActionFields, ap); err != nil {
					return err
				}
			}
		}
		if nested, ok := a["attachments"].([]any); ok {
			list := make([]map[string]any, 0, len(nested))
			for j, n := range nested {
				obj, ok := n.(map[string]any)
				if !ok {
					return matchError(fmt.Sprintf("%s.attachments[%d]", p, j), "Expected object")
				}
				list = append(list, obj)
			}
			if err := validateAttachmentList(list, p+".attachments", depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// validateAttachmentField checks one entry of an attachment's fields: a
// title and a value are required.
func validateAttachmentField(f any, path string) error {
	obj, ok := f.(map[string]any)
	if !ok {
		return matchError(path, "Expected object")
	}
	kinds := map[string]attachmentKind{"short": kindBool, "title": kindString}
	if err := checkFields(obj, kinds, path); err != nil {
		return err
	}
	switch v := obj["value"].(type) {
	case nil, string, bool, float64, json.Number:
		if !truthy(v) || !truthy(obj["title"]) {
			return &chat.Error{Kind: chat.EInvalid, Message: "Invalid attachment field, title and value is required"}
		}
	default:
		return matchError(path+".value", "Expected string, number or boolean")
	}
	return nil
}

// truthy is JavaScript's truthiness for JSON values.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case bool:
		return x
	case float64:
		return x != 0
	case json.Number:
		f, err := x.Float64()
		return err == nil && f != 0
	}
	return true
}

// checkFields checks the JSON types of the known fields of obj that are
// set (null counts as unset).
func checkFields(obj map[string]any, kinds map[string]attachmentKind, path string) error {
	for name, kind := range kinds {
		v, ok := obj[name]
		if !ok || v == nil {
			continue
		}
		p := path + "." + name
		switch kind {
		case kindString:
			if _, ok := v.(string); !ok {
				return matchError(p, "Expected string")
			}
		case kindBool:
			if _, ok := v.(bool); !ok {
				return matchError(p, "Expected boolean")
			}
		case kindNumber:
			if !isNumber(v) {
				return matchError(p, "Expected number")
			}
		case kindStringOrNumber:
			if _, ok := v.(string); !ok && !isNumber(v) {
				return matchError(p, "Expected string or number")
			}
		case kindObject:
			if _, ok := v.(map[string]any); !ok {
				return matchError(p, "Expected object")
			}
		case kindArray:
			if _, ok := v.([]any); !ok {
				return matchError(p, "Expected array")
			}
		case kindURL:
			s, ok := v.(string)
			if !ok {
				return matchError(p, "Expected string")
			}
			if !validFullURL(s) {
				return &chat.Error{Kind: chat.EInvalid, Message: "Invalid href value provided"}
			}
		}
	}
	return nil
}

func isNumber(v any) bool {
	switch v.(type) {
	case float64, json.Number, int, int64:
		return true
	}
	return false
}

func matchError(path, format string, args ...any) error {
	return &chat.Error{Kind: chat.EInvalid, Message: "Match error: " + fmt.Sprintf(format, args...) + " in field " + path}
}

// fileUploadPath is where uploaded files are served; links there are ours.
const fileUploadPath = "/file-upload/"

// validFullURL accepts absolute http(s) links and links to uploaded files.
// Everything else — javascript:, data:, vbscript:, and links hiding a
// scheme behind whitespace or control characters — is refused.
func validFullURL(s string) bool {
	if hasUnsafeChars(s) {
		return false
	}
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(s, fileUploadPath)
}

// schemePattern matches a URL that starts with a scheme.
var schemePattern = regexp.MustCompile(`^[a-zA-Z0-9+.-]+:`)

// validPartialURL accepts what validFullURL accepts and relative links
// (for avatars): no scheme, not protocol-relative.
func validPartialURL(s string) bool {
	if validFullURL(s) {
		return true
	}
	if s == "" || hasUnsafeChars(s) || schemePattern.MatchString(s) {
		return false
	}
	return !strings.HasPrefix(s, "//") && !strings.HasPrefix(s, `\`) && !strings.HasPrefix(s, `/\`)
}

// hasUnsafeChars reports whitespace at the edges or control characters
// anywhere: browsers strip them before reading the scheme.
func hasUnsafeChars(s string) bool {
	if strings.TrimSpace(s) != s {
		return true
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}
