// Loaded with `node --import ./register.mjs`: resolves @embeddedchat/*
// the way the bundlers EmbeddedChat is built for do. Its published
// packages declare "type": "module" but point "main" at a CommonJS build,
// which Node cannot import; their "module" field names the real ES module
// build (dist/index.mjs), which is what browsers get.
import { register } from 'node:module';

register('./module-field.mjs', import.meta.url);
