// The first run: on a server with no administrator, the first account
// created through the client becomes the administrator. Run against a
// fresh server by internal/web/e2e_test.go.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, launch, person } from './lib.mjs';

let browser;
after(() => browser?.close());

test('the first account created becomes the administrator', async () => {
  browser = await launch();
  const { page } = await person(browser);
  await page.goto('/');
  await page.getByRole('note').filter({ hasText: 'first account created here becomes its administrator' }).waitFor();
  await page.getByRole('link', { name: 'Create an account' }).click();
  const form = page.getByRole('form', { name: 'Create an account' });
  await form.getByLabel('Name', { exact: true }).fill('First Admin');
  await form.getByLabel('Username', { exact: true }).fill('first');
  await form.getByLabel('Email').fill('first@example.com');
  await form.getByLabel('Password', { exact: true }).fill('first-pass-123');
  await form.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('navigation', { name: 'Rooms' }).waitFor();
  await page.getByRole('button', { name: /^Account: First Admin/ }).click();
  await page.getByRole('menuitem', { name: 'Administration' }).click();
  await page.getByRole('heading', { name: 'Administration' }).waitFor();
  // The first-run notice is gone for everyone once the admin signed in.
  const deadline = Date.now() + 5000;
  let value;
  while (Date.now() < deadline) {
    const r = await fetch(base + '/api/v1/settings.public?_id=Show_Setup_Wizard').then((x) => x.json());
    value = r.settings?.[0]?.value;
    if (value === 'completed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(value, 'completed');
  assert.deepEqual(page.errors, []);
});
