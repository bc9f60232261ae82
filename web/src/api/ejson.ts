// Dates on the wire: ISO strings over REST, {$date: ms} over DDP. The
// client keeps epoch milliseconds.
import type { Message, Room, Subscription } from './types';

export function toMs(v: unknown): number | undefined {
  if (v == null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  if (typeof v === 'object' && '$date' in (v as object)) return Number((v as { $date: number }).$date);
  return undefined;
}

function dates<T>(o: any, keys: string[]): T {
  if (!o || typeof o !== 'object') return o;
  for (const k of keys) if (k in o) o[k] = toMs(o[k]);
  return o as T;
}

/** normMessage converts a message's dates in place and returns it. */
export function normMessage(m: any): Message {
  dates(m, ['ts', '_updatedAt', 'editedAt', 'tlm', 'dlm', 'pinnedAt']);
  if (Array.isArray(m.attachments)) for (const a of m.attachments) dates(a, ['ts']);
  return m as Message;
}

/** normRoom converts a room's dates in place and returns it. */
export function normRoom(r: any): Room {
  dates(r, ['ts', '_updatedAt', 'lm']);
  if (r.lastMessage) normMessage(r.lastMessage);
  return r as Room;
}

/** normSub converts a subscription's dates in place and returns it. */
export function normSub(s: any): Subscription {
  return dates<Subscription>(s, ['ts', 'ls', 'lr', '_updatedAt']);
}

/** toEJSON encodes a date for DDP parameters. */
export function toEJSON(ms: number): { $date: number } {
  return { $date: ms };
}
