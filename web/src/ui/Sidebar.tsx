// The sidebar: who you are, search and create, and every room you are in,
// grouped and live (unread counts, mention badges, favourites, presence).
import { useCallback, useMemo, useRef, useState } from 'preact/hooks';
import type { Room, Status, Subscription } from '../api/types';
import { can, fail, logout, presence, rooms, roomName, roomRoute, session, setStatus, subs } from '../state/app';
import { navigate, route } from '../state/route';
import { useStore } from '../state/store';
import { Avatar, Icon, StatusDot, statusLabel, useOutside, val } from './common';
import { openModal } from './modals';

function sortSubs(list: Subscription[], roomMap: Map<string, Room>, by: string): Subscription[] {
  if (by === 'alphabetical') return list.sort((a, b) => roomName(a).localeCompare(roomName(b)));
  const lm = (s: Subscription) => roomMap.get(s.rid)?.lm ?? roomMap.get(s.rid)?.ts ?? s.ts ?? 0;
  return list.sort((a, b) => lm(b) - lm(a));
}

export function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  const all = useStore(subs);
  const roomMap = useStore(rooms);
  const p = useStore(session, (s) => s.me?.settings?.preferences ?? {});
  const sections = useMemo(() => {
    const open = [...all.values()].filter((s) => s.open !== false);
    const by = p.sidebarSortby ?? 'activity';
    const grouped = p.sidebarGroupByType !== false;
    const fav = p.sidebarShowFavorites !== false;
    const out: { title: string; items: Subscription[] }[] = [];
    const used = new Set<string>();
    const take = (title: string, f: (s: Subscription) => boolean) => {
      const items = sortSubs(open.filter((s) => !used.has(s.rid) && f(s)), roomMap, by);
      items.forEach((s) => used.add(s.rid));
      if (items.length) out.push({ title, items });
    };
    if (p.sidebarShowUnread) take('Unread', (s) => !!(s.unread || s.alert || s.userMentions));
    if (fav) take('Favorites', (s) => !!s.f);
    if (grouped) {
      take('Teams', (s) => !!s.teamMain);
      take('Discussions', (s) => !!s.prid);
      take('Channels', (s) => s.t === 'c');
      take('Private groups', (s) => s.t === 'p');
      take('Direct messages', (s) => s.t === 'd');
    } else take('Conversations', () => true);
    return out;
  }, [all, roomMap, p]);
  return (
    <nav class="sidebar" aria-label="Rooms">
      <SidebarHeader />
      <div class="side-actions">
        <button type="button" class="search-btn" onClick={() => openModal({ kind: 'jump' })} aria-keyshortcuts="Control+K">
          <Icon name="search" /> <span>Jump to…</span> <kbd>Ctrl K</kbd>
        </button>
        <button type="button" class="icon-btn" title="Directory" aria-label="Directory" onClick={() => (navigate({ name: 'directory', tab: 'channels' }), onNavigate?.())}>
          <Icon name="directory" />
        </button>
        <CreateMenu />
      </div>
      <div class="room-list">
        {sections.map((sec) => (
          <section key={sec.title} aria-label={sec.title}>
            <h3>{sec.title}</h3>
            <ul>
              {sec.items.map((s) => (
                <RoomItem key={s.rid} s={s} onNavigate={onNavigate} />
              ))}
            </ul>
          </section>
        ))}
        {!sections.length && <p class="empty">You are not in any room yet. Use the directory or create one.</p>}
      </div>
    </nav>
  );
}

function RoomItem({ s, onNavigate }: { s: Subscription; onNavigate?: () => void }) {
  const r = useStore(route);
  const target = roomRoute(s);
  const active = r.name === 'room' && r.kind === target.kind && (r.key === target.key || r.key === s.rid);
  const unread = s.unread ?? 0;
  const mentions = (s.userMentions ?? 0) + (s.groupMentions ?? 0);
  const href = `/${target.kind}/${encodeURIComponent(target.key)}`;
  return (
    <li>
      <a
        href={href}
        class={'room-item' + (active ? ' active' : '') + (s.alert || unread ? ' unread' : '')}
        aria-current={active ? 'page' : undefined}
        onClick={(e) => {
          e.preventDefault();
          navigate(target);
          onNavigate?.();
        }}
      >
        {s.t === 'd' ? (
          <span class="room-icon">
            <Avatar name={s.name} size={20} />
            <StatusDot username={s.name} />
          </span>
        ) : (
          <span class="room-icon">
            <Icon name={s.teamMain ? 'team' : s.prid ? 'discussion' : s.t === 'p' ? 'lock' : 'hash'} size={16} />
          </span>
        )}
        <span class="room-name">{roomName(s)}</span>
        {s.f && <Icon name="star" size={12} label="Favorite" />}
        {unread > 0 && (
          <span class={'badge' + (mentions ? ' mention' : '')} aria-label={`${unread} unread${mentions ? `, ${mentions} mentions` : ''}`}>
            {mentions ? '@' : ''}
            {unread}
          </span>
        )}
      </a>
    </li>
  );
}

