// End-to-end: two people in two browser contexts, and an admin, use the
// real client against a real server (LIFTOFF_URL). Run by
// internal/web/e2e_test.go, or by hand: LIFTOFF_URL=... npm run e2e.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { adminPass, adminUser, api, base, launch, loginAPI, person, signIn } from './lib.mjs';

const shots = process.env.LIFTOFF_SCREENSHOTS;
const fixture = fileURLToPath(new URL('./fixture.png', import.meta.url));
const room = 'e2e-' + Date.now().toString(36);
let browser, alice, bob, admin;

async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, name + '.png') });
}

/** composer returns a room's (or the thread's) message box. */
const composer = (page, name = /^Message /) => page.getByRole('textbox', { name });

async function send(page, text, name) {
  const box = composer(page, name);
  await box.fill(text);
  await box.press('Enter');
}

/** roomName matches a sidebar link by its room name (badges follow the name). */
const roomName = (name) => new RegExp(`^${name}( |$)`);

const messages = (page) => page.getByRole('list', { name: 'Messages' });

before(async () => {
  const a = await loginAPI(adminUser, adminPass);
  for (const u of ['alice', 'bob']) {
    await api('users.create', {
      method: 'POST',
      auth: a,
      body: { username: u, name: u[0].toUpperCase() + u.slice(1) + ' Example', email: `${u}@example.com`, password: `pw-${u}-123`, verified: true },
    }).catch((e) => {
      if (!/already|in use|exists/i.test(String(e))) throw e;
    });
  }
  browser = await launch();
  alice = await person(browser, { width: 1100, height: 680 });
  bob = await person(browser, { width: 1100, height: 680 });
});

after(async () => {
  for (const p of [alice, bob, admin]) if (p) assert.deepEqual(p.page.errors, [], 'no errors in the page console');
  await browser?.close();
});

test('wrong credentials give a clear message', async () => {
  const { page } = alice;
  await page.goto('/login');
  await shot(page, 'login');
  await page.getByLabel('Username or email').fill('alice');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong username, email or password' }).waitFor();
});

test('two people sign in, and the session survives a reload', async () => {
  await signIn(alice.page, 'alice', 'pw-alice-123');
  await signIn(bob.page, 'bob', 'pw-bob-123');
  await bob.page.reload();
  await bob.page.getByRole('navigation', { name: 'Rooms' }).waitFor();
});

test('alice creates a room with bob, and it shows up for bob live', async () => {
  const { page } = alice;
  await page.getByRole('button', { name: 'Create new' }).click();
  await page.getByRole('menuitem', { name: 'Channel' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a channel' });
  await dialog.getByLabel('Name').fill(room);
  await dialog.getByLabel('Topic').fill('End-to-end testing');
  await dialog.getByLabel('Members').fill('bob');
  await dialog.getByRole('option', { name: /bob/ }).click();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: room }).waitFor();
  await bob.page.getByRole('link', { name: roomName(room) }).click();
  await bob.page.getByRole('heading', { name: room }).waitFor();
});

test('they chat live and see each other typing', async () => {
  await send(alice.page, 'Hello Bob, welcome to the room');
  await messages(bob.page).getByText('Hello Bob, welcome to the room').waitFor();
  await composer(bob.page).pressSequentially('Hi Ali', { delay: 20 });
  await alice.page.getByText('bob is typing…').waitFor();
  await composer(bob.page).press('Enter');
  await messages(alice.page).getByText('Hi Ali', { exact: true }).waitFor();
  await alice.page.getByText('bob is typing…').waitFor({ state: 'hidden' });
});

test('bob reacts and alice sees the reaction', async () => {
  const msg = messages(bob.page).getByRole('listitem').filter({ hasText: 'Hello Bob, welcome' });
  await msg.hover();
  await msg.getByRole('button', { name: 'Add reaction' }).first().click();
  const picker = bob.page.getByRole('dialog', { name: 'Pick an emoji' });
  await picker.getByLabel('Search emoji').fill('thumbsup');
  await picker.getByRole('option', { name: 'thumbsup' }).click();
  const reaction = messages(alice.page).getByRole('listitem').filter({ hasText: 'Hello Bob, welcome' }).getByRole('button', { name: /1$/ });
  await reaction.first().waitFor();
  assert.match(await reaction.first().getAttribute('title'), /bob reacted with :thumbsup:/);
});

