// parse.mjs runs the reference @rocket.chat/message-parser over a batch of
// inputs so the Go port in internal/markdown can be checked against it.
//
// Usage: node parse.mjs [cases.json]   (reads stdin when no file is given)
//
// The input is a JSON array of {"input": string, "options": object, "now": number?}.
// The output is a JSON array, one entry per case, of {"md": tree} or
// {"error": message} when the parser throws.
//
// The parser reads the wall clock and the local time zone for some timestamp
// forms, so both are pinned here: TZ is UTC and "now" (milliseconds since the
// epoch, default 2025-01-01T00:00:00Z) replaces the current time. The Go tests
// pin the same values.
process.env.TZ = 'UTC';

import { readFileSync } from 'node:fs';
import { parse } from '@rocket.chat/message-parser';

const DEFAULT_NOW = Date.UTC(2025, 0, 1);
const RealDate = Date;
let now = DEFAULT_NOW;

// FixedDate behaves like Date except that the argument-less forms report the
// pinned "now" instead of the wall clock.
class FixedDate extends RealDate {
	constructor(...args) {
		if (args.length === 0) {
			super(now);
		} else {
			super(...args);
		}
	}

	static now() {
		return now;
	}
}
globalThis.Date = FixedDate;

const source = process.argv[2] ? readFileSync(process.argv[2], 'utf8') : readFileSync(0, 'utf8');
const cases = JSON.parse(source);
const results = cases.map((c) => {
	now = typeof c.now === 'number' ? c.now : DEFAULT_NOW;
	try {
		return { md: parse(c.input, c.options ?? {}) };
	} catch (err) {
		return { error: String(err && err.message ? err.message : err) };
	}
});
process.stdout.write(`${JSON.stringify(results)}\n`);
