// Shared helpers of the end-to-end tests: Debian's Chromium driven by
// playwright-core (never a downloaded browser), against the server named
// by LIFTOFF_URL.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

export const base = process.env.LIFTOFF_URL ?? 'http://127.0.0.1:3000';
export const adminUser = process.env.LIFTOFF_ADMIN_USER ?? 'admin';
export const adminPass = process.env.LIFTOFF_ADMIN_PASS ?? 'admin-pass-1';

export function chromiumPath() {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'])
    if (p && existsSync(p)) return p;
  throw new Error('Chromium not found: apt-get install -y chromium');
}

export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

/** api calls the REST API directly (test setup only; the UI is what is tested). */
export async function api(path, { method = 'GET', body, auth } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (auth) Object.assign(headers, { 'X-User-Id': auth.userId, 'X-Auth-Token': auth.authToken });
  const res = await fetch(base + '/api/v1/' + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = await res.json().catch(() => null);
  if (!res.ok || data?.success === false) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
  return data;
}

export async function loginAPI(user, password) {
  const r = await api('login', { method: 'POST', body: { user, password } });
  return r.data;
}

/** context opens a browser context (a separate person) with errors collected. */
export async function person(browser, { width = 1280, height = 800 } = {}) {
  const ctx = await browser.newContext({ viewport: { width, height }, baseURL: base });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && page.errors.push(m.text()));
  // E2E_DEBUG=1 shows the pages' console (console.debug included).
  if (process.env.E2E_DEBUG) page.on('console', (m) => console.log(`[page ${m.type()}]`, m.text()));
  return { ctx, page };
}

export async function signIn(page, user, password) {
  await page.goto('/login');
  await page.getByLabel('Username or email').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Rooms' }).waitFor();
}
