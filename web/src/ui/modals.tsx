// Dialogs opened from anywhere: jump to a room, create rooms, pick an
// emoji, view an image, confirm, and a user's card.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Room, User } from '../api/types';
import { emojiCategories, emojiVersion, searchEmoji } from '../emoji';
import { fail, openDirect, rest, roomName, roomRoute, subs } from '../state/app';
import { navigate } from '../state/route';
import { Store, useStore } from '../state/store';
import { Avatar, Field, Modal, StatusDot, Toggle, val } from './common';

export type ModalSpec =
  | { kind: 'jump' }
  | { kind: 'create'; type: 'c' | 'p' | 'team' }
  | { kind: 'create-dm' }
  | { kind: 'create-discussion'; prid?: string; pmid?: string }
  | { kind: 'emoji'; onPick: (shortCode: string) => void }
  | { kind: 'image'; src: string; title?: string }
  | { kind: 'confirm'; title: string; text: string; action: string; onConfirm: () => Promise<void> | void }
  | { kind: 'user'; username: string };

export const modal = new Store<ModalSpec | null>(null);
export const openModal = (m: ModalSpec) => modal.set(m);
const close = () => modal.set(null);

export function ModalHost() {
  const m = useStore(modal);
  if (!m) return null;
  switch (m.kind) {
    case 'jump':
      return <JumpTo />;
    case 'create':
      return <CreateRoom type={m.type} />;
    case 'create-dm':
      return <CreateDM />;
    case 'create-discussion':
      return <CreateDiscussion prid={m.prid} pmid={m.pmid} />;
    case 'emoji':
      return (
        <Modal title="Pick an emoji" onClose={close}>
          <EmojiPicker
            onPick={(c) => {
              close();
              m.onPick(c);
            }}
          />
        </Modal>
      );
    case 'image':
      return (
        <Modal title={m.title || 'Image'} onClose={close} wide>
          <img class="viewer" src={m.src} alt={m.title || ''} />
          <p>
            <a href={m.src} target="_blank" rel="noopener" download>
              Download
            </a>
          </p>
        </Modal>
      );
    case 'confirm':
      return <Confirm {...m} />;
    case 'user':
      return <UserCard username={m.username} />;
  }
}

function Confirm({ title, text, action, onConfirm }: { title: string; text: string; action: string; onConfirm: () => Promise<void> | void }) {
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={title} onClose={close}>
      <p>{text}</p>
      <div class="buttons">
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          class="danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm();
              close();
            } catch (e) {
              fail(e);
              setBusy(false);
            }
          }}
        >
          {action}
        </button>
      </div>
    </Modal>
  );
}

/** JumpTo finds a room or person by name (Ctrl/Cmd+K). */
function JumpTo() {
  const [q, setQ] = useState('');
  const [sel, setSel] = useState(0);
  const [remote, setRemote] = useState<{ users: User[]; rooms: Room[] }>({ users: [], rooms: [] });
  const mine = useStore(subs);
  useEffect(() => {
    if (!q.trim()) return setRemote({ users: [], rooms: [] });
    const t = setTimeout(() => rest.spotlight(q.trim()).then(setRemote, () => {}), 150);
    return () => clearTimeout(t);
  }, [q]);
  const items = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const local = [...mine.values()]
      .filter((s) => roomName(s).toLowerCase().includes(needle))
      .slice(0, 12)
      .map((s) => ({ key: s.rid, label: roomName(s), kind: s.t, go: () => navigate(roomRoute(s)) }));
    const seen = new Set(local.map((l) => l.key));
    const more = [
      ...remote.rooms.filter((r) => !seen.has(r._id)).map((r) => ({ key: r._id, label: roomName(r), kind: r.t, go: () => navigate(roomRoute(r)) })),
      ...remote.users
        .filter((u) => !local.some((l) => l.kind === 'd' && l.label === u.username))
        .map((u) => ({ key: 'u' + u._id, label: u.username, kind: 'd' as const, go: () => openDirect(u.username).catch(fail) })),
    ];
    return [...local, ...more].slice(0, 20);
  }, [q, mine, remote]);
  const go = (i: number) => {
    const it = items[i];
    if (!it) return;
    close();
    it.go();
  };
  return (
    <Modal title="Jump to" onClose={close}>
      <input
        class="jump-input"
        role="combobox"
        aria-expanded="true"
        aria-controls="jump-list"
        aria-activedescendant={items[sel] ? 'jump-' + sel : undefined}
        aria-label="Room or person"
        placeholder="Room or person"
        value={q}
        onInput={(e) => {
          setQ(val(e));
          setSel(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') (e.preventDefault(), setSel(Math.min(sel + 1, items.length - 1)));
          else if (e.key === 'ArrowUp') (e.preventDefault(), setSel(Math.max(sel - 1, 0)));
          else if (e.key === 'Enter') (e.preventDefault(), go(sel));
        }}
      />
      <ul class="picker-list" id="jump-list" role="listbox">
        {items.map((it, i) => (
          <li key={it.key} id={'jump-' + i} role="option" aria-selected={i === sel} class={i === sel ? 'sel' : ''} onMouseDown={(e) => (e.preventDefault(), go(i))}>
            <span class="kind">{it.kind === 'd' ? '@' : it.kind === 'p' ? '🔒' : '#'}</span> {it.label}
          </li>
        ))}
        {!items.length && q && <li class="empty">Nothing found</li>}
      </ul>
    </Modal>
  );
}