test('alice replies in a thread and bob reads it there', async () => {
  const msg = messages(alice.page).getByRole('listitem').filter({ hasText: 'Hi Ali' });
  await msg.hover();
  await msg.getByRole('button', { name: 'Reply in thread' }).click();
  await send(alice.page, 'This is a thread reply', 'Reply in thread');
  const thread = alice.page.getByRole('complementary', { name: 'Thread' });
  await thread.getByText('This is a thread reply').waitFor();
  await shot(alice.page, 'thread');
  const summary = messages(bob.page).getByRole('button', { name: /1 reply/ });
  await summary.click();
  await bob.page.getByRole('complementary', { name: 'Thread' }).getByText('This is a thread reply').waitFor();
  await bob.page.getByRole('button', { name: 'Close panel' }).click();
});

test('HTML or script in a message is shown as text', async () => {
  const evil = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> **bold** [x](javascript:window.__pwned=3)';
  await send(alice.page, evil);
  const item = messages(bob.page).getByRole('listitem').filter({ hasText: '<script>window.__pwned=1</script>' });
  await item.waitFor();
  assert.equal(await item.locator('script, img[src="x"]').count(), 0, 'no element made from the message text');
  assert.equal(await item.locator('a[href^="javascript"]').count(), 0, 'no javascript: link');
  assert.match(await item.textContent(), /<img src=x onerror="window.__pwned=2">/);
  assert.equal(await bob.page.evaluate(() => window.__pwned), undefined);
});

test('markdown renders from the md tree the server sends', async () => {
  const text = '> a quote\n\n- one\n- two\n\n```\ncode block\n```\n~~gone~~ _it_ **bold** :smile: @bob @all #' + room + ' ';
  await send(alice.page, text);
  const md = messages(bob.page).getByRole('listitem').filter({ hasText: 'code block' });
  await md.waitFor();
  const auth = await loginAPI('bob', 'pw-bob-123');
  const info = await api('rooms.info?roomName=' + room, { auth });
  const hist = await api(`channels.history?roomId=${info.room._id}&count=1`, { auth });
  assert.ok(Array.isArray(hist.messages[0]?.md), 'the server sends md');
  await md.locator('blockquote').waitFor();
  assert.equal(await md.locator('li').count(), 2);
  assert.equal(await md.locator('pre').textContent(), 'code block');
  assert.equal(await md.locator('del').textContent(), 'gone');
  assert.equal(await md.locator('em').textContent(), 'it');
  assert.equal(await md.locator('strong').textContent(), 'bold');
  await md.locator('.mention.me', { hasText: '@bob' }).waitFor();
  await md.locator('.mention.group', { hasText: '@all' }).waitFor();
  await md.getByText('😄').waitFor();
});

test('an image upload shows a preview for both, and is listed in Files', async () => {
  await alice.page.locator('input[type=file]').first().setInputFiles(fixture);
  const img = messages(bob.page).locator('.attachment.image img').first();
  await img.waitFor();
  // The browser fetches the image itself, authenticated by the rc_uid and
  // rc_token cookies.
  await bob.page.waitForFunction((el) => el.complete && el.naturalWidth === 64, await img.elementHandle());
  await img.click();
  await bob.page.getByRole('dialog').locator('img.viewer').waitFor();
  await bob.page.keyboard.press('Escape');
  await alice.page.getByRole('button', { name: 'Files' }).click();
  await alice.page.getByRole('complementary', { name: 'Files' }).getByRole('link', { name: 'fixture.png' }).waitFor();
  await alice.page.getByRole('button', { name: 'Close panel' }).click();
});

test('a new avatar is uploaded from the profile', async () => {
  const { page } = bob;
  const before = await fetch(process.env.LIFTOFF_URL + '/avatar/bob').then((r) => r.arrayBuffer());
  await page.goto('/account/profile');
  await page.locator('input[type=file][accept="image/*"]').setInputFiles(fixture);
  await page.getByText('Avatar changed').waitFor();
  const after = await fetch(process.env.LIFTOFF_URL + '/avatar/bob').then((r) => r.arrayBuffer());
  assert.notDeepEqual(new Uint8Array(after), new Uint8Array(before));
  await page.goto('/channel/' + room);
  await page.getByRole('heading', { name: room }).waitFor();
});

