// Shared helpers for the SDK tests: the server under test is given by
// LIFTOFF_URL (and its administrator by LIFTOFF_ADMIN_USER/PASS).
import assert from 'node:assert/strict';

export const URL_BASE = process.env.LIFTOFF_URL;
const ADMIN_USER = process.env.LIFTOFF_ADMIN_USER || 'admin';
const ADMIN_PASS = process.env.LIFTOFF_ADMIN_PASS || 'admin-pass-1';

if (!URL_BASE) {
  throw new Error('LIFTOFF_URL is not set: run these tests through `go test ./internal/api/ddp -run SDK`');
}

// A logger that keeps the SDKs quiet; failures are asserted, not logged.
export const silent = { debug() {}, info() {}, warn() {}, error() {} };

// rest calls the REST API, as a user when auth is given.
export async function rest(method, path, body, auth) {
  const headers = { 'Content-Type': 'application/json' };
  if (auth) {
    headers['X-User-Id'] = auth.userId;
    headers['X-Auth-Token'] = auth.authToken;
  }
  const res = await fetch(`${URL_BASE}/api/v1/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json();
  return { status: res.status, data };
}

// login logs in over REST and returns {userId, authToken}.
export async function login(user, password) {
  const { status, data } = await rest('POST', 'login', { user, password });
  assert.equal(status, 200, `login ${user}: ${JSON.stringify(data)}`);
  return { userId: data.data.userId, authToken: data.data.authToken };
}

let adminAuth;
// createUser makes a user as the administrator; unique names per run.
export async function createUser(prefix) {
  adminAuth ||= await login(ADMIN_USER, ADMIN_PASS);
  const username = `${prefix}${Math.random().toString(36).slice(2, 8)}`;
  const password = `pw-${username}`;
  const { status, data } = await rest('POST', 'users.create', {
    username, password, name: `${prefix} user`, email: `${username}@example.com`,
  }, adminAuth);
  assert.equal(status, 200, `users.create: ${JSON.stringify(data)}`);
  return { username, password, id: data.user._id };
}

// waitFor polls until fn returns a truthy value, and returns it.
export async function waitFor(what, fn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
