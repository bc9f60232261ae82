// The client's session: login and resume, the DDP connection, and the
// live state every view reads (subscriptions, rooms, presence, typing,
// settings, permissions). Views call the functions here; nothing else
// talks to the server except through rest and ddp.
import { DDP, type ConnState } from '../api/ddp';
import { normMessage, normRoom, normSub } from '../api/ejson';
import { ApiError, Rest, type Auth } from '../api/rest';
import type { Message, Preferences, Room, Status, Subscription, User } from '../api/types';
import { historyArgs, merge, MessageCache, pageSize } from './messages';
import { navigate, route } from './route';
import { mapDelete, mapSet, Store } from './store';

export const rest = new Rest();
export let ddp: DDP | null = null;
export const cache = new MessageCache();

export interface Session {
  phase: 'boot' | 'out' | 'in';
  me: User | null;
}
export const session = new Store<Session>({ phase: 'boot', me: null });
export const settings = new Store<Record<string, any>>({});
export const subs = new Store<Map<string, Subscription>>(new Map());
export const rooms = new Store<Map<string, Room>>(new Map());
/** presence maps usernames to their status and status text. */
export const presence = new Store<Map<string, { status: Status; text?: string }>>(new Map());
export const conn = new Store<{ state: ConnState; attempt: number }>({ state: 'connecting', attempt: 0 });
/** typing maps a room (or "t:"+tmid) to the usernames typing there. */
export const typing = new Store<Map<string, string[]>>(new Map());
export const permissions = new Store<Map<string, string[]>>(new Map());

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}
export const toasts = new Store<Toast[]>([]);
let toastSeq = 0;

/** toast shows a short notice that goes away by itself. */
export function toast(text: string, kind: Toast['kind'] = 'info'): void {
  const id = ++toastSeq;
  toasts.set((t) => [...t, { id, text, kind }]);
  setTimeout(() => toasts.set((t) => t.filter((x) => x.id !== id)), kind === 'error' ? 6000 : 3500);
}

/** fail reports an error of an action the user took. */
export function fail(e: unknown): void {
  toast(e instanceof Error ? e.message : String(e), 'error');
}

const tokenKey = 'Meteor.loginToken';
const userKey = 'Meteor.userId';

// ---- session -------------------------------------------------------------

/** boot loads the public settings and resumes a stored session. */
export async function boot(): Promise<void> {
  rest.onUnauthorized = () => void endSession(true);
  await loadPublicSettings();
  const token = localStorage.getItem(tokenKey);
  if (!token) {
    session.set({ phase: 'out', me: null });
    return;
  }
  try {
    const { auth, me } = await rest.resume(token);
    await establish(auth, me);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) localStorage.removeItem(tokenKey);
    session.set({ phase: 'out', me: null });
    if (!(e instanceof ApiError && e.status === 401)) fail(e);
  }
}

async function loadPublicSettings() {
  try {
    const list = await rest.publicSettings();
    settings.set(Object.fromEntries(list.map((s) => [s._id, s.value])));
  } catch {
    /* the login form still works with defaults */
  }
}

export async function login(user: string, password: string): Promise<void> {
  const { auth, me } = await rest.login(user, password);
  await establish(auth, me);
}

export async function register(f: { username: string; email: string; pass: string; name: string; secretURL?: string }): Promise<void> {
  await rest.register(f);
  await login(f.username, f.pass);
}

export async function logout(): Promise<void> {
  try {
    await rest.logout();
  } catch {
    /* the token goes from this browser anyway */
  }
  await endSession(false);
}

async function endSession(expired: boolean) {
  ddp?.stop();
  ddp = null;
  rest.auth = null;
  setAuthCookies(null);
  localStorage.removeItem(tokenKey);
  localStorage.removeItem(userKey);
  cache.clear();
  subs.set(new Map());
  rooms.set(new Map());
  typing.set(new Map());
  session.set({ phase: 'out', me: null });
  navigate({ name: 'login' }, true);
  if (expired) toast('Your session has ended. Please sign in again.', 'error');
}

