// Unit tests of the md renderer: every node type of
// @rocket.chat/message-parser becomes the intended elements, and nothing
// in a message becomes markup. The TSX is compiled by Vite's SSR loader and
// rendered to HTML by preact-render-to-string, with no browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'vite';
import { h } from 'preact';
import { render } from 'preact-render-to-string';

// The renderer's imports read these browser globals when they load.
globalThis.location = { pathname: '/home', search: '', origin: 'http://localhost' };
globalThis.addEventListener = () => {};
globalThis.history = { pushState() {}, replaceState() {} };

let vite, MessageBody, systemText;

before(async () => {
  vite = await createServer({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, server: { middlewareMode: true, hmr: false }, appType: 'custom', logLevel: 'error' });
  ({ MessageBody } = await vite.ssrLoadModule('/src/md/render.tsx'));
  ({ systemText } = await vite.ssrLoadModule('/src/md/system.ts'));
  const emoji = await vite.ssrLoadModule('/src/emoji/index.ts');
  await emoji.loadEmoji();
});

after(() => vite?.close());

const plain = (value) => ({ type: 'PLAIN_TEXT', value });
const para = (...value) => ({ type: 'PARAGRAPH', value });
const html = (md, msg = '', me = 'bob') => render(h(MessageBody, { m: { _id: 'x', rid: 'r', ts: 0, u: { _id: 'u', username: 'a' }, msg, md }, ctx: { me } }));

test('inline formatting', () => {
  const out = html([
    para(
      { type: 'BOLD', value: [plain('b')] },
      { type: 'ITALIC', value: [plain('i')] },
      { type: 'STRIKE', value: [plain('s')] },
      { type: 'INLINE_CODE', value: plain('c<x>') },
    ),
  ]);
  assert.match(out, /<p><strong>b<\/strong><em>i<\/em><del>s<\/del><code>c&lt;x><\/code><\/p>/);
});

test('blocks: heading, code, quote, lists, tasks, line break, rule', () => {
  const out = html([
    { type: 'HEADING', level: 2, value: [plain('Title')] },
    { type: 'CODE', language: 'go', value: [{ type: 'CODE_LINE', value: plain('a := 1') }, { type: 'CODE_LINE', value: plain('<b>') }] },
    { type: 'QUOTE', value: [para(plain('quoted'))] },
    { type: 'UNORDERED_LIST', value: [{ type: 'LIST_ITEM', value: [plain('one')] }] },
    { type: 'ORDERED_LIST', value: [{ type: 'LIST_ITEM', number: 3, value: [plain('three')] }] },
    { type: 'TASKS', value: [{ type: 'TASK', status: true, value: [plain('done')] }] },
    { type: 'LINE_BREAK', value: undefined },
    { type: 'HORIZONTAL_RULE', value: undefined },
  ]);
  assert.match(out, /<h3 class="md-h">Title<\/h3>/);
  assert.match(out, /<pre class="code" data-language="go"><code>a := 1\n&lt;b><\/code><\/pre>/);
  assert.match(out, /<blockquote><p>quoted<\/p><\/blockquote>/);
  assert.match(out, /<ul><li>one<\/li><\/ul>/);
  assert.match(out, /<ol><li value="3">three<\/li><\/ol>/);
  assert.match(out, /<ul class="tasks"><li><input type="checkbox" checked disabled/);
  assert.match(out, /<br\/?><hr\/?>/);
});

test('links keep safe schemes only', () => {
  const link = (src, label) => ({ type: 'LINK', value: { src: plain(src), label: label ? plain(label) : undefined } });
  const out = html([para(link('https://example.com/a?b=1', 'site'), link('javascript:alert(1)', 'evil'), link('mailto:x@y.z'), link('data:text/html,<script>', 'data'))]);
  assert.match(out, /<a href="https:\/\/example.com\/a\?b=1" target="_blank" rel="noopener noreferrer nofollow">site<\/a>/);
  assert.match(out, /<a href="mailto:x@y.z"/);
  assert.doesNotMatch(out, /href="javascript|href="data/);
  assert.match(out, /<span>evil<\/span>/);
});

