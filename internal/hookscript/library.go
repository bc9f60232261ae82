package hookscript

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
)

// The libraries Rocket.Chat's script sandbox offers besides its helpers:
// the published builds of underscore and moment, and our own `s` (see
// lib/README.md for versions, sources and how to update them).
var (
	//go:embed lib/underscore/underscore-umd-min.js
	underscoreJS string
	//go:embed lib/moment/moment.min.js
	momentJS string
	//go:embed lib/s.js
	stringsJS string
)

// library is a JavaScript library that defines one global.
//
// Its program is compiled the first time a script needs it and then
// shared by every runtime of the process: a *goja.Program holds no
// runtime state and may run in many runtimes at once. It is the one piece
// of process-wide state in this package, and it never changes once made:
// compiling moment takes about 10 ms and 5 MB, five times what running it
// in a runtime costs, so it is not something to do per integration, or
// even per Engine.
type library struct {
	global string // the name it defines, and that a script must mention
	file   string // the name stack traces show
	src    string
	// bind, when set, receives what the program evaluates to: for a
	// library wrapped in a function, it calls that function.
	bind func(rt *goja.Runtime, v goja.Value) error

	once     sync.Once
	prg      *goja.Program
	err      error
	compiles atomic.Int32 // how many times it was compiled, for tests
}

// libraries are loaded in this order, before the script's own code.
var libraries = []*library{
	{global: "_", file: "underscore.js", src: underscoreJS},
	{global: "s", file: "s.js", src: stringsJS},
	{global: "moment", file: "moment.js", src: "(function (module, require) {\n" + momentJS + "\n})", bind: bindMoment},
}

// program returns the library compiled, compiling it on first use.
func (l *library) program() (*goja.Program, error) {
	l.once.Do(func() {
		l.compiles.Add(1)
		// moment's build ends with a sourceMappingURL comment, which goja
		// would otherwise try to read from the file system.
		ast, err := parser.ParseFile(nil, l.file, l.src, 0, parser.WithDisableSourceMaps)
		if err == nil {
			l.prg, err = goja.CompileAST(ast, false)
		}
		if err != nil {
			l.err = fmt.Errorf("compile %s: %w", l.file, err)
		}
	})
	return l.prg, l.err
}

// loadLibraries runs, in rt, the libraries that src mentions.
//
// The rule: a library is loaded when its global's name appears in the
// script's source as a whole word, that is, not next to a letter, a
// digit, '_' or '$'. That finds `_.map(...)`, `_(list)`, `s.trim(x)`,
// `moment()` and `global.moment` alike, so scripts written for
// Rocket.Chat, where the three are always there, keep working; a script
// that mentions none of them pays nothing. The rule errs towards loading:
// a name in a comment or a string, or `_` as an unused parameter, loads
// the library for nothing, which costs up to 2 ms (moment) once per
// runtime (BenchmarkFirstCall). Only a name built at run time
// (global['mo' + 'ment']) is missed.
//
// It runs inside the run that evaluates the script, so the run's timeout
// and interruption cover it.
func loadLibraries(rt *goja.Runtime, src string) error {
	for _, l := range libraries {
		if !mentions(src, l.global) {
			continue
		}
		prg, err := l.program()
		if err != nil {
			return err
		}
		v, err := rt.RunProgram(prg)
		if err != nil {
			return err
		}
		if l.bind != nil {
			if err := l.bind(rt, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// mentions reports whether name appears in src as a whole word.
func mentions(src, name string) bool {
	for from := 0; ; {
		i := strings.Index(src[from:], name)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(name)
		if (start == 0 || !isWordByte(src[start-1])) && (end == len(src) || !isWordByte(src[end])) {
			return true
		}
		from = start + 1
	}
}

// isWordByte reports whether b can be part of an ASCII identifier.
func isWordByte(b byte) bool {
	return b == '_' || b == '$' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
