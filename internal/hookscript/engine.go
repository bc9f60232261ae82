package hookscript

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// DefaultTimeout bounds one run of a script when Options.Timeout is zero;
// Rocket.Chat allows 3,000 ms.
const DefaultTimeout = 3 * time.Second

// interruptGrace is how long a caller waits, after the timeout, for the
// interrupted runtime to stop. JavaScript code stops at once; a long
// built-in (a huge sort, a pathological regular expression) cannot be
// interrupted, so the caller gets its error and the runtime is left to
// finish in the background before the integration's next call can use it.
const interruptGrace = 100 * time.Millisecond

// Errors a *ScriptError can wrap; test them with errors.Is.
var (
	// ErrTimeout: a run took longer than Options.Timeout.
	ErrTimeout = errors.New("script timed out")
	// ErrNoScriptClass: the script defines no Script class (a
	// *CompileError from Compile wraps it too).
	ErrNoScriptClass = errors.New("class Script not found")
	// ErrMethodNotFound: the Script class has no such method.
	ErrMethodNotFound = errors.New("method not found")
)

// ScriptError reports a script that did not run to completion: it could
// not be compiled or evaluated, it threw, it timed out or its context ended,
// or it returned something that is not usable. Webhook handlers answer
// error-running-script and record Message and Stack in the history.
type ScriptError struct {
	// Method is the Script method that failed, or "" when the script
	// itself failed to load (compiling, its top-level code, or the Script
	// constructor).
	Method string
	// Message says what went wrong, with the script position when there
	// is one, e.g. "TypeError: Cannot read property 'name' of undefined at
	// process_incoming_request (script.js:3:30(7))".
	Message string
	// Stack is the JavaScript stack trace when the script threw.
	Stack string
	// Err is the cause: ErrTimeout, ErrNoScriptClass, ErrMethodNotFound, a
	// *CompileError, the caller's context error, or nil when the script threw
	// or returned an unusable value.
	Err error
}

// Error returns the method and the message.
func (e *ScriptError) Error() string {
	if e.Method == "" {
		return "script: " + e.Message
	}
	return e.Method + ": " + e.Message
}

// Unwrap returns the cause.
func (e *ScriptError) Unwrap() error { return e.Err }

// Options configure an Engine. The zero value is usable.
type Options struct {
	// Timeout bounds each run: evaluating a script, and each method call.
	// Zero means DefaultTimeout.
	Timeout time.Duration
	// HTTPClient makes the calls of the sandbox's HTTP helper. Nil means a
	// client whose timeout is Timeout. Pass a client with a guarded dialer
	// to keep scripts away from internal addresses.
	HTTPClient *http.Client
	// Logger receives the scripts' console output. Nil discards it.
	Logger *slog.Logger
}

// Engine runs integration scripts. It is safe for concurrent use.
type Engine struct {
	timeout time.Duration
	client  *http.Client
	log     *slog.Logger

	mu      sync.Mutex
	scripts map[string]*script // by integration ID
}

// New returns an Engine.
func New(opts Options) *Engine {
	e := &Engine{
		timeout: opts.Timeout,
		client:  opts.HTTPClient,
		log:     opts.Logger,
		scripts: make(map[string]*script),
	}
	if e.timeout <= 0 {
		e.timeout = DefaultTimeout
	}
	if e.client == nil {
		e.client = &http.Client{Timeout: e.timeout}
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	return e
}

// Forget drops an integration's runtime, Script instance and Store. Call it
// when the integration is deleted or its script disabled; a changed script
// is noticed without it.
func (e *Engine) Forget(integrationID string) {
	e.mu.Lock()
	delete(e.scripts, integrationID)
	e.mu.Unlock()
}

// script is one integration's source and the sandbox that runs it.
type script struct {
	src string
	// slot holds the sandbox while no call runs (capacity 1): receiving
	// from it is how a call gets exclusive use of the runtime.
	slot chan *sandbox
}

// script returns the integration's script, replacing it, with a fresh
// runtime and Store, when src has changed. A call still running on the old
// one finishes there.
func (e *Engine) script(integrationID, src string) *script {
	e.mu.Lock()
	defer e.mu.Unlock()
	sc := e.scripts[integrationID]
	if sc == nil || sc.src != src {
		sc = &script{src: src, slot: make(chan *sandbox, 1)}
		sc.slot <- &sandbox{e: e, integrationID: integrationID, src: src}
		e.scripts[integrationID] = sc
	}
	return sc
}

// call describes one call of a Script method.
type call struct {
	method string
	// arg builds the method's argument ({request} or {request, response}).
	arg func(sb *sandbox) (goja.Value, error)
	// missing decides what happens when the Script lacks the method.
	missing func() error
	// result reads what the method returned, promises already settled.
	result func(sb *sandbox, ret goja.Value) error
}

// run makes c on the integration's Script, waiting for the calls before it
// to finish. It returns when the call does, or when the timeout or ctx ends
// it, whichever is first.
func (e *Engine) run(ctx context.Context, integrationID, src string, c call) error {
	sc := e.script(integrationID, src)
	var sb *sandbox
	select {
	case sb = <-sc.slot:
	case <-ctx.Done():
		return &ScriptError{Method: c.method, Message: "not started: " + ctx.Err().Error(), Err: ctx.Err()}
	}

	runCtx, cancel := context.WithTimeoutCause(ctx, e.timeout, ErrTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func(sb *sandbox) {
		var err error
		defer func() {
			if x := recover(); x != nil {
				// A bug here or in goja must not take the server down with
				// it: report it, and give the integration a fresh sandbox.
				e.log.Error("integration script engine panic", "integration_id", integrationID,
					"method", c.method, "panic", fmt.Sprint(x), "stack", string(debug.Stack()))
				sb = &sandbox{e: e, integrationID: integrationID, src: src}
				err = &ScriptError{Method: c.method, Message: fmt.Sprintf("internal error: %v", x)}
			}
			sc.slot <- sb
			done <- err
		}()
		err = sb.run(runCtx, c)
	}(sb)
	select {
	case err := <-done:
		return err
	case <-runCtx.Done():
	}
	grace := time.NewTimer(interruptGrace)
	defer grace.Stop()
	select {
	case err := <-done:
		return err
	case <-grace.C:
		return e.stopped(runCtx, c.method)
	}
}

// stopped is the error of a run that its deadline or context ended.
func (e *Engine) stopped(runCtx context.Context, method string) *ScriptError {
	cause := context.Cause(runCtx)
	msg := cause.Error()
	if errors.Is(cause, ErrTimeout) {
		msg = fmt.Sprintf("script timed out after %s", e.timeout)
	}
	return &ScriptError{Method: method, Message: msg, Err: cause}
}
