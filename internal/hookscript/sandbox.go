package hookscript

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
)

const (
	// maxCallDepth stops runaway recursion with a RangeError-like error
	// long before it costs much memory.
	maxCallDepth = 4096
	// maxLogLines and maxLogLine bound what one run writes to the log.
	maxLogLines = 100
	maxLogLine  = 4096
	// maxStackLines bounds ScriptError.Stack.
	maxStackLines = 50
)

// errInterrupted is the value the runtime is interrupted with; the error
// the caller sees comes from the run's context.
var errInterrupted = errors.New("interrupted")

// sandbox is one integration's JavaScript runtime with its globals, its
// Script instance and its Store. Only the goroutine that took it from its
// script's slot may touch it.
type sandbox struct {
	e             *Engine
	integrationID string
	src           string

	prg        *goja.Program
	compileErr error // compiling src failed; it fails the same way every time

	// rt is made on first use, and dropped when evaluating the script
	// fails; instance is set once evaluating succeeded.
	rt        *goja.Runtime
	instance  *goja.Object // new Script()
	store     *goja.Object // Store's values, kept in the runtime so objects keep their identity
	stringify goja.Callable
	parse     goja.Callable
	errorCtor *goja.Object

	// Set for the duration of one run.
	ctx    context.Context
	method string
	logged int
}

// run makes c, evaluating the script first if this sandbox has not yet.
// ctx carries the run's deadline; when it ends, the runtime is
// interrupted.
func (sb *sandbox) run(ctx context.Context, c call) error {
	if sb.compileErr != nil {
		return &ScriptError{Message: sb.compileErr.Error(), Err: sb.compileErr}
	}
	if sb.prg == nil {
		prg, err := compile(sb.src)
		if err != nil {
			sb.compileErr = err
			return &ScriptError{Message: err.Error(), Err: err}
		}
		sb.prg = prg
	}
	if sb.rt == nil {
		sb.newRuntime()
	}

	rt := sb.rt
	sb.ctx, sb.method, sb.logged = ctx, c.method, 0
	interrupted := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		rt.Interrupt(errInterrupted)
		close(interrupted)
	})
	defer func() {
		if !stop() {
			<-interrupted
		}
		rt.ClearInterrupt()
		sb.ctx = nil
	}()

	err := sb.guard(func() error { return sb.call(c) })
	if err == nil && ctx.Err() != nil {
		// It finished, but late: say so rather than race the interrupt
		// (a script can end between its HTTP call giving up and the
		// interrupt landing).
		err = errInterrupted
	}
	if err != nil {
		se := sb.fail(sb.method, err)
		if sb.instance == nil {
			sb.rt = nil // evaluating failed: start from a fresh runtime next time
		}
		return se
	}
	return nil
}

// call evaluates the script if needed, then makes c. sb.method says which
// of the two is under way.
func (sb *sandbox) call(c call) error {
	if sb.instance == nil {
		sb.method = ""
		if err := sb.evaluate(); err != nil {
			return err
		}
	}
	sb.method = c.method
	fn, ok := goja.AssertFunction(sb.instance.Get(c.method))
	if !ok {
		return c.missing()
	}
	arg, err := c.arg(sb)
	if err != nil {
		return err
	}
	ret, err := fn(sb.instance, arg)
	if err != nil {
		return err
	}
	if ret, err = sb.settle(ret); err != nil {
		return err
	}
	return c.result(sb, ret)
}

// guard runs f, which calls into the runtime from Go, and returns what the
// script throws, or an interrupt, as an error instead of a panic: a getter
// or a toString in a returned object runs script code too.
func (sb *sandbox) guard(f func() error) (err error) {
	defer func() {
		if x := recover(); x != nil {
			e, ok := x.(error)
			if !ok || !isScriptStop(e) {
				panic(x)
			}
			err = e
		}
	}()
	if ex := sb.rt.Try(func() { err = f() }); ex != nil {
		return ex
	}
	return err
}