const statuses: Status[] = ['online', 'away', 'busy', 'offline'];

function SidebarHeader() {
  const u = useStore(session, (s) => s.me);
  const live = useStore(presence, (p) => (u ? p.get(u.username) : undefined));
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useOutside(ref, close);
  if (!u) return null;
  const status = live?.status ?? u.status ?? 'offline';
  const statusText = live?.text ?? u.statusText;
  const pick = async (st: Status) => {
    try {
      await setStatus(st, text);
    } catch (e) {
      fail(e);
    }
    setOpen(false);
  };
  return (
    <div class="side-header" ref={ref}>
      <button
        type="button"
        class="me-btn"
        aria-label={`Account: ${u.name || u.username}, ${statusText || statusLabel[status]}`}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => {
          setText(statusText ?? '');
          setOpen(!open);
        }}
      >
        <span class="room-icon">
          <Avatar name={u.username} size={28} etag={u.avatarETag} />
          <StatusDot username={u.username} status={status} />
        </span>
        <span class="me-name">
          <strong>{u.name || u.username}</strong>
          <small>{statusText || statusLabel[status]}</small>
        </span>
        <Icon name="down" size={14} />
      </button>
      {open && (
        <div class="menu" role="menu" aria-label="Account">
          <form
            class="status-text"
            onSubmit={(e) => {
              e.preventDefault();
              void pick(status === 'offline' ? 'online' : status);
            }}
          >
            <input aria-label="Custom status" placeholder="What's your status?" value={text} maxLength={120} onInput={(e) => setText(val(e))} />
          </form>
          {statuses.map((st) => (
            <button type="button" role="menuitemradio" aria-checked={status === st} key={st} onClick={() => pick(st)}>
              <span class={`dot ${st}`} /> {statusLabel[st]}
            </button>
          ))}
          <hr />
          <button type="button" role="menuitem" onClick={() => (navigate({ name: 'account', tab: 'profile' }), close())}>
            <Icon name="user" /> Profile
          </button>
          <button type="button" role="menuitem" onClick={() => (navigate({ name: 'account', tab: 'preferences' }), close())}>
            <Icon name="settings" /> Preferences
          </button>
          {u.roles?.includes('admin') && (
            <button type="button" role="menuitem" onClick={() => (navigate({ name: 'admin', tab: 'info' }), close())}>
              <Icon name="admin" /> Administration
            </button>
          )}
          <hr />
          <button type="button" role="menuitem" onClick={() => void logout()}>
            <Icon name="logout" /> Sign out
          </button>
        </div>
      )}
    </div>
  );
}

function CreateMenu() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useOutside(ref, close);
  const item = (label: string, icon: string, f: () => void, allowed = true) =>
    allowed && (
      <button
        type="button"
        role="menuitem"
        onClick={() => {
          close();
          f();
        }}
      >
        <Icon name={icon} /> {label}
      </button>
    );
  return (
    <div class="menu-wrap" ref={ref}>
      <button type="button" class="icon-btn" aria-label="Create new" title="Create new" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        <Icon name="plus" />
      </button>
      {open && (
        <div class="menu right" role="menu" aria-label="Create new">
          {item('Channel', 'hash', () => openModal({ kind: 'create', type: 'c' }), can('create-c'))}
          {item('Private group', 'lock', () => openModal({ kind: 'create', type: 'p' }), can('create-p'))}
          {item('Direct message', 'at', () => openModal({ kind: 'create-dm' }), can('create-d'))}
          {item('Discussion', 'discussion', () => openModal({ kind: 'create-discussion' }), can('start-discussion') || can('start-discussion-other-user'))}
          {item('Team', 'team', () => openModal({ kind: 'create', type: 'team' }), can('create-team'))}
        </div>
      )}
    </div>
  );
}