/**
 * setAuthCookies sets (or clears) rc_uid and rc_token, as Rocket.Chat's
 * client does: images and downloads under /file-upload/ are fetched by the
 * browser itself, which cannot add the API's headers.
 */
function setAuthCookies(auth: Auth | null) {
  const attrs = '; path=/; SameSite=Strict' + (location.protocol === 'https:' ? '; Secure' : '');
  const expire = auth ? '' : '; max-age=0';
  document.cookie = `rc_uid=${auth ? encodeURIComponent(auth.userId) : ''}${attrs}${expire}`;
  document.cookie = `rc_token=${auth ? encodeURIComponent(auth.token) : ''}${attrs}${expire}`;
}

/** establish starts a logged-in session: storage, socket, data, streams. */
async function establish(auth: Auth, me: User): Promise<void> {
  rest.auth = auth;
  localStorage.setItem(tokenKey, auth.token);
  localStorage.setItem(userKey, auth.userId);
  setAuthCookies(auth);
  session.set({ phase: 'in', me });
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  ddp = new DDP({
    url: `${proto}//${location.host}/websocket`,
    resumeToken: () => rest.auth?.token ?? null,
    onState: (state, attempt) => {
      conn.set({ state, attempt });
      if (state === 'connected') void loadOwnStatus();
    },
    onReconnect: () => void resync(),
    onLoginFailed: () => void endSession(true),
  });
  ddp.start();
  listen(me);
  await Promise.all([loadSubscriptions(), loadPermissions(), loadPublicSettings()]);
  void loadDirectPresence();
  if (me.roles?.includes('admin') && settings.get().Show_Setup_Wizard === 'pending') {
    // The first administrator has signed in: the first-run path is over.
    rest.post('settings/Show_Setup_Wizard', { value: 'completed' }).catch(() => {});
  }
  const r = route.get();
  if (r.name === 'login' || r.name === 'register') navigate({ name: 'home' }, true);
}

export function me(): User {
  return session.get().me!;
}

export function prefs(): Preferences {
  return session.get().me?.settings?.preferences ?? {};
}

export async function refreshMe(): Promise<void> {
  const u = await rest.me();
  session.set((s) => ({ ...s, me: u }));
}

// ---- initial data and resync ----------------------------------------------

let subsSyncedAt = 0;

async function loadSubscriptions() {
  const started = Date.now();
  const [s, r] = await Promise.all([rest.subscriptions(), rest.rooms()]);
  subs.set(new Map(s.update.map((x) => [x.rid, x])));
  rooms.set(new Map(r.update.map((x) => [x._id, x])));
  subsSyncedAt = started;
}

async function loadPermissions() {
  try {
    const list = await rest.permissions();
    permissions.set(new Map(list.map((p) => [p._id, p.roles])));
  } catch {
    /* permissions only hide actions; the server checks anyway */
  }
}

/**
 * loadDirectPresence asks, in one users.presence call, for the status of
 * the partners of the user's direct messages; those it does not list are
 * offline.
 */
async function loadDirectPresence() {
  const myId = me()._id;
  const partners = new Map<string, string>(); // user id → username
  for (const s of subs.get().values()) {
    const uids = rooms.get().get(s.rid)?.uids;
    if (s.t !== 'd' || uids?.length !== 2) continue;
    const id = uids.find((u) => u !== myId);
    if (id) partners.set(id, s.name);
  }
  if (!partners.size) return;
  const ids = [...partners.keys()].slice(0, 300); // the URL stays under 8 KB
  try {
    const res = await rest.get<{ users: { _id: string; status: Status; statusText?: string }[] }>('users.presence', { ids: ids.join(',') });
    const present = new Map(res.users.map((u) => [u._id, u]));
    for (const id of ids) {
      const u = present.get(id);
      setPresence(partners.get(id)!, u?.status ?? 'offline', u?.statusText);
    }
  } catch {
    /* the dots stay as they were; status changes still arrive live */
  }
}

