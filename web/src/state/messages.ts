// Messages of the rooms and threads the user has opened: loaded from
// history page by page, kept live from the streams, and resynchronised
// after a reconnection with chat.syncMessages.
import { normMessage, toEJSON } from '../api/ejson';
import type { Message } from '../api/types';
import { Store } from './store';

export interface MessageList {
  list: Message[]; // oldest first
  loaded: boolean;
  loading: boolean;
  hasMore: boolean;
  error?: string;
  /** firstUnread is the id of the first message the user had not read when the room opened. */
  firstUnread?: string;
  /** syncedAt is the newest _updatedAt seen, for chat.syncMessages. */
  syncedAt: number;
}

const empty = (): MessageList => ({ list: [], loaded: false, loading: false, hasMore: true, syncedAt: 0 });

export const pageSize = 50;

/** MessageCache holds one list per room (key rid) or thread (key "t:" + tmid). */
export class MessageCache {
  private lists = new Map<string, Store<MessageList>>();

  list(key: string): Store<MessageList> {
    let s = this.lists.get(key);
    if (!s) this.lists.set(key, (s = new Store(empty())));
    return s;
  }

  has(key: string): boolean {
    return this.lists.has(key);
  }

  keys(): string[] {
    return [...this.lists.keys()];
  }

  clear(): void {
    this.lists.clear();
  }

  /** upsert puts a message into its room's list and its thread's list. */
  upsert(raw: Message): void {
    const m = normMessage(raw);
    const keys = [m.rid];
    if (m.tmid) keys.push('t:' + m.tmid);
    if (m.tcount !== undefined || m.replies) keys.push('t:' + m._id); // a thread root
    for (const k of keys) {
      const s = this.lists.get(k);
      if (!s || !s.get().loaded) continue;
      s.set((old) => ({ ...old, list: insert(old.list, m), syncedAt: Math.max(old.syncedAt, m._updatedAt ?? 0) }));
    }
  }

  /** remove drops a deleted message from every list. */
  remove(id: string): void {
    for (const s of this.lists.values()) {
      const old = s.get();
      if (old.list.some((m) => m._id === id)) s.set({ ...old, list: old.list.filter((m) => m._id !== id) });
    }
  }

  /** patch changes one message wherever it is (optimistic updates). */
  patch(id: string, f: (m: Message) => Message): void {
    for (const s of this.lists.values()) {
      const old = s.get();
      const i = old.list.findIndex((m) => m._id === id);
      if (i >= 0) {
        const list = old.list.slice();
        list[i] = f(list[i]);
        s.set({ ...old, list });
      }
    }
  }

  find(id: string): Message | undefined {
    for (const s of this.lists.values()) {
      const m = s.get().list.find((x) => x._id === id);
      if (m) return m;
    }
    return undefined;
  }
}

/** insert puts m into a list sorted by ts, replacing a message with its id. */
export function insert(list: Message[], m: Message): Message[] {
  const i = list.findIndex((x) => x._id === m._id);
  if (i >= 0) {
    const out = list.slice();
    out[i] = { ...m, pending: false, failed: false };
    if (out[i].ts !== list[i].ts) out.sort((a, b) => a.ts - b.ts);
    return out;
  }
  let j = list.length;
  while (j > 0 && list[j - 1].ts > m.ts) j--;
  const out = list.slice();
  out.splice(j, 0, m);
  return out;
}

/** merge adds a page of messages to a list, keeping it sorted and unique. */
export function merge(list: Message[], page: Message[]): Message[] {
  const byId = new Map(list.map((m) => [m._id, m]));
  for (const m of page) byId.set(m._id, m);
  return [...byId.values()].sort((a, b) => a.ts - b.ts);
}

/** historyArgs builds loadHistory's parameters: [rid, end, limit, ls]. */
export function historyArgs(rid: string, end: number | null, ls?: number): unknown[] {
  return [rid, end == null ? null : toEJSON(end), pageSize, ls ? toEJSON(ls) : undefined].filter((v, i) => i < 3 || v !== undefined);
}