test('unread counts and mention badges update live in the sidebar', async () => {
  const auth = await loginAPI('bob', 'pw-bob-123');
  const rid = (await api('rooms.info?roomName=' + room, { auth })).room._id;
  // Bob's reads of the room are held on the wire until alice's message is
  // stored, as on a slow network: the read sent as he leaves reaches the
  // server after a message he never saw, which must stay unread.
  let release;
  const gate = new Promise((r) => (release = r));
  const reads = [];
  await bob.page.route('**/api/v1/subscriptions.read', async (route) => {
    if (JSON.parse(route.request().postData() ?? '{}').rid !== rid) return route.continue();
    const done = gate.then(() => route.fetch()).then((res) => route.fulfill({ response: res }));
    reads.push(done);
    await done;
  });
  const general = async () => {
    await bob.page.getByRole('link', { name: 'general' }).click();
    await bob.page.getByRole('heading', { name: 'general' }).waitFor();
  };
  await general();
  // Opening the room sends one read, half a second later or on leaving.
  const before = reads.length;
  await bob.page.getByRole('link', { name: roomName(room) }).click();
  await bob.page.getByRole('heading', { name: room }).waitFor();
  await general();
  for (const end = Date.now() + 10_000; reads.length === before; await new Promise((r) => setTimeout(r, 20))) {
    assert.ok(Date.now() < end, 'opening the room sent a read');
  }
  await send(alice.page, 'Are you there @bob?');
  const badge = bob.page.getByRole('link', { name: roomName(room) }).locator('.badge');
  await badge.waitFor();
  release();
  await Promise.all(reads);
  await bob.page.unroute('**/api/v1/subscriptions.read');
  const sub = (await api('subscriptions.getOne?roomId=' + rid, { auth })).subscription;
  assert.equal(sub.unread, 1, 'the message posted as bob left stays unread');
  assert.equal(sub.userMentions, 1);
  await bob.page.waitForFunction(
    (name) => [...document.querySelectorAll('nav a')].some((a) => a.textContent.startsWith(name) && /1 unread, 1 mentions/.test(a.querySelector('.badge')?.getAttribute('aria-label') ?? '')),
    room,
  );
  await send(alice.page, 'Second unread message');
  await bob.page.waitForFunction(() => document.title.startsWith('(2) '));
  await bob.page.getByRole('link', { name: roomName(room) }).click();
  // The new-messages marker sits right before the first unread message.
  const marker = messages(bob.page).getByRole('separator', { name: 'New messages' });
  await marker.waitFor();
  const next = await marker.evaluate((el) => el.nextElementSibling?.textContent ?? '');
  assert.match(next, /Are you there @bob\?/);
  await badge.waitFor({ state: 'detached' });
});

test('history loads older pages on scrolling up and keeps the place', async () => {
  const auth = await loginAPI('alice', 'pw-alice-123');
  const name = room + '-history';
  const r = await api('channels.create', { method: 'POST', auth, body: { name } });
  const ids = [];
  for (let i = 1; i <= 130; i++) ids.push((await api('chat.postMessage', { method: 'POST', auth, body: { roomId: r.channel._id, text: `history ${i}` } })).message._id);
  const { page } = alice;
  await page.getByRole('link', { name: roomName(name) }).click();
  const list = messages(page);
  await list.getByText('history 130', { exact: true }).waitFor();
  assert.equal(await list.getByText('history 1', { exact: true }).count(), 0, 'only the latest page at first');
  for (let i = 0; i < 5 && !(await list.getByText('history 1', { exact: true }).count()); i++) {
    const before = await list.evaluate((el) => {
      el.scrollTop = 0;
      const first = el.querySelector('.msg');
      return { id: first.id, top: first.getBoundingClientRect().top, count: el.querySelectorAll('.msg').length };
    });
    await page.waitForFunction((n) => document.querySelectorAll('[aria-label="Messages"] .msg').length > n, before.count);
    const after = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, before.id);
    assert.ok(Math.abs(after - before.top) < 80, `the message at the top stays in place (${before.top} → ${after})`);
  }
  await list.getByText('history 1', { exact: true }).waitFor();
  await list.getByText('This is the start of the conversation.').waitFor();

  // A link to an old message (Copy link) loads back to it and shows it.
  await bob.page.goto(`/channel/${name}?msg=${ids[4]}`);
  const target = bob.page.locator('#m-' + ids[4]);
  await target.waitFor();
  assert.match(await target.getAttribute('class'), /highlight/);
  await bob.page.waitForFunction((id) => {
    const el = document.getElementById('m-' + id);
    const list = document.querySelector('[aria-label="Messages"]');
    const a = el.getBoundingClientRect();
    const b = list.getBoundingClientRect();
    return a.top >= b.top && a.bottom <= b.bottom;
  }, ids[4]);
  await bob.page.goto('/channel/' + room);
});