/** loadOwnStatus reads the user's status once the socket has made them present. */
async function loadOwnStatus() {
  const u = session.get().me;
  if (!u) return;
  try {
    const st = await rest.get('users.getStatus', { userId: u._id });
    setPresence(u.username, st.status, st.message);
    session.set((s) => (s.me ? { ...s, me: { ...s.me, status: st.status, statusText: st.message ?? s.me.statusText } } : s));
  } catch {
    /* shown as before */
  }
}

/** resync fetches what changed while the connection was down. */
async function resync() {
  const since = subsSyncedAt - 5000;
  const started = Date.now();
  try {
    const [s, r] = await Promise.all([rest.subscriptions(since), rest.rooms(since)]);
    subs.set((old) => {
      const m = new Map(old);
      for (const x of s.update) m.set(x.rid, x);
      for (const x of s.remove) m.delete(x.rid ?? x._id);
      return m;
    });
    rooms.set((old) => {
      const m = new Map(old);
      for (const x of r.update) m.set(x._id, x);
      for (const x of r.remove) m.delete(x._id);
      return m;
    });
    subsSyncedAt = started;
    for (const key of cache.keys()) {
      const st = cache.list(key);
      const l = st.get();
      if (!l.loaded || key.startsWith('t:')) continue;
      const res = await rest.syncMessages(key, Math.max(l.syncedAt, since) - 1000);
      for (const m of res.updated) cache.upsert(m);
      for (const d of res.deleted) cache.remove(d._id);
    }
    void loadDirectPresence();
  } catch {
    /* the next reconnection tries again */
  }
}

// ---- streams ----------------------------------------------------------------

function setPresence(username: string, status: Status, text?: string) {
  presence.set((p) => mapSet(p, username, { status, text }));
}

const statusCodes: Status[] = ['offline', 'online', 'away', 'busy'];

function listen(u: User) {
  const d = ddp!;
  const uid = u._id;
  for (const ev of ['subscriptions-changed', 'rooms-changed', 'notification', 'message']) d.subscribe('stream-notify-user', `${uid}/${ev}`);
  d.subscribe('stream-notify-logged', 'user-status');
  d.subscribe('stream-notify-logged', 'Users:NameChanged');
  d.subscribe('stream-notify-logged', 'permissions-changed');
  d.subscribe('stream-notify-all', 'public-settings-changed');
  d.subscribe('stream-room-messages', '__my_messages__');

  d.on('stream-notify-user', `${uid}/subscriptions-changed`, ([op, s]) => {
    if (op === 'removed') {
      subs.set((m) => mapDelete(m, s.rid ?? [...m.values()].find((x) => x._id === s._id)?.rid));
      return;
    }
    const sub = normSub(s);
    const old = subs.get().get(sub.rid);
    subs.set((m) => mapSet(m, sub.rid, sub));
    if (!old) {
      // A room we were just added to: fetch it for the sidebar.
      rest.roomInfo({ roomId: sub.rid }).then((r) => rooms.set((m) => mapSet(m, r._id, r)), () => {});
    }
  });
  d.on('stream-notify-user', `${uid}/rooms-changed`, ([op, r]) => {
    if (op === 'removed') rooms.set((m) => mapDelete(m, r._id));
    else {
      const room = normRoom(r);
      rooms.set((m) => mapSet(m, room._id, { ...m.get(room._id), ...room }));
    }
  });
  d.on('stream-notify-user', `${uid}/notification`, ([n]) => notify(n));
  d.on('stream-notify-user', `${uid}/message`, ([m]) => cache.upsert(normMessage(m)));
  d.on('stream-notify-logged', 'user-status', (args) => {
    for (const [, username, code, text] of Array.isArray(args[0]) ? args : [args]) {
      setPresence(username, statusCodes[Number(code)] ?? 'offline', text);
      if (username === session.get().me?.username) {
        session.set((s) => (s.me ? { ...s, me: { ...s.me, status: statusCodes[Number(code)], statusText: text } } : s));
      }
    }
  });
  d.on('stream-notify-logged', 'permissions-changed', () => void loadPermissions());
  d.on('stream-notify-all', 'public-settings-changed', ([, s]) => {
    if (s?._id) settings.set((o) => ({ ...o, [s._id]: s.value }));
  });
  d.on('stream-room-messages', '__my_messages__', ([m]) => onMessage(normMessage(m)));
  d.on('stream-room-messages', '*', ([m], eventName) => {
    if (eventName !== '__my_messages__') cache.upsert(normMessage(m));
  });
  d.on('stream-notify-room', '*', (args, eventName) => {
    const [rid, ev] = eventName.split('/');
    if (ev === 'deleteMessage') cache.remove(args[0]?._id);
    else if (ev === 'deleteMessageBulk') void reloadRoom(rid);
    else if (ev === 'user-activity') onActivity(rid, args[0], args[1] ?? [], args[2]);
  });
}

