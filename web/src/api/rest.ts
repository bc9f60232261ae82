// A small typed client for Rocket.Chat's REST API (/api/v1). It adds the
// X-User-Id / X-Auth-Token headers, turns Rocket.Chat's error envelopes
// into ApiError, and converts dates to epoch milliseconds.
import { normMessage, normRoom, normSub } from './ejson';
import type { Message, Permission, Preferences, Role, Room, Setting, Status, Subscription, User } from './types';

/** ApiError is a failed REST call, with Rocket.Chat's errorType when given. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorType?: string,
    readonly body?: any,
  ) {
    super(message);
  }
}

export interface Auth {
  userId: string;
  token: string;
}

type Query = Record<string, string | number | boolean | undefined>;

export interface Page<T> {
  items: T[];
  count: number;
  offset: number;
  total: number;
}

function qs(q?: Query): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? '?' + s : '';
}

/** errorText picks the human part of Rocket.Chat's error bodies. */
function errorText(body: any, status: number): string {
  if (body && typeof body === 'object') {
    const e = body.message ?? body.error ?? body.reason;
    if (typeof e === 'string' && e) return e.replace(/\s*\[[\w-]+\]$/, '');
  }
  return status === 0 ? 'The server cannot be reached' : `Request failed (${status})`;
}

export class Rest {
  auth: Auth | null = null;
  /** onUnauthorized is called when a logged-in call gets 401. */
  onUnauthorized?: () => void;

  constructor(readonly base = '') {}

  private headers(json: boolean): Record<string, string> {
    const h: Record<string, string> = {};
    if (json) h['Content-Type'] = 'application/json';
    if (this.auth) {
      h['X-User-Id'] = this.auth.userId;
      h['X-Auth-Token'] = this.auth.token;
    }
    return h;
  }

