package hookscript_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/liftoff-chat/liftoff/internal/hookscript"
)

func TestCompile(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantErr string // "" for none
		line    int
		column  int
	}{
		{name: "class", src: "class Script {\n  process_incoming_request({ request }) { return { content: { text: 'hi' } }; }\n}"},
		{name: "Babel output", src: `"use strict";function _classCallCheck(a,b){}var Script=function(){function Script(){_classCallCheck(this,Script)}return Script}();`},
		{name: "function", src: "function Script() {}\nScript.prototype.process_incoming_request = function () {};"},
		{name: "const class expression", src: "const Script = class { prepare_outgoing_request() {} };"},
		{name: "helpers around the class", src: "const fmt = (n) => n.toFixed(2);\nclass Script { process_incoming_request() { return fmt(1); } }\nfunction unused() {}"},
		{
			name:    "syntax error",
			src:     "class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: 'a' + } };\n  }\n}",
			wantErr: "SyntaxError: Unexpected token } (line 3, column 37)", line: 3, column: 37,
		},
		{
			name:    "unterminated string",
			src:     "class Script {\n  process_incoming_request() { return 'oops; }\n}",
			wantErr: "SyntaxError: Unexpected token ILLEGAL (line 2, column 39)", line: 2, column: 39,
		},
		{name: "no class", src: "const x = 1;", wantErr: "Error: the script must declare class Script"},
		{name: "wrong name", src: "class script {}", wantErr: "Error: the script must declare class Script"},
		{name: "class inside a block", src: "if (true) { class Script {} }", wantErr: "Error: the script must declare class Script"},
		{name: "empty", src: "", wantErr: "Error: the script must declare class Script"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := hookscript.Compile(tt.src)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Compile = %v, want nil", err)
				}
				return
			}
			var ce *hookscript.CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("Compile = %v (%T), want a *CompileError", err, err)
			}
			if ce.Error() != tt.wantErr || ce.Line != tt.line || ce.Column != tt.column {
				t.Errorf("Compile = %q at %d:%d, want %q at %d:%d", ce.Error(), ce.Line, ce.Column, tt.wantErr, tt.line, tt.column)
			}
			if missing := ce.Name == "Error"; errors.Is(err, hookscript.ErrNoScriptClass) != missing {
				t.Errorf("errors.Is(err, ErrNoScriptClass) = %v, want %v", !missing, missing)
			}
		})
	}
}

// A sourceMappingURL comment must not make the server read a file: goja
// does by default, and fails the parse when the file is not a source map.
func TestCompileReadsNoFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.map")
	if err := os.WriteFile(path, []byte("not a source map"), 0o600); err != nil {
		t.Fatal(err)
	}
	src := "class Script {}\n//# sourceMappingURL=" + path + "\n"
	if err := hookscript.Compile(src); err != nil {
		t.Errorf("Compile = %v, want nil", err)
	}
}
