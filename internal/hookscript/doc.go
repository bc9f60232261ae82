// Package hookscript runs the JavaScript that admins attach to webhook
// integrations, with the contract Rocket.Chat gives those scripts.
//
// A script declares `class Script` with up to three methods:
// process_incoming_request({request}) for an incoming webhook, and
// prepare_outgoing_request({request}) and
// process_outgoing_response({request, response}) for an outgoing one.
// Compile checks a script when it is saved; an Engine runs the methods when
// webhooks fire.
//
// # The sandbox
//
// Scripts run in goja, a JavaScript engine written in Go, with these globals
// on top of the language's own: console (log, info, warn, error, debug; sent
// to the Engine's logger), Store (get/set, kept in memory per integration
// until its script changes), HTTP(method, url, options) (a synchronous HTTP
// call with the options and result shape of Meteor's HTTP.call), and global
// (the global object). There is no require, no timers, no file system and no
// other network access.
//
// Like Rocket.Chat's, the sandbox also offers three libraries: _ (underscore
// 1.13), moment (moment 2, its locales loaded on use) and s (Rocket.Chat's string
// helpers: trim, capitalize, truncate, pad...). Each is compiled once per
// process and run in a script's runtime only when the script's source
// mentions its name (see loadLibraries), so scripts that use none of them
// pay nothing. lib/README.md says where they come from.
//
// Like Rocket.Chat, which keeps one V8 isolate per integration, an Engine
// keeps one runtime per integration: the Script instance is constructed once
// and reused, so fields it sets on `this` persist between calls, as Store
// does. Calls for the same integration run one at a time; different
// integrations run in parallel. Each run (evaluating the script, then each
// method call) is bounded by Options.Timeout and by the caller's context: on
// either, the runtime is interrupted and the caller gets an error at once.
//
// # Data crossing the boundary
//
// Values go into the runtime as JSON (so a script never holds a Go object)
// and come out as JSON: map[string]any, []any, float64, string, bool and nil.
// Dates come out as ISO 8601 strings, functions and undefined are dropped.
//
// This package imports only the standard library and goja; it knows nothing
// of rooms, users or messages beyond the shapes scripts exchange.
package hookscript