/** counted remembers messages already counted as unread, so edits do not count twice. */
const counted = new Set<string>();

/** onMessage handles a new or changed message in any room of the user's. */
function onMessage(m: Message) {
  cache.upsert(m);
  const sub = subs.get().get(m.rid);
  const room = rooms.get().get(m.rid);
  if (room && !m.tmid && !m.t && (!room.lm || m.ts >= room.lm)) {
    rooms.set((rs) => mapSet(rs, m.rid, { ...room, lm: m.ts, lastMessage: m }));
  }
  if (!sub) return;
  const mine = m.u._id === session.get().me?._id;
  const fresh = !m.editedAt && (m._updatedAt ?? m.ts) - m.ts < 3000 && m.ts > (sub.ls ?? 0);
  if (mine || !fresh || counted.has(m._id)) return;
  counted.add(m._id);
  if (counted.size > 5000) counted.clear();
  const viewing = isViewing(m.rid) && document.visibilityState === 'visible' && document.hasFocus();
  if (viewing) return;
  const mention = mentionsMe(m);
  subs.set((s) =>
    mapSet(s, m.rid, {
      ...sub,
      open: true,
      alert: true,
      unread: (sub.unread ?? 0) + (m.tmid && !m.tshow ? 0 : 1),
      userMentions: (sub.userMentions ?? 0) + (mention === 'user' ? 1 : 0),
      groupMentions: (sub.groupMentions ?? 0) + (mention === 'group' ? 1 : 0),
    }),
  );
}

/** mentionsMe tells whether a message mentions the user or @all/@here. */
export function mentionsMe(m: Message): 'user' | 'group' | null {
  const u = session.get().me;
  if (!u || !m.mentions) return null;
  if (m.mentions.some((x) => x._id === u._id || x.username === u.username)) return 'user';
  if (m.mentions.some((x) => x._id === 'all' || x._id === 'here')) return 'group';
  return null;
}

/** isViewing tells whether the room is the one on screen. */
export function isViewing(rid: string): boolean {
  return currentRoom.get() === rid;
}

/** currentRoom is the id of the room on screen, set by the room view. */
export const currentRoom = new Store<string | null>(null);

const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();

function onActivity(rid: string, username: string, activities: string[], extra?: { tmid?: string }) {
  if (!username || username === session.get().me?.username) return;
  const key = extra?.tmid ? 't:' + extra.tmid : rid;
  const on = activities.includes('user-typing');
  const tk = key + '|' + username;
  clearTimeout(typingTimers.get(tk));
  typing.set((t) => {
    const list = (t.get(key) ?? []).filter((x) => x !== username);
    if (on) list.push(username);
    return mapSet(t, key, list);
  });
  if (on) {
    // A client that vanished never says it stopped.
    typingTimers.set(
      tk,
      setTimeout(() => onActivity(rid, username, [], extra), 15_000),
    );
  }
}

