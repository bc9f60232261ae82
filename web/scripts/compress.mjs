// Writes .gz and .br siblings of every text asset in the build, which the
// Go handler serves by Accept-Encoding. zlib writes no timestamp (mtime 0),
// so the output is the same on every run.
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dist = fileURLToPath(new URL('../../internal/web/dist', import.meta.url));
const text = new Set(['.js', '.css', '.html', '.svg', '.json', '.txt', '.webmanifest']);

function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (text.has(extname(p))) compress(p);
  }
}

function compress(p) {
  const raw = readFileSync(p);
  const gz = gzipSync(raw, { level: 9 });
  const br = brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
  if (gz.length < raw.length) writeFileSync(p + '.gz', gz);
  if (br.length < raw.length) writeFileSync(p + '.br', br);
}

walk(dist);
