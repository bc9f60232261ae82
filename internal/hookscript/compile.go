package hookscript

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// scriptName is the file name stack traces and syntax errors show.
const scriptName = "script.js"

// CompileError says why a script cannot be used. Name and Message are what
// Rocket.Chat stores as the integration's scriptError ({name, message,
// stack}); Error() gives them as one line.
type CompileError struct {
	Name    string // "SyntaxError", or "Error" when the script defines no Script class
	Message string
	Line    int // 1-based position of a syntax error; 0 when there is none
	Column  int

	err error // ErrNoScriptClass, for errors.Is
}

// Error returns the name, message and position, e.g.
// "SyntaxError: Unexpected token ) (line 3, column 14)".
func (e *CompileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: %s (line %d, column %d)", e.Name, e.Message, e.Line, e.Column)
	}
	return e.Name + ": " + e.Message
}

// Unwrap returns ErrNoScriptClass when the script declares no Script.
func (e *CompileError) Unwrap() error { return e.err }

// Compile checks a script as it is saved: it must parse, and it must
// declare Script at its top level (`class Script {}`, or `var`, `let`,
// `const` or `function` Script, which is what older, Babel-compiled
// scripts contain). The error, a *CompileError, is what the admin should
// see. Compile runs none of the script.
//
// Rocket.Chat's save step only checks the syntax; it finds a missing
// Script class on the first call. Checking here reports it where the admin
// is looking.
func Compile(src string) error {
	if _, err := compile(src); err != nil {
		return err
	}
	return nil
}

// Compile is the package's Compile, for callers that hold an Engine.
func (e *Engine) Compile(src string) error { return Compile(src) }

// compile parses and compiles src, and checks that it declares Script.
func compile(src string) (*goja.Program, error) {
	prg, err := parser.ParseFile(nil, scriptName, src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		return nil, syntaxError(err)
	}
	p, err := goja.CompileAST(prg, false)
	if err != nil {
		return nil, syntaxError(err)
	}
	if !declaresScript(prg) {
		return nil, &CompileError{Name: "Error", Message: "the script must declare class Script", err: ErrNoScriptClass}
	}
	return p, nil
}

// syntaxError turns goja's parser and compiler errors into a CompileError.
func syntaxError(err error) *CompileError {
	var list parser.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		e := list[0]
		return &CompileError{Name: "SyntaxError", Message: e.Message, Line: e.Position.Line, Column: e.Position.Column}
	}
	var perr *parser.Error
	if errors.As(err, &perr) {
		return &CompileError{Name: "SyntaxError", Message: perr.Message, Line: perr.Position.Line, Column: perr.Position.Column}
	}
	var cerr *goja.CompilerSyntaxError
	if errors.As(err, &cerr) {
		ce := &CompileError{Name: "SyntaxError", Message: cerr.Message}
		if cerr.File != nil {
			pos := cerr.File.Position(cerr.Offset)
			ce.Line, ce.Column = pos.Line, pos.Column
		}
		return ce
	}
	return &CompileError{Name: "SyntaxError", Message: err.Error()}
}

// declaresScript reports whether a top-level statement of prg binds the
// name Script.
func declaresScript(prg *ast.Program) bool {
	isScript := func(id *ast.Identifier) bool { return id != nil && id.Name == "Script" }
	bindsScript := func(list []*ast.Binding) bool {
		for _, b := range list {
			if id, ok := b.Target.(*ast.Identifier); ok && isScript(id) {
				return true
			}
		}
		return false
	}
	for _, st := range prg.Body {
		switch st := st.(type) {
		case *ast.ClassDeclaration:
			if isScript(st.Class.Name) {
				return true
			}
		case *ast.FunctionDeclaration:
			if isScript(st.Function.Name) {
				return true
			}
		case *ast.VariableStatement:
			if bindsScript(st.List) {
				return true
			}
		case *ast.LexicalDeclaration:
			if bindsScript(st.List) {
				return true
			}
		}
	}
	return false
}
