package hookscript

import (
	"context"
	"fmt"

	"github.com/dop251/goja"
)

const methodIncoming = "process_incoming_request"

// URL is request.url, the parts of the webhook URL that was called.
type URL struct {
	Hash     string
	Search   string            // "?a=1", or ""
	Query    map[string]string // the query string's values
	Pathname string
	Path     string // pathname and search
}

// User is request.user: the account the integration posts as.
type User struct {
	ID       string // _id
	Name     string
	Username string
}

// IncomingRequest is the request an incoming webhook's script sees as
// request: url, url_raw, url_params, content, content_raw, headers, user,
// and body (the same object as content).
type IncomingRequest struct {
	URL        URL
	URLRaw     string
	URLParams  map[string]string
	Content    any // the parsed body
	ContentRaw string
	Headers    map[string]string // lower-case names
	User       User
}

// IncomingResult is what process_incoming_request returned. When Error is
// set the webhook answers failure with it and posts nothing; otherwise it
// posts Content and, when Response is set, answers success with it.
type IncomingResult struct {
	// Content is the message to post: text, attachments, channel, alias,
	// emoji, avatar...
	Content map[string]any
	// Response is the body the script wants the webhook's caller to get.
	Response map[string]any
	// Error is the script's error value (usually an object or a string).
	Error any
}

// ProcessIncoming runs the integration's process_incoming_request with
// {request: req}. A nil result with a nil error means the script returned
// nothing (or any falsy value): post nothing and answer success.
//
// integrationID keys the runtime, Script instance and Store, which are
// kept across calls until src changes. Any error is a *ScriptError; one
// wrapping ErrMethodNotFound means the Script has no
// process_incoming_request (Rocket.Chat logs that and answers success).
// A result with neither error nor content is an error too, as it is for
// Rocket.Chat.
func (e *Engine) ProcessIncoming(ctx context.Context, integrationID, src string, req IncomingRequest) (*IncomingResult, error) {
	var res *IncomingResult
	err := e.run(ctx, integrationID, src, call{
		method: methodIncoming,
		arg: func(sb *sandbox) (goja.Value, error) {
			r, err := sb.toJS(req.wire())
			if err != nil {
				return nil, err
			}
			o := r.ToObject(sb.rt)
			_ = o.Set("body", o.Get("content"))
			return sb.params("request", o), nil
		},
		missing: func() error {
			return &ScriptError{Method: methodIncoming, Message: "the Script class has no process_incoming_request method", Err: ErrMethodNotFound}
		},
		result: func(sb *sandbox, ret goja.Value) error {
			var err error
			res, err = sb.incomingResult(ret)
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// wire is req in the shape scripts read.
func (req IncomingRequest) wire() map[string]any {
	return map[string]any{
		"url": map[string]any{
			"hash":     req.URL.Hash,
			"search":   req.URL.Search,
			"query":    nonNil(req.URL.Query),
			"pathname": req.URL.Pathname,
			"path":     req.URL.Path,
		},
		"url_raw":     req.URLRaw,
		"url_params":  nonNil(req.URLParams),
		"content":     req.Content,
		"content_raw": req.ContentRaw,
		"headers":     nonNil(req.Headers),
		"user": map[string]any{
			"_id":      req.User.ID,
			"name":     req.User.Name,
			"username": req.User.Username,
		},
	}
}

// incomingResult reads process_incoming_request's return value the way
// Rocket.Chat's webhook handler does: falsy is nothing, a truthy error
// wins, and otherwise content must be an object.
func (sb *sandbox) incomingResult(ret goja.Value) (*IncomingResult, error) {
	if !truthy(ret) {
		return nil, nil
	}
	if _, ok := ret.(*goja.Object); !ok {
		return nil, fmt.Errorf("the result must be an object with content or error, not %s", describe(ret))
	}
	if ev := field(ret, "error"); truthy(ev) {
		v, err := sb.fromJS(ev)
		if err != nil {
			return nil, fmt.Errorf("result.error: %w", err)
		}
		return &IncomingResult{Error: v}, nil
	}
	cv := field(ret, "content")
	if !truthy(cv) {
		return nil, fmt.Errorf("the result has neither content nor error")
	}
	content, err := sb.objectFromJS(cv, "result.content")
	if err != nil {
		return nil, err
	}
	res := &IncomingResult{Content: content}
	if rv := field(ret, "response"); truthy(rv) {
		if res.Response, err = sb.objectFromJS(rv, "result.response"); err != nil {
			return nil, err
		}
	}
	return res, nil
}
