// The application shell: boot, sign-in, and once signed in the sidebar,
// the routed view, the connection banner, toasts and dialogs.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { conn, ddp, rooms, session, settings, subs, toasts } from '../state/app';
import { navigate, route } from '../state/route';
import { useStore } from '../state/store';
import { Account } from './Account';
import { Icon } from './common';
import { Directory } from './Directory';
import { LoginView } from './Login';
import { ModalHost, openModal } from './modals';
import { RoomView } from './Room';
import { Sidebar } from './Sidebar';

export function App() {
  const phase = useStore(session, (s) => s.phase);
  useTheme();
  useTitle();
  if (phase === 'boot')
    return (
      <div class="splash" role="status" aria-live="polite">
        <img src="/favicon.svg" alt="" width={48} height={48} />
        <span>Loading…</span>
      </div>
    );
  return (
    <>
      {phase === 'out' ? <LoginView /> : <Shell />}
      <Toasts />
      <ModalHost />
    </>
  );
}

function Shell() {
  const r = useStore(route);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        openModal({ kind: 'jump' });
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  let main;
  switch (r.name) {
    case 'room':
      main = <RoomView r={r} />;
      break;
    case 'directory':
      main = <Directory tab={r.tab} />;
      break;
    case 'account':
      main = <Account tab={r.tab} />;
      break;
    case 'admin':
      main = <Lazy load={() => import('../admin/Admin').then((m) => m.Admin)} props={{ tab: r.tab }} />;
      break;
    default:
      main = <Home />;
  }
  return (
    <div class={'shell' + (r.name === 'home' ? ' at-home' : '')}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Banner />
      <Sidebar />
      <div class="main" id="main">
        {main}
      </div>
    </div>
  );
}

/** Lazy loads a view's chunk the first time it is shown. */
function Lazy<P>({ load, props }: { load: () => Promise<ComponentType<P>>; props: P }) {
  const [C, setC] = useState<ComponentType<P> | null>(null);
  useEffect(() => {
    load().then((c) => setC(() => c));
  }, []);
  return C ? <C {...(props as any)} /> : <main class="page" aria-busy="true" />;
}

function Home() {
  const s = useStore(settings);
  const me = useStore(session, (x) => x.me);
  return (
    <main class="page home" aria-label="Home">
      <h1>Welcome to {(s.Site_Name as string) || 'Liftoff'}</h1>
      <p>
        Hello {me?.name || me?.username}. Pick a room on the left, press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one, or browse the directory.
      </p>
      <div class="buttons">
        <button type="button" class="primary" onClick={() => openModal({ kind: 'jump' })}>
          <Icon name="search" /> Jump to a room
        </button>
        <button type="button" onClick={() => navigate({ name: 'directory', tab: 'channels' })}>
          <Icon name="directory" /> Directory
        </button>
        <button type="button" onClick={() => openModal({ kind: 'create', type: 'c' })}>
          <Icon name="plus" /> Create a channel
        </button>
      </div>
    </main>
  );
}

/** Banner tells that the connection is lost and when it retries. */
function Banner() {
  const c = useStore(conn);
  const [shown, setShown] = useState(false);
  useEffect(() => {
    // A reconnection that takes under a second is not worth a banner.
    if (c.state === 'connected') return setShown(false);
    const t = setTimeout(() => setShown(true), 1000);
    return () => clearTimeout(t);
  }, [c.state]);
  if (!shown || c.state === 'connected') return null;
  return (
    <div class="banner" role="alert">
      {c.state === 'connecting' ? 'Connecting…' : 'The connection to the server was lost. Reconnecting…'}
      {c.state === 'offline' && (
        <button type="button" onClick={() => ddp?.reconnectNow()}>
          Retry now
        </button>
      )}
    </div>
  );
}

function Toasts() {
  const list = useStore(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} class={'toast ' + t.kind} role={t.kind === 'error' ? 'alert' : undefined}>
          {t.text}
        </div>
      ))}
    </div>
  );
}

/** useTheme follows the system's dark or light preference unless the user chose one. */
function useTheme() {
  const pref = useStore(session, (s) => s.me?.settings?.preferences?.themeAppearence ?? 'auto');
  useEffect(() => {
    if (pref === 'light' || pref === 'dark') document.documentElement.dataset.theme = pref;
    else delete document.documentElement.dataset.theme;
  }, [pref]);
}

/** useTitle puts the unread count and the room in the tab's title. */
function useTitle() {
  const all = useStore(subs);
  const r = useStore(route);
  const site = useStore(settings, (s) => (s.Site_Name as string) || 'Liftoff');
  useStore(rooms);
  useEffect(() => {
    let unread = 0;
    for (const s of all.values()) if (s.open !== false) unread += s.unread ?? 0;
    const where = r.name === 'room' ? (r.kind === 'direct' ? [...all.values()].find((s) => s.rid === r.key)?.name ?? '' : r.key) : '';
    document.title = (unread ? `(${unread}) ` : '') + (where ? `${where} · ` : '') + site;
  }, [all, r, site]);
}