test('presence: bob goes busy and alice sees it', async () => {
  const { page } = bob;
  await page.getByRole('button', { name: /^Account: Bob Example/ }).click();
  await page.getByRole('menuitemradio', { name: 'Busy' }).click();
  await alice.page.getByRole('link', { name: roomName(room) }).click();
  await alice.page.getByRole('button', { name: 'Members' }).click();
  const panel = alice.page.getByRole('complementary', { name: 'Members' });
  await panel.getByRole('button', { name: /Bob Example/ }).getByRole('img', { name: 'Busy' }).waitFor();
  await shot(alice.page, 'room');
  await page.getByRole('button', { name: /^Account: Bob Example/ }).click();
  await page.getByRole('menuitemradio', { name: 'Online' }).click();
  await panel.getByRole('button', { name: /Bob Example/ }).getByRole('img', { name: 'Online' }).waitFor();
});

test("after a reload, the sidebar shows a DM partner's status from the start", async () => {
  const bobAuth = await loginAPI('bob', 'pw-bob-123');
  await api('users.setStatus', { method: 'POST', auth: bobAuth, body: { status: 'away' } });
  await api('im.create', { method: 'POST', auth: await loginAPI('alice', 'pw-alice-123'), body: { username: 'bob' } });
  await alice.page.reload();
  const dm = alice.page.getByRole('navigation', { name: 'Rooms' }).locator('a.room-item').filter({ hasText: /bob/i });
  await dm.getByRole('img', { name: 'Away' }).waitFor();
  await api('users.setStatus', { method: 'POST', auth: bobAuth, body: { status: 'online' } });
  await dm.getByRole('img', { name: 'Online' }).waitFor();
});

test('an admin changes a setting and clients follow', async () => {
  admin = await person(browser, { width: 1100, height: 680 });
  const { page } = admin;
  await signIn(page, adminUser, adminPass);
  await page.goto('/admin/settings');
  await page.getByLabel('Search settings').fill('Site_Name');
  const input = page.locator('#set-Site_Name');
  await input.fill('Liftoff E2E');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Site_Name saved').waitFor();
  await shot(page, 'admin-settings');
  const r = await fetch(process.env.LIFTOFF_URL + '/api/v1/settings.public?_id=Site_Name').then((x) => x.json());
  assert.equal(r.settings[0].value, 'Liftoff E2E');
  await alice.page.waitForFunction(() => document.title.endsWith('Liftoff E2E'));
});

test('an admin adds an incoming webhook, and what is posted to it shows in #general', async () => {
  const { page } = admin;
  await page.goto('/admin');
  await page.getByRole('tab', { name: 'Integrations' }).click();
  await page.getByRole('button', { name: 'New incoming webhook' }).click();
  const create = page.getByRole('dialog', { name: 'New incoming webhook' });
  await create.getByLabel('Name', { exact: true }).fill('Deploys');
  await create.getByLabel('Channels').fill('#general');
  await create.getByLabel('Post as').fill('rocket.cat');
  await create.getByLabel('Alias').fill('Deploy bot');
  await create.getByRole('button', { name: 'Save' }).click();
  // The new webhook stays open, showing its URL.
  const edit = page.getByRole('dialog', { name: 'Edit Deploys' });
  const url = await edit.getByRole('textbox', { name: 'Webhook URL' }).inputValue();
  assert.match(url, new RegExp(`^${base.replace(/[.]/g, '\\.')}/hooks/\\w+/\\w+$`));
  assert.match(await edit.locator('pre').textContent(), /^curl -X POST .* http:\/\/\S+\/hooks\//);
  await edit.getByRole('button', { name: 'Close' }).click();
  const row = page.getByRole('row', { name: /Deploys/ });
  await row.getByRole('cell', { name: '#general' }).waitFor();
  await row.getByRole('cell', { name: 'Enabled' }).waitFor();

  await page.getByRole('link', { name: 'general' }).click();
  await page.getByRole('heading', { name: 'general' }).waitFor();
  const post = () => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: '**deploy** finished' }) });
  const res = await post();
  assert.equal(res.status, 200, await res.text());
  const item = messages(page).getByRole('listitem').filter({ hasText: 'deploy finished' });
  await item.waitFor();
  assert.equal(await item.locator('strong').textContent(), 'deploy');
  // A bot message shows its alias instead of the account's name and @username.
  assert.equal(await item.locator('.author').textContent(), 'Deploy bot');
  assert.equal(await item.locator('.meta .tag').textContent(), 'Bot', 'webhook messages are labelled as from a bot');
  assert.equal(await item.locator('.username').count(), 0);
  assert.match(await item.getAttribute('aria-label'), /^Deploy bot at /);

  await page.goto('/admin/integrations');
  await page.getByRole('button', { name: 'Deploys', exact: true }).click();
  const again = page.getByRole('dialog', { name: 'Edit Deploys' });
  assert.equal(await again.getByRole('textbox', { name: 'Webhook URL' }).inputValue(), url);
  await again.getByRole('switch', { name: 'Enabled', exact: true }).uncheck();
  await again.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Integration saved').waitFor();
  await row.getByRole('cell', { name: 'Disabled' }).waitFor();
  const off = await post();
  assert.equal(off.status, 503, await off.text());

  await page.getByRole('button', { name: 'Deploys', exact: true }).click();
  await page.getByRole('dialog', { name: 'Edit Deploys' }).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete integration' }).getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
  assert.equal((await post()).status, 404);
});