// newRuntime makes a runtime with the sandbox's globals.
func (sb *sandbox) newRuntime() {
	rt := goja.New()
	// Without this, a sourceMappingURL comment makes goja read a file.
	rt.SetParserOptions(parser.WithDisableSourceMaps)
	rt.SetMaxCallStackSize(maxCallDepth)

	// Keep the built-ins the bridge relies on, in case a script replaces
	// the globals.
	json := rt.Get("JSON").ToObject(rt)
	sb.stringify, _ = goja.AssertFunction(json.Get("stringify"))
	sb.parse, _ = goja.AssertFunction(json.Get("parse"))
	sb.errorCtor = rt.Get("Error").ToObject(rt)

	sb.store = rt.NewObject()
	_ = sb.store.SetPrototype(nil) // so "__proto__" is a key like any other

	g := rt.GlobalObject()
	_ = g.Set("global", g)
	_ = g.Set("console", sb.console(rt))
	_ = g.Set("Store", sb.storeAPI(rt))
	_ = g.Set("HTTP", sb.http)

	sb.rt, sb.instance = rt, nil
}

// evaluate loads the libraries the script uses, runs its top-level code
// and constructs the Script instance every call will use, as Rocket.Chat
// does.
func (sb *sandbox) evaluate() error {
	if err := loadLibraries(sb.rt, sb.src); err != nil {
		return err
	}
	if _, err := sb.rt.RunProgram(sb.prg); err != nil {
		return err
	}
	ctor := sb.rt.Get("Script")
	if _, ok := goja.AssertConstructor(ctor); !ok {
		return ErrNoScriptClass
	}
	inst, err := sb.rt.New(ctor)
	if err != nil {
		return err
	}
	sb.instance = inst
	return nil
}

// isScriptStop reports whether err is one of the errors goja panics with
// when script code stops: an exception, an interrupt, a stack overflow.
func isScriptStop(err error) bool {
	var ex *goja.Exception
	var ie *goja.InterruptedError
	var so *goja.StackOverflowError
	return errors.As(err, &ex) || errors.As(err, &ie) || errors.As(err, &so)
}

// settle waits out a promise returned by an async method. The runtime
// runs its job queue before a call returns, and nothing in the sandbox
// resolves later, so a promise still pending will stay so.
func (sb *sandbox) settle(v goja.Value) (goja.Value, error) {
	o, ok := v.(*goja.Object)
	if !ok || o.ExportType() != promiseType {
		return v, nil
	}
	p := o.Export().(*goja.Promise)
	switch p.State() {
	case goja.PromiseStateFulfilled:
		return p.Result(), nil
	case goja.PromiseStateRejected:
		r := &rejection{message: "uncaught (in promise) " + sb.text(p.Result())}
		if o, ok := p.Result().(*goja.Object); ok {
			if st := o.Get("stack"); st != nil && !goja.IsUndefined(st) {
				r.stack = sb.text(st)
			}
		}
		return nil, r
	default:
		return nil, errors.New("the method returned a promise that never settles")
	}
}

var promiseType = reflect.TypeFor[*goja.Promise]()

// rejection is a promise returned by a method that was rejected.
type rejection struct{ message, stack string }

func (r *rejection) Error() string { return r.message }

// fail turns an error met in a run into a *ScriptError.
func (sb *sandbox) fail(method string, err error) *ScriptError {
	var se *ScriptError
	if errors.As(err, &se) {
		return se
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) || sb.ctx.Err() != nil {
		return sb.e.stopped(sb.ctx, method)
	}
	var so *goja.StackOverflowError
	if errors.As(err, &so) {
		// goja's message is only the position.
		return &ScriptError{Method: method, Message: "RangeError: Maximum call stack size exceeded" + so.Error(), Stack: trimStack(so.String())}
	}
	var ex *goja.Exception
	if errors.As(err, &ex) {
		// Printing the thrown value can run its toString.
		e := &ScriptError{Method: method, Message: "the script threw a value that cannot be printed"}
		_ = sb.guard(func() error {
			msg, stack := ex.Error(), ex.String()
			e.Message, e.Stack = msg, trimStack(stack)
			return nil
		})
		return e
	}
	var rej *rejection
	if errors.As(err, &rej) {
		return &ScriptError{Method: method, Message: rej.message, Stack: trimStack(rej.stack)}
	}
	if errors.Is(err, ErrNoScriptClass) {
		return &ScriptError{Method: method, Message: "the script must declare class Script", Err: err}
	}
	return &ScriptError{Method: method, Message: err.Error()}
}

