// Unit test of useStore, the hook every view reads shared state with: a
// change made after a component renders but before its effects run (when
// it subscribes) must still reach it. The boot sequence depends on this:
// the session may leave its boot phase in that window, and a view that
// missed it would show the loading screen for good.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Window } from 'happy-dom';
import { createServer } from 'vite';
import { h, render } from 'preact';

const window = new Window();
globalThis.document = window.document;
globalThis.requestAnimationFrame = (cb) => setTimeout(cb, 0);
globalThis.cancelAnimationFrame = (id) => clearTimeout(id);

let vite, Store, useStore;

before(async () => {
  vite = await createServer({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, server: { middlewareMode: true, hmr: false }, appType: 'custom', logLevel: 'error' });
  ({ Store, useStore } = await vite.ssrLoadModule('/src/state/store.ts'));
});

after(() => vite?.close());

const settle = () => new Promise((ok) => setTimeout(ok, 50));

test('a change between render and subscription is not lost', async () => {
  const phase = new Store('boot');
  const Probe = () => h('p', null, useStore(phase));
  const root = document.createElement('div');
  render(h(Probe), root);
  assert.equal(root.textContent, 'boot');
  phase.set('out'); // before the effects have run
  await settle();
  assert.equal(root.textContent, 'out');
  phase.set('in'); // and later changes still arrive
  await settle();
  assert.equal(root.textContent, 'in');
  render(null, root);
});

test('a selector re-renders only for the part it reads', async () => {
  const state = new Store({ me: 'alice', unread: 0 });
  let renders = 0;
  const Probe = () => {
    renders++;
    return h('p', null, useStore(state, (s) => s.me));
  };
  const root = document.createElement('div');
  render(h(Probe), root);
  await settle();
  state.set((s) => ({ ...s, unread: 3 }));
  await settle();
  assert.equal(renders, 1, 'a change it does not read');
  state.set((s) => ({ ...s, me: 'bob' }));
  await settle();
  assert.equal(root.textContent, 'bob');
  assert.equal(renders, 2);
  render(null, root);
});