/** UserPicker chooses usernames with autocompletion. */
export function UserPicker({ value, onChange, label = 'Members' }: { value: string[]; onChange: (v: string[]) => void; label?: string }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<User[]>([]);
  useEffect(() => {
    if (!q.trim()) return setFound([]);
    const t = setTimeout(() => rest.spotlight('@' + q.trim()).then((r) => setFound(r.users), () => {}), 150);
    return () => clearTimeout(t);
  }, [q]);
  const add = (u: string) => {
    if (!value.includes(u)) onChange([...value, u]);
    setQ('');
    setFound([]);
  };
  return (
    <div class="user-picker">
      <Field label={label}>
        <input
          value={q}
          placeholder="Type a username"
          onInput={(e) => setQ(val(e))}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (found[0]) add(found[0].username);
            }
          }}
        />
      </Field>
      {found.length > 0 && (
        <ul class="picker-list" role="listbox">
          {found.map((u) => (
            <li key={u._id} role="option" aria-selected="false" onMouseDown={(e) => (e.preventDefault(), add(u.username))}>
              <Avatar name={u.username} size={20} /> {u.username} {u.name && <small>{u.name}</small>}
            </li>
          ))}
        </ul>
      )}
      <div class="chips">
        {value.map((u) => (
          <button type="button" class="chip" key={u} onClick={() => onChange(value.filter((x) => x !== u))} aria-label={`Remove ${u}`}>
            {u} ×
          </button>
        ))}
      </div>
    </div>
  );
}

function CreateRoom({ type }: { type: 'c' | 'p' | 'team' }) {
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [priv, setPriv] = useState(type === 'p');
  const [ro, setRo] = useState(false);
  const [members, setMembers] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const title = type === 'team' ? 'Create a team' : priv ? 'Create a private group' : 'Create a channel';
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      if (type === 'team') {
        const r = await rest.post('teams.create', { name, type: priv ? 1 : 0, members: [] });
        if (members.length) {
          // teams.create takes user ids; invite by name through the main room.
          for (const username of members) await rest.post(priv ? 'groups.invite' : 'channels.invite', { roomId: r.team.roomId, username }).catch(() => {});
        }
        close();
        navigate({ name: 'room', kind: priv ? 'group' : 'channel', key: name });
        return;
      }
      const ep = priv ? 'groups.create' : 'channels.create';
      const r = await rest.post(ep, { name, members, readOnly: ro, extraData: topic ? { topic } : undefined });
      const room = r.channel ?? r.group;
      close();
      navigate({ name: 'room', kind: priv ? 'group' : 'channel', key: room?.name ?? name });
    } catch (e) {
      fail(e);
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onClose={close}>
      <form onSubmit={submit}>
        <Field label="Name" hint="Letters, digits, dashes, dots and underscores">
          <input name="name" value={name} onInput={(e) => setName(val(e).replace(/\s+/g, '-'))} required pattern="[\w.\-\p{L}]+" />
        </Field>
        {type !== 'team' && (
          <Field label="Topic">
            <input name="topic" value={topic} onInput={(e) => setTopic(val(e))} />
          </Field>
        )}
        <Toggle label="Private" checked={priv} onChange={setPriv} />
        {type !== 'team' && <Toggle label="Read-only" checked={ro} onChange={setRo} />}
        <UserPicker value={members} onChange={setMembers} />
        <div class="buttons">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button class="primary" type="submit" disabled={busy || !name}>
            Create
          </button>
        </div>
      </form>
    </Modal>
  );
}

