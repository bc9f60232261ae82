package hookscript

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/dop251/goja"
)

const (
	methodPrepare = "prepare_outgoing_request"
	methodProcess = "process_outgoing_response"
)

// OutgoingRequest is the call an outgoing webhook makes, as scripts see it
// in request: {params: {}, method, url, data, auth, headers}. Rocket.Chat
// starts from a POST of the event's data (token, channel_id, user_name,
// text, trigger_word...) to the integration's URL.
type OutgoingRequest struct {
	URL     string
	Method  string
	Headers map[string]string
	// Data is the JSON body.
	Data any
	// Auth is "user:password" for Basic authentication, or "".
	Auth string
	// Timeout, when positive, bounds the call (a script sets it in ms).
	Timeout time.Duration
}

// PrepareResult is what prepare_outgoing_request decided.
type PrepareResult struct {
	// Request is the call to make, or nil for none: the script returned
	// nothing, or a result without both url and method (Rocket.Chat makes
	// no call then either). The script's result replaces the request
	// whole: headers it left out are not sent.
	Request *OutgoingRequest
	// Message, when set, is posted in the room that triggered the
	// webhook, before the call if there is one.
	Message map[string]any
}

// PrepareOutgoing runs the integration's prepare_outgoing_request with
// {request: req}. When the Script has no such method, the result holds req
// unchanged.
//
// Any error is a *ScriptError. Rocket.Chat makes no call when the method
// throws, and makes the default call when the script cannot even be
// loaded (ScriptError.Method is ""); the caller decides which to follow.
func (e *Engine) PrepareOutgoing(ctx context.Context, integrationID, src string, req OutgoingRequest) (*PrepareResult, error) {
	var res *PrepareResult
	err := e.run(ctx, integrationID, src, call{
		method: methodPrepare,
		arg: func(sb *sandbox) (goja.Value, error) {
			r, err := sb.toJS(req.wire())
			if err != nil {
				return nil, err
			}
			return sb.params("request", r), nil
		},
		missing: func() error {
			r := req
			res = &PrepareResult{Request: &r}
			return nil
		},
		result: func(sb *sandbox, ret goja.Value) error {
			var err error
			res, err = sb.prepareResult(ret)
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// wire is req in the shape scripts read.
func (req OutgoingRequest) wire() map[string]any {
	w := map[string]any{
		"params":  map[string]any{},
		"method":  req.Method,
		"url":     req.URL,
		"data":    req.Data,
		"auth":    nil,
		"headers": nonNil(req.Headers),
	}
	if req.Auth != "" {
		w["auth"] = req.Auth
	}
	if req.Timeout > 0 {
		w["timeout"] = req.Timeout.Milliseconds()
	}
	return w
}

// prepareResult reads prepare_outgoing_request's return value as
// Rocket.Chat's trigger handler does.
func (sb *sandbox) prepareResult(ret goja.Value) (*PrepareResult, error) {
	res := &PrepareResult{}
	if !truthy(ret) {
		return res, nil
	}
	if _, ok := ret.(*goja.Object); !ok {
		return nil, fmt.Errorf("the result must be a request object, not %s", describe(ret))
	}
	if mv := field(ret, "message"); truthy(mv) {
		m, err := sb.objectFromJS(mv, "result.message")
		if err != nil {
			return nil, err
		}
		res.Message = m
	}
	uv, mv := field(ret, "url"), field(ret, "method")
	if !truthy(uv) || !truthy(mv) {
		return res, nil
	}
	r := &OutgoingRequest{URL: uv.String(), Method: mv.String(), Headers: map[string]string{}}
	if hv := field(ret, "headers"); truthy(hv) {
		h, err := stringMap(hv, "result.headers")
		if err != nil {
			return nil, err
		}
		r.Headers = h
	}
	data, err := sb.fromJS(field(ret, "data"))
	if err != nil {
		return nil, fmt.Errorf("result.data: %w", err)
	}
	r.Data = data
	if av := field(ret, "auth"); truthy(av) {
		r.Auth = av.String()
	}
	if tv := field(ret, "timeout"); truthy(tv) {
		if ms := tv.ToFloat(); ms > 0 && !math.IsInf(ms, 0) {
			r.Timeout = time.Duration(ms * float64(time.Millisecond))
		}
	}
	res.Request = r
	return res, nil
}

// OutgoingResponse is the answer to an outgoing webhook's call, as
// process_outgoing_response sees it in response: {error, status_code,
// content, content_raw, headers}.
type OutgoingResponse struct {
	StatusCode int
	Headers    map[string]string // lower-case names
	// Body is the response body. Scripts get it as content_raw, and as
	// content too: parsed when the response is JSON, the text otherwise.
	Body string
	// Error, when the call failed, describes why (response.error.message);
	// "" gives response.error null.
	Error string
}

// ResponseAction says what to do with an outgoing webhook's response.
type ResponseAction int

const (
	// DefaultHandling: the Script has no process_outgoing_response or
	// returned no content. Rocket.Chat then posts the response's own text
	// or attachments if the call succeeded, and otherwise retries or
	// disables the webhook as configured.
	DefaultHandling ResponseAction = iota
	// PostContent: post OutgoingResult.Content in the triggering room.
	PostContent
	// PostNothing: the script returned false; do nothing more.
	PostNothing
)

// OutgoingResult is what process_outgoing_response decided.
type OutgoingResult struct {
	Action  ResponseAction
	Content map[string]any // the message to post, with PostContent
}

// ProcessOutgoingResponse runs the integration's process_outgoing_response
// with {request: req, response: resp}. Any error is a *ScriptError;
// Rocket.Chat treats a failing script like one without the method.
func (e *Engine) ProcessOutgoingResponse(ctx context.Context, integrationID, src string, req OutgoingRequest, resp OutgoingResponse) (*OutgoingResult, error) {
	var res *OutgoingResult
	err := e.run(ctx, integrationID, src, call{
		method: methodProcess,
		arg: func(sb *sandbox) (goja.Value, error) {
			r, err := sb.toJS(req.wire())
			if err != nil {
				return nil, err
			}
			p, err := sb.toJS(resp.wire())
			if err != nil {
				return nil, err
			}
			return sb.params("request", r, "response", p), nil
		},
		missing: func() error {
			res = &OutgoingResult{Action: DefaultHandling}
			return nil
		},
		result: func(sb *sandbox, ret goja.Value) error {
			var err error
			res, err = sb.processResult(ret)
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// wire is resp in the shape scripts read. content is the parsed body when
// it is JSON, as Rocket.Chat documents it and long passed it (its current
// engine passes the text in both fields); otherwise the text.
func (resp OutgoingResponse) wire() map[string]any {
	var content any = resp.Body
	if data := jsonData(resp.Headers["content-type"], []byte(resp.Body)); data != nil {
		content = data
	}
	var errV any
	if resp.Error != "" {
		errV = map[string]any{"message": resp.Error}
	}
	return map[string]any{
		"error":       errV,
		"status_code": resp.StatusCode,
		"content":     content,
		"content_raw": resp.Body,
		"headers":     nonNil(resp.Headers),
	}
}

// processResult reads process_outgoing_response's return value as
// Rocket.Chat's script engine does: false posts nothing, a truthy content
// is posted, anything else leaves the default handling.
func (sb *sandbox) processResult(ret goja.Value) (*OutgoingResult, error) {
	if ret.StrictEquals(sb.rt.ToValue(false)) {
		return &OutgoingResult{Action: PostNothing}, nil
	}
	cv := field(ret, "content")
	if !truthy(cv) {
		return &OutgoingResult{Action: DefaultHandling}, nil
	}
	content, err := sb.objectFromJS(cv, "result.content")
	if err != nil {
		return nil, err
	}
	return &OutgoingResult{Action: PostContent, Content: content}, nil
}