// trimStack keeps the first maxStackLines lines of a stack trace: a
// runaway recursion has thousands of frames.
func trimStack(s string) string {
	lines := strings.SplitAfterN(s, "\n", maxStackLines+1)
	if len(lines) <= maxStackLines {
		return s
	}
	return strings.Join(lines[:maxStackLines], "") + "\t...\n"
}

// console returns the sandbox's console: each method logs its arguments,
// joined by spaces, at a matching level.
func (sb *sandbox) console(rt *goja.Runtime) *goja.Object {
	c := rt.NewObject()
	levels := []struct {
		name  string
		level slog.Level
	}{
		{"log", slog.LevelInfo}, {"info", slog.LevelInfo}, {"warn", slog.LevelWarn},
		{"error", slog.LevelError}, {"debug", slog.LevelDebug},
	}
	for _, l := range levels {
		_ = c.Set(l.name, func(call goja.FunctionCall) goja.Value {
			sb.print(l.level, call.Arguments)
			return goja.Undefined()
		})
	}
	return c
}

// print logs one console call.
func (sb *sandbox) print(level slog.Level, args []goja.Value) {
	ctx := sb.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	sb.logged++
	switch {
	case sb.logged > maxLogLines+1:
		return
	case sb.logged == maxLogLines+1:
		sb.e.log.LogAttrs(ctx, slog.LevelWarn, "integration script console output truncated",
			slog.String("integration_id", sb.integrationID), slog.String("method", sb.method),
			slog.Int("max_lines", maxLogLines))
		return
	}
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = sb.format(a)
	}
	out := strings.Join(parts, " ")
	if len(out) > maxLogLine {
		out = out[:maxLogLine] + "…"
	}
	sb.e.log.LogAttrs(ctx, level, "integration script console",
		slog.String("integration_id", sb.integrationID), slog.String("method", sb.method),
		slog.String("output", out))
}

// format renders one console argument: strings as they are, errors as
// "Name: message", other values as JSON where they have one.
func (sb *sandbox) format(v goja.Value) string {
	if o, ok := v.(*goja.Object); ok && o.ClassName() != "Error" {
		if s, err := sb.stringify(goja.Undefined(), v); err == nil && !goja.IsUndefined(s) {
			return s.String()
		}
	}
	return sb.text(v)
}

// text is String(v), or a placeholder when that throws: a script's
// toString is script code too.
func (sb *sandbox) text(v goja.Value) string {
	if v == nil {
		return "undefined"
	}
	var s string
	if err := sb.guard(func() error { s = v.String(); return nil }); err != nil {
		if _, stopped := err.(*goja.InterruptedError); stopped {
			panic(err) // let the interrupt end the run
		}
		return "[unprintable value]"
	}
	return s
}

// storeAPI returns Store: set(key, value) keeps value under String(key)
// and returns it; get(key) returns it, or undefined.
func (sb *sandbox) storeAPI(rt *goja.Runtime) *goja.Object {
	s := rt.NewObject()
	_ = s.Set("set", func(call goja.FunctionCall) goja.Value {
		v := call.Argument(1)
		if err := sb.store.Set(call.Argument(0).String(), v); err != nil {
			panic(rt.NewGoError(fmt.Errorf("Store.set: %w", err)))
		}
		return v
	})
	_ = s.Set("get", func(call goja.FunctionCall) goja.Value {
		if v := sb.store.Get(call.Argument(0).String()); v != nil {
			return v
		}
		return goja.Undefined()
	})
	return s
}
