// A DDP client for Rocket.Chat's realtime API at /websocket: method calls,
// stream subscriptions (rc-api.md §2.4), and a connection that survives
// network loss. It reconnects with exponential backoff and jitter, logs in
// again with the resume token, renews every subscription, and then tells
// the app (onReconnect) so that it can fetch what it missed.

export type ConnState = 'connecting' | 'connected' | 'offline';

type StreamHandler = (args: any[], eventName: string) => void;

interface Pending {
  resolve: (v: any) => void;
  reject: (e: any) => void;
}

interface Sub {
  id: string;
  name: string;
  params: any[];
  ready: boolean;
}

/** DDPError is a method's Meteor.Error. */
export class DDPError extends Error {
  constructor(
    message: string,
    readonly error: string | number,
    readonly details?: any,
  ) {
    super(message);
  }
}

export interface DDPOptions {
  url: string;
  /** resumeToken returns the login token to resume with, if any. */
  resumeToken: () => string | null;
  onState: (s: ConnState, attempt: number) => void;
  /** onReconnect runs after a reconnection, once logged in and resubscribed. */
  onReconnect: () => void;
  /** onLoginFailed runs when the resume token is refused. */
  onLoginFailed: () => void;
}

const maxBackoff = 30_000;

export class DDP {
  private ws: WebSocket | null = null;
  private seq = 0;
  private pending = new Map<string, Pending>();
  private subs = new Map<string, Sub>();
  private handlers = new Map<string, Set<StreamHandler>>();
  private queue: string[] = [];
  private ready = false;
  private attempt = 0;
  private everConnected = false;
  private closed = false;
  private lastHeard = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pinger: ReturnType<typeof setInterval> | undefined;
  state: ConnState = 'connecting';

  constructor(private opts: DDPOptions) {}

  start(): void {
    this.closed = false;
    this.open();
  }

  stop(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    this.ws?.close(1000);
    this.ws = null;
    this.subs.clear();
    this.handlers.clear();
    for (const p of this.pending.values()) p.reject(new DDPError('Disconnected', 'disconnected'));
    this.pending.clear();
  }

  /** reconnectNow skips the rest of the backoff (the user asked, or the network came back). */
  reconnectNow(): void {
    if (this.state === 'offline' && !this.closed) {
      clearTimeout(this.timer);
      this.open();
    }
  }

  private setState(s: ConnState) {
    this.state = s;
    this.opts.onState(s, this.attempt);
  }

  private open() {
    this.setState('connecting');
    this.ready = false;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => this.raw({ msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] });
    ws.onmessage = (e) => this.receive(e.data as string);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.ready = false;
      clearInterval(this.pinger);
      for (const s of this.subs.values()) s.ready = false;
      // Methods in flight may or may not have run: fail them so that the
      // caller can show it; the resync after reconnecting shows the truth.
      for (const p of this.pending.values()) p.reject(new DDPError('Connection lost', 'disconnected'));
      this.pending.clear();
      if (!this.closed) this.scheduleReconnect();
    };
  }

  private scheduleReconnect() {
    this.setState('offline');
    const base = Math.min(maxBackoff, 1000 * 2 ** this.attempt);
    this.attempt++;
    this.timer = setTimeout(() => this.open(), base / 2 + Math.random() * (base / 2));
  }

  private raw(m: object) {
    this.ws?.send(JSON.stringify(m));
  }

  private send(m: object) {
    const s = JSON.stringify(m);
    if (this.ready && this.ws) this.ws.send(s);
    else this.queue.push(s);
  }

  private async onConnected() {
    const reconnect = this.everConnected;
    this.everConnected = true;
    this.lastHeard = Date.now();
    clearInterval(this.pinger);
    this.pinger = setInterval(() => this.keepAlive(), 10_000);
    const token = this.opts.resumeToken();
    if (token) {
      try {
        await this.directCall('login', [{ resume: token }]);
      } catch (e) {
        if (e instanceof DDPError && e.error !== 'disconnected') this.opts.onLoginFailed();
        return;
      }
    }
    this.ready = true;
    this.attempt = 0;
    for (const s of this.subs.values()) this.raw({ msg: 'sub', id: s.id, name: s.name, params: s.params });
    const q = this.queue;
    this.queue = [];
    for (const s of q) this.ws?.send(s);
    this.setState('connected');
    if (reconnect) this.opts.onReconnect();
  }

  /** keepAlive pings a quiet server and drops a connection that stays silent. */
  private keepAlive() {
    const quiet = Date.now() - this.lastHeard;
    if (quiet > 45_000) this.ws?.close();
    else if (quiet > 20_000) this.raw({ msg: 'ping' });
  }

  private receive(data: string) {
    this.lastHeard = Date.now();
    let m: any;
    try {
      m = JSON.parse(data);
    } catch {
      return;
    }
    switch (m.msg) {
      case 'connected':
        void this.onConnected();
        break;
      case 'ping':
        this.raw(m.id ? { msg: 'pong', id: m.id } : { msg: 'pong' });
        break;
      case 'result': {
        const p = this.pending.get(m.id);
        if (!p) break;
        this.pending.delete(m.id);
        if (m.error) p.reject(new DDPError(m.error.reason || m.error.message || String(m.error.error), m.error.error, m.error.details));
        else p.resolve(m.result);
        break;
      }
      case 'ready':
        for (const id of m.subs ?? []) {
          const s = this.subs.get(id);
          if (s) s.ready = true;
        }
        break;
      case 'changed': {
        const f = m.fields;
        if (!f || !m.collection) break;
        if (m.collection === 'stream-user-presence') {
          // Presence events carry the user id as the document id.
          this.dispatch(m.collection, '*', [m.id, ...(Array.isArray(f.args?.[0]) ? f.args[0] : f.args ?? [])], m.id);
          break;
        }
        this.dispatch(m.collection, f.eventName, f.args ?? [], f.eventName);
        break;
      }
    }
  }

  private dispatch(collection: string, event: string, args: any[], eventName: string) {
    for (const key of [collection + '|' + event, collection + '|*']) {
      const hs = this.handlers.get(key);
      if (hs) for (const h of hs) h(args, eventName);
    }
  }

  /** directCall sends a method even before login (used for login itself). */
  private directCall<T>(method: string, params: any[]): Promise<T> {
    const id = String(++this.seq);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.raw({ msg: 'method', id, method, params });
    });
  }

  /** call runs a DDP method; calls made while disconnected wait for the connection. */
  call<T = any>(method: string, ...params: any[]): Promise<T> {
    const id = String(++this.seq);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ msg: 'method', id, method, params });
    });
  }

  /**
   * subscribe asks for one stream event ("stream-room-messages", rid) and
   * keeps asking after every reconnection until the returned function is
   * called.
   */
  subscribe(name: string, eventName: string, ...args: any[]): () => void {
    const id = 's' + ++this.seq;
    const sub: Sub = { id, name, params: [eventName, { useCollection: false, args }], ready: false };
    this.subs.set(id, sub);
    if (this.ready) this.raw({ msg: 'sub', id, name, params: sub.params });
    return () => {
      if (this.subs.delete(id) && this.ready) this.raw({ msg: 'unsub', id });
    };
  }

  /** on listens to a stream's events; eventName "*" matches every event. */
  on(collection: string, eventName: string, h: StreamHandler): () => void {
    const key = collection + '|' + eventName;
    let hs = this.handlers.get(key);
    if (!hs) this.handlers.set(key, (hs = new Set()));
    hs.add(h);
    return () => hs!.delete(h);
  }
}