// ---- desktop notifications and title -----------------------------------------

function notify(n: { title: string; text: string; payload: { rid: string; type: string; name?: string; sender?: { username: string } } }) {
  const p = prefs().desktopNotifications ?? 'default';
  if (p === 'nothing' || document.visibilityState === 'visible') return;
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const body = n.text.length > 200 ? n.text.slice(0, 200) + '…' : n.text;
  const note = new Notification(n.title, { body, tag: n.payload.rid });
  note.onclick = () => {
    window.focus();
    const pl = n.payload;
    if (pl.type === 'd') navigate({ name: 'room', kind: 'direct', key: pl.rid });
    else navigate({ name: 'room', kind: pl.type === 'p' ? 'group' : 'channel', key: pl.name ?? pl.rid });
    note.close();
  };
}

// ---- rooms ----------------------------------------------------------------

/** roomName is how a room is shown: the other user of a DM, a group's fname. */
export function roomName(s: { t: string; name?: string; fname?: string } | undefined): string {
  if (!s) return '';
  return s.fname || s.name || '';
}

/** roomRoute is the route of a subscription or room. */
export function roomRoute(s: Subscription | Room, tmid?: string): { name: 'room'; kind: 'channel' | 'group' | 'direct'; key: string; tmid?: string } {
  const rid = 'rid' in s ? s.rid : s._id;
  if (s.t === 'd') return { name: 'room', kind: 'direct', key: rid, tmid };
  return { name: 'room', kind: s.t === 'p' ? 'group' : 'channel', key: s.name ?? rid, tmid };
}

/**
 * findFirstUnread returns the first message the user has not read: the
 * subscription's unread count, counted back from the newest message over
 * other people's messages in the room (thread replies are not counted).
 * Counting rather than comparing with ls keeps clock skew out of it.
 */
function findFirstUnread(rid: string, list: Message[]): string | undefined {
  const sub = subs.get().get(rid);
  const unread = sub?.unread ?? 0;
  if (!unread) return undefined;
  const myId = session.get().me?._id;
  let n = 0;
  let earliest: string | undefined;
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i];
    if (m.u._id === myId || (m.tmid && !m.tshow) || m.t) continue;
    if (sub?.ls && m.ts <= sub.ls) break; // read before: the server counts differently
    earliest = m._id;
    if (++n === unread) break;
  }
  return earliest;
}

/** loadRoom fills a room's list with its latest page and notes the first unread. */
export async function loadRoom(rid: string): Promise<void> {
  const st = cache.list(rid);
  if (st.get().loaded || st.get().loading) return;
  st.set((o) => ({ ...o, loading: true, error: undefined }));
  try {
    const sub = subs.get().get(rid);
    const res = await ddp!.call<any>('loadHistory', ...historyArgs(rid, null, sub?.ls));
    const page: Message[] = (res?.messages ?? []).map(normMessage);
    const list = merge(st.get().list, page);
    const firstUnread = findFirstUnread(rid, list);
    st.set({
      list,
      loaded: true,
      loading: false,
      hasMore: page.length >= pageSize,
      firstUnread,
      syncedAt: Math.max(0, ...list.map((m) => m._updatedAt ?? m.ts)),
    });
  } catch (e) {
    st.set((o) => ({ ...o, loading: false, error: e instanceof Error ? e.message : String(e) }));
  }
}

/**
 * openRoom prepares a room for showing: it finds where the unread messages
 * start (for the "New messages" marker) when the room's messages are
 * already here from an earlier visit, and loads them otherwise.
 */
