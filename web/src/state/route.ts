// The client's routes, in the same URL shapes as Rocket.Chat's web client
// (/channel/<name>, /group/<name>, /direct/<rid>), so links copied from
// messages work in both.
import { Store } from './store';

export type RoomKind = 'channel' | 'group' | 'direct';

export type Route =
  | { name: 'home' }
  | { name: 'room'; kind: RoomKind; key: string; tmid?: string; msg?: string; panel?: string }
  | { name: 'directory'; tab: string }
  | { name: 'account'; tab: string }
  | { name: 'admin'; tab: string }
  | { name: 'login' }
  | { name: 'register' };

export function parseRoute(path: string, search = ''): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const msg = new URLSearchParams(search).get('msg') ?? undefined;
  switch (parts[0]) {
    case 'channel':
    case 'group':
    case 'direct':
      if (!parts[1]) break;
      return {
        name: 'room',
        kind: parts[0] as RoomKind,
        key: parts[1],
        tmid: parts[2] === 'thread' ? parts[3] : undefined,
        panel: parts[2] && parts[2] !== 'thread' ? parts[2] : undefined,
        msg,
      };
    case 'directory':
      return { name: 'directory', tab: parts[1] || 'channels' };
    case 'account':
      return { name: 'account', tab: parts[1] || 'profile' };
    case 'admin':
      return { name: 'admin', tab: parts[1] || 'info' };
    case 'login':
      return { name: 'login' };
    case 'register':
      return { name: 'register' };
  }
  return { name: 'home' };
}

export function routePath(r: Route): string {
  switch (r.name) {
    case 'room': {
      let p = `/${r.kind}/${encodeURIComponent(r.key)}`;
      if (r.tmid) p += `/thread/${encodeURIComponent(r.tmid)}`;
      else if (r.panel) p += `/${r.panel}`;
      if (r.msg) p += `?msg=${encodeURIComponent(r.msg)}`;
      return p;
    }
    case 'directory':
    case 'account':
    case 'admin':
      return `/${r.name}/${r.tab}`;
    case 'login':
    case 'register':
      return `/${r.name}`;
  }
  return '/home';
}

export const route = new Store<Route>(parseRoute(location.pathname, location.search));

/** navigate changes the route and the address bar. */
export function navigate(r: Route, replace = false): void {
  const p = routePath(r);
  if (p !== location.pathname + location.search) {
    if (replace) history.replaceState(null, '', p);
    else history.pushState(null, '', p);
  }
  route.set(r);
}

addEventListener('popstate', () => route.set(parseRoute(location.pathname, location.search)));