function CreateDM() {
  const [members, setMembers] = useState<string[]>([]);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const r = await rest.post('im.create', members.length === 1 ? { username: members[0] } : { usernames: members.join(',') });
      close();
      navigate({ name: 'room', kind: 'direct', key: r.room.rid ?? r.room._id });
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Modal title="Direct message" onClose={close}>
      <form onSubmit={submit}>
        <UserPicker value={members} onChange={setMembers} label="With" />
        <div class="buttons">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button class="primary" type="submit" disabled={!members.length}>
            Open
          </button>
        </div>
      </form>
    </Modal>
  );
}

function CreateDiscussion({ prid, pmid }: { prid?: string; pmid?: string }) {
  const all = useStore(subs);
  const [parent, setParent] = useState(prid ?? '');
  const [name, setName] = useState('');
  const [reply, setReply] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const parents = [...all.values()];
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const r = await rest.post('rooms.createDiscussion', { prid: parent, t_name: name, users: members, ...(pmid ? { pmid } : {}), ...(reply ? { reply } : {}) });
      close();
      const d = r.discussion;
      navigate({ name: 'room', kind: d.t === 'p' ? 'group' : 'channel', key: d.name ?? d.rid ?? d._id });
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Modal title="Start a discussion" onClose={close}>
      <form onSubmit={submit}>
        <Field label="Parent room">
          <select value={parent} onChange={(e) => setParent(val(e))} required>
            <option value="">Choose a room</option>
            {parents.map((s) => (
              <option key={s.rid} value={s.rid}>
                {roomName(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Name">
          <input value={name} onInput={(e) => setName(val(e))} required />
        </Field>
        <UserPicker value={members} onChange={setMembers} />
        <Field label="First message">
          <textarea value={reply} onInput={(e) => setReply(val(e))} rows={3} />
        </Field>
        <div class="buttons">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button class="primary" type="submit" disabled={!parent || !name}>
            Create
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** EmojiPicker lists emoji by category with a search box. */
export function EmojiPicker({ onPick }: { onPick: (shortCode: string) => void }) {
  useStore(emojiVersion);
  const [q, setQ] = useState('');
  const [cat, setCat] = useState(0);
  const cats = emojiCategories();
  const list = q ? searchEmoji(q, 60) : (cats[cat]?.list ?? []);
  const ref = useRef<HTMLInputElement>(null);
  return (
    <div class="emoji-picker">
      <input ref={ref} aria-label="Search emoji" placeholder="Search emoji" value={q} onInput={(e) => setQ(val(e))} autoFocus />
      {!q && (
        <div class="emoji-cats" role="tablist">
          {cats.map((c, i) => (
            <button type="button" role="tab" aria-selected={i === cat} key={c.name} onClick={() => setCat(i)} title={c.name}>
              {c.list[0]?.unicode}
            </button>
          ))}
        </div>
      )}
      <div class="emoji-grid" role="listbox" aria-label="Emoji">
        {list.slice(0, 400).map((e) => (
          <button type="button" role="option" aria-selected="false" key={e.names[0]} title={`:${e.names[0]}:`} aria-label={e.names[0]} onClick={() => onPick(e.names[0])}>
            {e.unicode}
          </button>
        ))}
        {!cats.length && <p>Loading…</p>}
      </div>
    </div>
  );
}

function UserCard({ username }: { username: string }) {
  const [u, setU] = useState<User | null>(null);
  useEffect(() => {
    rest.get('users.info', { username }).then((r) => setU(r.user), fail);
  }, [username]);
  return (
    <Modal title={username} onClose={close}>
      <div class="user-card">
        <Avatar name={username} size={96} />
        <div>
          <h3>
            {u?.name || username} <StatusDot username={username} status={u?.status} />
          </h3>
          <p>@{username}</p>
          {u?.statusText && <p>{u.statusText}</p>}
          {u?.roles && <p class="muted">{u.roles.join(', ')}</p>}
          <button
            type="button"
            class="primary"
            onClick={() => {
              close();
              openDirect(username).catch(fail);
            }}
          >
            Direct message
          </button>
        </div>
      </div>
    </Modal>
  );
}