export function openRoom(rid: string): void {
  const st = cache.list(rid);
  const cur = st.get();
  if (!cur.loaded) {
    void loadRoom(rid);
    return;
  }
  const seen = lastSeen.get(rid);
  const myId = session.get().me?._id;
  const firstUnread =
    seen !== undefined
      ? cur.list.find((m) => m.ts > seen && m.u._id !== myId && !m.t && (!m.tmid || m.tshow))?._id
      : findFirstUnread(rid, cur.list);
  // The marker stays for the whole visit: a second call (after a
  // reconnection, with the room read meanwhile) must not take it away.
  if (firstUnread && firstUnread !== cur.firstUnread) st.set({ ...cur, firstUnread });
}

/** closeRoom forgets the new-messages marker when the room is left. */
export function closeRoom(rid: string): void {
  flushRead(rid);
  const st = cache.list(rid);
  if (st.get().firstUnread) st.set({ ...st.get(), firstUnread: undefined });
}

/** loadOlder adds the page before the oldest loaded message. */
export async function loadOlder(rid: string): Promise<void> {
  const st = cache.list(rid);
  const cur = st.get();
  if (!cur.loaded || cur.loading || !cur.hasMore || !cur.list.length) return;
  st.set({ ...cur, loading: true });
  try {
    const res = await ddp!.call<any>('loadHistory', ...historyArgs(rid, cur.list[0].ts));
    const page: Message[] = (res?.messages ?? []).map(normMessage);
    st.set((o) => ({ ...o, list: merge(o.list, page), loading: false, hasMore: page.length >= pageSize }));
  } catch (e) {
    st.set((o) => ({ ...o, loading: false }));
    fail(e);
  }
}

async function reloadRoom(rid: string) {
  if (!cache.has(rid)) return;
  cache.list(rid).set((o) => ({ ...o, loaded: false, list: [] }));
  await loadRoom(rid);
}

/** loadThread fills a thread's list: the root and its replies. */
export async function loadThread(rid: string, tmid: string): Promise<void> {
  const st = cache.list('t:' + tmid);
  if (st.get().loaded || st.get().loading) return;
  st.set((o) => ({ ...o, loading: true }));
  try {
    const [root, page] = await Promise.all([
      rest.message(tmid),
      rest.messageList('chat.getThreadMessages', { tmid, roomId: rid, count: 100, sort: '{"ts":1}' }),
    ]);
    st.set({ list: merge([root], page.items), loaded: true, loading: false, hasMore: false, syncedAt: 0 });
  } catch (e) {
    st.set((o) => ({ ...o, loading: false, error: e instanceof Error ? e.message : String(e) }));
  }
}

/** watchRoom follows a room's streams while it is on screen. */
export function watchRoom(rid: string): () => void {
  const d = ddp!;
  const offs = [
    d.subscribe('stream-room-messages', rid),
    d.subscribe('stream-notify-room', `${rid}/user-activity`),
    d.subscribe('stream-notify-room', `${rid}/deleteMessage`),
    d.subscribe('stream-notify-room', `${rid}/deleteMessageBulk`),
  ];
  return () => offs.forEach((f) => f());
}

const readTimers = new Map<string, ReturnType<typeof setTimeout>>();

/**
 * lastSeen is, per room read in this session, the server time of the
 * newest message on screen when it was read: the new-messages marker goes
 * after it on the next visit, whatever the clocks say.
 */
const lastSeen = new Map<string, number>();

/**
 * seenUpTo is, per room with a read mark not yet sent, the id of the
 * newest message on screen when it was read. The server marks read up to
 * it, not up to whatever arrived while the mark was on its way.
 */
const seenUpTo = new Map<string, string>();

/**
 * markRead clears the room's badges here at once and tells the server
 * soon after: one subscriptions.read per half second at most, however
 * fast messages arrive while the room is on screen.
 */
