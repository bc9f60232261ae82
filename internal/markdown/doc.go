// Package markdown turns message text into the "md" tree that Rocket.Chat
// stores with every message and that its clients render.
//
// Rocket.Chat builds that tree with the npm package @rocket.chat/message-parser
// (a PEG grammar compiled by peggy). This package is an independent Go
// implementation of the same grammar, pinned to version 0.32.0: for every input
// and option set, Parse returns a tree whose JSON encoding equals the npm
// parser's output (same keys, values and array order).
//
// Use OptionsFromSettings to get the options Rocket.Chat's server uses when it
// saves a message, then Parse; json.Marshal (or AppendJSON) writes the tree.
// Rocket.Chat leaves md unset for empty texts, end-to-end encrypted messages
// and texts longer than 30,000 characters (MESSAGE_MAX_PARSE_LENGTH); that
// policy belongs to the caller.
//
// # How it stays identical
//
// The grammar backtracks heavily, so the implementation mirrors its rule
// structure: ordered choice, lookaheads, and the "skip" flags that stop an
// emphasis or link from nesting in itself. The helpers the grammar calls are
// reproduced too: reducePlainTexts (reduce.go), tldts's public-suffix test and
// the WHATWG URL.canParse for autolinks (autolink.go, urlparse.go, psl.go), and
// JavaScript's Date parsing for timestamps (timestamp.go). Positions are
// UTF-16 code units, as in JavaScript, because the grammar matches code units
// and reports source ranges in them.
//
// testdata/corpus holds about 2,900 inputs (hand-written and generated) with
// the npm parser's outputs under three option sets; TestGolden checks them and
// TestDifferentialNPM re-runs the npm parser live when Node.js and
// testdata/npm/node_modules exist (npm ci there).
//
// # Where it differs
//
// The reference re-evaluates rules at the same position again and again and
// is quadratic, even cubic, on some inputs; this package memoizes those rules,
// caches shared scans, and builds the nodes of content that candidates share
// only once they are known to be kept, so parsing is linear (FuzzParse checks
// it with a step counter). The reference also recurses once per emoticon in a run of
// emoticons and throws "Maximum call stack size exceeded" after a few
// thousand of them, leaving such a message without md, where Parse returns
// the tree. Finally, Go strings cannot hold lone surrogates: pieces of text
// that split a surrogate pair are joined by position so that the pair comes
// out whole, but where the grammar would leave the halves in two separate
// nodes (no known input does), they become U+FFFD.
//
// The package imports nothing from the rest of Liftoff.
package markdown
