package rest

import (
	"context"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// MethodCaller runs DDP methods for method.call: message is the EJSON
// string of {msg:"method", id, method, params}, and the answer the EJSON
// string of the result message. The DDP package implements it; REST does
// not import it, so that the two adapters stay independent.
type MethodCaller interface {
	CallMethod(ctx context.Context, actor *chat.User, token, method, message string) (string, error)
}

// MethodCallRoutes registers method.call and method.callAnon (rc-api.md
// §3.8), which carry DDP methods over REST; pass it in Config.Extra.
func MethodCallRoutes(mc MethodCaller) func(a *API) {
	return func(a *API) {
		a.handle("POST /api/v1/method.call/{method}", authRequired, a.handleMethodCall(mc, false))
		a.handle("POST /api/v1/method.callAnon/{method}", public, a.handleMethodCall(mc, true))
	}
}

// handleMethodCall answers {message: "<EJSON>"} with 200
// {message: "<EJSON result>"}; a method's own error is inside the string,
// as Rocket.Chat answers, not an HTTP error. callAnon runs the method
// without a user.
func (a *API) handleMethodCall(mc MethodCaller, anon bool) handlerFunc {
	return func(r *Request) (obj, error) {
		var body struct {
			Message *string `json:"message"`
		}
		if err := r.decode(&body); err != nil {
			return nil, err
		}
		if body.Message == nil {
			return nil, required("message")
		}
		actor, token := r.Actor, r.Token
		if anon {
			actor, token = nil, ""
		}
		res, err := mc.CallMethod(r.Context(), actor, token, r.PathValue("method"), *body.Message)
		if err != nil {
			return nil, err
		}
		return obj{"message": res}, nil
	}
}