  async request<T = any>(method: 'GET' | 'POST' | 'PUT', path: string, query?: Query, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + '/api/' + path + qs(query), {
        method,
        headers: this.headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
      });
    } catch {
      throw new ApiError('The server cannot be reached', 0);
    }
    let data: any = null;
    try {
      data = await res.json();
    } catch {
      /* an empty or non-JSON body */
    }
    if (!res.ok || (data && data.success === false)) {
      if (res.status === 401 && this.auth) this.onUnauthorized?.();
      throw new ApiError(errorText(data, res.status), res.status, data?.errorType ?? (typeof data?.error === 'string' ? data.error : undefined), data);
    }
    return data as T;
  }

  get<T = any>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', 'v1/' + path, query);
  }

  post<T = any>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', 'v1/' + path, undefined, body);
  }

  /** upload sends multipart form data with progress (fetch has none). */
  upload<T = any>(path: string, form: FormData, onProgress?: (fraction: number) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', this.base + '/api/v1/' + path);
      for (const [k, v] of Object.entries(this.headers(false))) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.(e.loaded / e.total);
      xhr.onerror = () => reject(new ApiError('The upload failed', 0));
      xhr.onload = () => {
        let data: any = null;
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          /* not JSON */
        }
        if (xhr.status >= 200 && xhr.status < 300 && data?.success !== false) resolve(data);
        else reject(new ApiError(errorText(data, xhr.status), xhr.status, data?.errorType, data));
      };
      xhr.send(form);
    });
  }

  // ---- typed endpoints --------------------------------------------------

  async login(user: string, password: string, code?: string): Promise<{ auth: Auth; me: User }> {
    const r = await this.post('login', { user, password, ...(code ? { code } : {}) });
    return { auth: { userId: r.data.userId, token: r.data.authToken }, me: r.data.me };
  }

  async resume(token: string): Promise<{ auth: Auth; me: User }> {
    const r = await this.post('login', { resume: token });
    return { auth: { userId: r.data.userId, token: r.data.authToken }, me: r.data.me };
  }

  logout(): Promise<unknown> {
    return this.post('logout');
  }

  me(): Promise<User> {
    return this.get<User>('me');
  }

  register(body: { username: string; email: string; pass: string; name: string; secretURL?: string }): Promise<{ user: User }> {
    return this.post('users.register', body);
  }

  async publicSettings(): Promise<Setting[]> {
    const r = await this.get<{ settings: Setting[] }>('settings.public', { count: 0, offset: 0 });
    return r.settings;
  }

  async subscriptions(updatedSince?: number): Promise<{ update: Subscription[]; remove: { _id: string; rid?: string }[] }> {
    const r = await this.get('subscriptions.get', { updatedSince: updatedSince ? new Date(updatedSince).toISOString() : undefined });
    return { update: (r.update ?? []).map(normSub), remove: r.remove ?? [] };
  }

  async rooms(updatedSince?: number): Promise<{ update: Room[]; remove: { _id: string }[] }> {
    const r = await this.get('rooms.get', { updatedSince: updatedSince ? new Date(updatedSince).toISOString() : undefined });
    return { update: (r.update ?? []).map(normRoom), remove: r.remove ?? [] };
  }

  async roomInfo(q: { roomId?: string; roomName?: string }): Promise<Room> {
    const r = await this.get('rooms.info', q);
    return normRoom(r.room);
  }

  async message(msgId: string): Promise<Message> {
    const r = await this.get('chat.getMessage', { msgId });
    return normMessage(r.message);
  }

  async messageList(endpoint: string, query: Query): Promise<Page<Message>> {
    const r = await this.get(endpoint, query);
    return { items: (r.messages ?? []).map(normMessage), count: r.count ?? 0, offset: r.offset ?? 0, total: r.total ?? 0 };
  }

  async syncMessages(roomId: string, lastUpdate: number): Promise<{ updated: Message[]; deleted: { _id: string }[] }> {
    const r = await this.get('chat.syncMessages', { roomId, lastUpdate: new Date(lastUpdate).toISOString() });
    return { updated: (r.result?.updated ?? []).map(normMessage), deleted: r.result?.deleted ?? [] };
  }

  /** read marks a room read, up to the message seenUpTo when given. */
  read(rid: string, seenUpTo?: string): Promise<unknown> {
    return this.post('subscriptions.read', seenUpTo ? { rid, seenUpTo } : { rid });
  }

  sendMessage(message: { _id?: string; rid: string; msg: string; tmid?: string; tshow?: boolean }): Promise<{ message: Message }> {
    return this.post('chat.sendMessage', { message }).then((r) => ({ message: normMessage(r.message) }));
  }

  updateMessage(roomId: string, msgId: string, text: string): Promise<unknown> {
    return this.post('chat.update', { roomId, msgId, text });
  }

  deleteMessage(roomId: string, msgId: string): Promise<unknown> {
    return this.post('chat.delete', { roomId, msgId, asUser: true });
  }

  react(messageId: string, emoji: string, shouldReact?: boolean): Promise<unknown> {
    return this.post('chat.react', { messageId, emoji, ...(shouldReact === undefined ? {} : { shouldReact }) });
  }

  setStatus(status: Status, message?: string): Promise<unknown> {
    return this.post('users.setStatus', { status, ...(message === undefined ? {} : { message }) });
  }

  setPreferences(data: Preferences): Promise<unknown> {
    return this.post('users.setPreferences', { data });
  }

  async permissions(): Promise<Permission[]> {
    const r = await this.get('permissions.listAll');
    return r.update ?? [];
  }

  async roles(): Promise<Role[]> {
    const r = await this.get('roles.list');
    return r.roles ?? [];
  }

  async users(q: Query): Promise<Page<User>> {
    const r = await this.get('users.list', q);
    return { items: r.users ?? [], count: r.count, offset: r.offset, total: r.total };
  }

  async spotlight(query: string): Promise<{ users: User[]; rooms: Room[] }> {
    const r = await this.get('spotlight', { query });
    return { users: r.users ?? [], rooms: (r.rooms ?? []).map(normRoom) };
  }
}