test('an admin replays a failed call of an outgoing webhook, then clears its history', async () => {
  // The webhook's target: down for the first call, up after.
  const calls = [];
  const target = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push(JSON.parse(body));
      res.writeHead(calls.length === 1 ? 503 : 200).end();
    });
  });
  await new Promise((ok) => target.listen(0, '127.0.0.1', ok));
  const until = async (what, cond) => {
    for (let i = 0; i < 100 && !cond(); i++) await new Promise((ok) => setTimeout(ok, 100));
    assert.ok(cond(), what);
  };
  const auth = await loginAPI(adminUser, adminPass);
  const { integration } = await api('integrations.create', {
    method: 'POST',
    auth,
    body: {
      type: 'webhook-outgoing', name: 'Shipper', enabled: true, event: 'sendMessage', username: 'rocket.cat',
      channel: '#general', triggerWords: ['!ship'], urls: [`http://127.0.0.1:${target.address().port}/`], scriptEnabled: false,
    },
  });
  try {
    await api('chat.postMessage', { method: 'POST', auth, body: { channel: '#general', text: '!ship v2' } });
    await until('the target is called', () => calls.length === 1);

    const { page } = admin;
    await page.goto('/admin/integrations');
    await page.getByRole('button', { name: 'Shipper', exact: true }).click();
    await page.getByRole('dialog', { name: 'Edit Shipper' }).getByRole('button', { name: 'History' }).click();
    const history = page.getByRole('dialog', { name: 'History of Shipper' });
    await history.getByRole('cell', { name: 'Error' }).waitFor();
    await history.getByRole('button', { name: /^Replay the call of / }).click();
    await page.getByText('Call queued').waitFor();
    await until('the replay reaches the target', () => calls.length === 2);
    assert.deepEqual(calls[1], calls[0], 'the replay sends what the failed call sent');
    // The replay is a call of its own, which succeeded.
    await history.getByRole('cell', { name: 'Done' }).waitFor();
    assert.equal(await history.getByRole('row').count(), 3, 'a header and two calls');

    await history.getByRole('button', { name: 'Clear history' }).click();
    await page.getByRole('dialog', { name: 'Clear history' }).getByRole('button', { name: 'Clear' }).click();
    await history.getByText('No calls yet.').waitFor();
    const left = await api(`integrations.history?id=${integration._id}`, { auth });
    assert.equal(left.total, 0);
  } finally {
    await api('integrations.remove', { method: 'POST', auth, body: { type: 'webhook-outgoing', integrationId: integration._id } });
    target.close();
  }
});

test('dark mode and phone width', async () => {
  const dark = await browser.newContext({ viewport: { width: 1100, height: 680 }, colorScheme: 'dark', baseURL: process.env.LIFTOFF_URL });
  const p = await dark.newPage();
  await signIn(p, 'bob', 'pw-bob-123');
  await p.getByRole('link', { name: roomName(room) }).click();
  await messages(p).getByText('Hello Bob, welcome to the room').waitFor();
  const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, 'rgb(255, 255, 255)');
  await shot(p, 'dark');
  await dark.close();
  const phone = await browser.newContext({ viewport: { width: 390, height: 760 }, baseURL: process.env.LIFTOFF_URL });
  const q = await phone.newPage();
  await signIn(q, 'alice', 'pw-alice-123');
  await q.getByRole('link', { name: roomName(room) }).click();
  await messages(q).getByText('Hello Bob, welcome to the room').waitFor();
  assert.equal(await q.getByRole('navigation', { name: 'Rooms' }).isVisible(), false);
  await shot(q, 'phone');
  await q.getByRole('button', { name: 'Back to rooms' }).click();
  await q.getByRole('navigation', { name: 'Rooms' }).waitFor();
  await phone.close();
});

test('keyboard: Ctrl+K jumps to a room', async () => {
  const { page } = alice;
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Jump to' });
  await dialog.getByRole('combobox').fill('gener');
  await dialog.getByRole('combobox').press('Enter');
  await page.getByRole('heading', { name: 'general' }).waitFor();
});

test('sign out', async () => {
  const { page } = alice;
  await page.getByRole('button', { name: /^Account: Alice Example/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
});
