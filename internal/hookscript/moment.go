package hookscript

import (
	"embed"
	"errors"
	"strings"
	"sync"

	"github.com/dop251/goja"
)

// moment's locales, one file each, as its npm package ships them.
//
//go:embed lib/moment/locale/*.js
var momentLocaleFiles embed.FS

// momentLocales are the locale files as libraries, by locale name (de,
// pt-br, ...), made on first use; each compiles once, on first use.
var momentLocales = sync.OnceValue(func() map[string]*library {
	entries, err := momentLocaleFiles.ReadDir("lib/moment/locale")
	if err != nil {
		panic(err) // the directory is embedded: it cannot be missing
	}
	m := make(map[string]*library, len(entries))
	for _, e := range entries {
		src, err := momentLocaleFiles.ReadFile("lib/moment/locale/" + e.Name())
		if err != nil {
			panic(err)
		}
		name := strings.TrimSuffix(e.Name(), ".js")
		m[name] = &library{file: "moment/locale/" + e.Name(), src: string(src)}
	}
	return m
})

// bindMoment runs moment's build, which the library wraps in a function of
// (module, require), so that moment finds its locales the way it does in
// Node, where Rocket.Chat's scripts run: moment.locale('de') and the like
// call require('./locale/de') the first time a locale is asked for. The
// two names exist only inside that function; scripts see neither. With no
// `exports` in sight, the build still defines moment as a global.
func bindMoment(rt *goja.Runtime, wrapped goja.Value) error {
	fn, ok := goja.AssertFunction(wrapped)
	if !ok {
		return errors.New("moment.js: the wrapped build is not a function")
	}
	module := rt.NewObject()
	if err := module.Set("exports", rt.NewObject()); err != nil {
		return err
	}
	_, err := fn(rt.GlobalObject(), module, rt.ToValue(func(call goja.FunctionCall) goja.Value {
		requireMomentLocale(rt, call.Argument(0).String())
		return goja.Undefined()
	}))
	return err
}

// requireMomentLocale runs, in rt, the locale file that moment asks for as
// ./locale/<name>. Anything else throws, as a missing module would; moment
// then takes the locale as unknown.
func requireMomentLocale(rt *goja.Runtime, p string) {
	name, ok := strings.CutPrefix(p, "./locale/")
	l := momentLocales()[name] // only the embedded file names are keys
	if !ok || l == nil {
		panic(rt.NewGoError(errors.New("Cannot find module '" + p + "'")))
	}
	prg, err := l.program()
	if err != nil {
		panic(rt.NewGoError(err))
	}
	if _, err := rt.RunProgram(prg); err != nil {
		panic(err)
	}
}