test('images from other hosts become links, not requests', () => {
  const out = html([para({ type: 'IMAGE', value: { src: plain('https://tracker.example/p.png'), label: plain('pic') } })]);
  assert.doesNotMatch(out, /<img/);
  assert.match(out, /<a href="https:\/\/tracker.example\/p.png"[^>]*>pic<\/a>/);
});

test('mentions: me, @all and channels', () => {
  const out = html([para({ type: 'MENTION_USER', value: plain('bob') }, { type: 'MENTION_USER', value: plain('all') }, { type: 'MENTION_USER', value: plain('carol') }, { type: 'MENTION_CHANNEL', value: plain('general') })]);
  assert.match(out, /class="mention me"[^>]*>@bob</);
  assert.match(out, /class="mention group"[^>]*>@all</);
  assert.match(out, /class="mention"[^>]*>@carol</);
  assert.match(out, /<a class="mention channel" href="\/channel\/general">#general<\/a>/);
});

test('emoji by short code and unicode, and big emoji', () => {
  const out = html([
    para({ type: 'EMOJI', value: plain('smile'), shortCode: 'smile' }, { type: 'EMOJI', value: undefined, unicode: '🎉' }, { type: 'EMOJI', value: plain('no_such_emoji'), shortCode: 'no_such_emoji' }),
    { type: 'BIG_EMOJI', value: [{ type: 'EMOJI', value: plain('rocket'), shortCode: 'rocket' }] },
  ]);
  assert.match(out, /title=":smile:"[^>]*>😄</);
  assert.match(out, />🎉</);
  assert.match(out, /:no_such_emoji:/);
  assert.match(out, /<div class="big-emoji"><span class="emoji"[^>]*>🚀</);
});

test('color, timestamp, spoiler, katex', () => {
  const out = html([
    para(
      { type: 'COLOR', value: { r: 255, g: 0, b: 16, a: 255 } },
      { type: 'TIMESTAMP', value: { timestamp: '1700000000', format: 'd' } },
      { type: 'SPOILER', value: [plain('secret')] },
      { type: 'INLINE_KATEX', value: 'x^2' },
    ),
    { type: 'KATEX', value: '\\frac{1}{2}' },
  ]);
  assert.match(out, /class="swatch" style="background: ?rgba\(255,0,16,1\)/);
  assert.match(out, />#ff0010</);
  assert.match(out, /<time datetime="2023-11-14T22:13:20.000Z"/);
  assert.match(out, /class="spoiler"[^>]*>secret</);
  assert.match(out, /<code class="katex">x\^2<\/code>/);
  assert.match(out, /<pre class="katex">\\frac\{1\}\{2\}<\/pre>/);
});

test('text is text: markup in a message or in a node is escaped', () => {
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  assert.doesNotMatch(html(undefined, evil), /<script|<img/);
  assert.match(html(undefined, evil), /&lt;script>alert\(1\)&lt;\/script>&lt;img src=x onerror=alert\(2\)>/);
  assert.doesNotMatch(html([para(plain(evil))]), /<script|<img/);
  assert.doesNotMatch(html([{ type: 'UNKNOWN_FUTURE_NODE', value: [plain(evil)] }]), /<script|<img/);
});

test('without md, line breaks of msg are kept', () => {
  assert.match(html(undefined, 'a\nb'), /<p>a<br\/?>b<\/p>/);
});

test('system messages are worded as Rocket.Chat words them', () => {
  const sys = (t, msg, extra = {}) => systemText({ t, msg, ...extra });
  assert.equal(sys('uj', 'bob'), 'joined the channel');
  assert.equal(sys('ul', 'bob'), 'left the channel');
  assert.equal(sys('au', 'carol'), 'added carol');
  assert.equal(sys('ru', 'carol'), 'removed carol');
  assert.equal(sys('r', 'new-name'), 'changed the room name to new-name');
  assert.equal(sys('room_changed_topic', 'Plans'), 'changed the room topic to Plans');
  assert.equal(sys('subscription-role-added', 'carol', { role: 'moderator' }), 'set carol as moderator');
  assert.equal(sys('room-archived', ''), 'archived the room');
  assert.equal(systemText({ msg: 'hello' }), null);
});