export function markRead(rid: string): void {
  const sub = subs.get().get(rid);
  if (!sub) return;
  const list = cache.list(rid).get().list;
  if (list.length) lastSeen.set(rid, list[list.length - 1].ts);
  let newest: Message | undefined;
  for (let i = list.length - 1; i >= 0 && !newest; i--) if (!list[i].pending && !list[i].failed) newest = list[i];
  if (newest) seenUpTo.set(rid, newest._id);
  if (sub.unread || sub.alert || sub.userMentions || sub.groupMentions) {
    const ls = Math.max(sub.ls ?? 0, newest?.ts ?? Date.now());
    subs.set((s) => mapSet(s, rid, { ...sub, unread: 0, alert: false, userMentions: 0, groupMentions: 0, ls }));
  }
  if (readTimers.has(rid)) return;
  readTimers.set(
    rid,
    setTimeout(() => flushRead(rid), 500),
  );
}

/**
 * flushRead sends a pending read mark at once. The room view calls it when
 * it closes, so that the mark is not held back while the user is elsewhere.
 */
export function flushRead(rid: string): void {
  const t = readTimers.get(rid);
  if (t === undefined) return;
  clearTimeout(t);
  readTimers.delete(rid);
  const upTo = seenUpTo.get(rid);
  seenUpTo.delete(rid);
  // A message deleted since it was seen is refused as a mark: read all.
  rest.read(rid, upTo).catch(() => (upTo ? rest.read(rid) : undefined)).catch(() => {});
}

export function randomId(): string {
  const chars = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
  const bytes = crypto.getRandomValues(new Uint8Array(17));
  return Array.from(bytes, (b) => chars[b % chars.length]).join('');
}

/** sendMessage shows the message at once and sends it over DDP. */
export async function sendMessage(rid: string, msg: string, tmid?: string, tshow?: boolean): Promise<void> {
  const u = me();
  const _id = randomId();
  const local: Message = { _id, rid, msg, ts: Date.now(), u: { _id: u._id, username: u.username, name: u.name }, tmid, tshow, pending: true };
  cache.upsert(local);
  try {
    const res = await ddp!.call('sendMessage', { _id, rid, msg, ...(tmid ? { tmid } : {}), ...(tshow ? { tshow } : {}) });
    if (res) cache.upsert(normMessage(res));
  } catch (e) {
    cache.patch(_id, (m) => ({ ...m, pending: false, failed: true }));
    fail(e);
  }
}

/** typingNotice tells the room that the user is (or stopped) typing. */
export function typingNotice(rid: string, on: boolean, tmid?: string): void {
  const u = session.get().me;
  if (!u || !ddp || ddp.state !== 'connected') return;
  ddp.call('stream-notify-room', `${rid}/user-activity`, u.username, on ? ['user-typing'] : [], tmid ? { tmid } : {}).catch(() => {});
}

/** can tells whether the user holds a permission globally or through a room role. */
export function can(permission: string, rid?: string): boolean {
  const roles = permissions.get().get(permission);
  const u = session.get().me;
  if (!roles || !u) return false;
  const mine = new Set(u.roles ?? []);
  if (rid) for (const r of subs.get().get(rid)?.roles ?? []) mine.add(r);
  return roles.some((r) => mine.has(r));
}

export async function setStatus(status: Status, message?: string): Promise<void> {
  await rest.setStatus(status, message);
  session.set((s) => (s.me ? { ...s, me: { ...s.me, status, statusText: message ?? s.me.statusText } } : s));
  setPresence(me().username, status, message);
}

export async function savePreferences(p: Preferences): Promise<void> {
  await rest.setPreferences(p);
  session.set((s) =>
    s.me ? { ...s, me: { ...s.me, settings: { ...s.me.settings, preferences: { ...s.me.settings?.preferences, ...p } } } } : s,
  );
}

/** openDirect opens (creating if needed) the DM with a user. */
export async function openDirect(username: string): Promise<void> {
  const r = await rest.post('im.create', { username });
  const rid = r.room?.rid ?? r.room?._id;
  navigate({ name: 'room', kind: 'direct', key: rid });
}

