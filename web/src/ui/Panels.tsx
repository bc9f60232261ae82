// The room's side panel: a thread, or lists about the room (members,
// threads, pinned, starred, mentions, files, search) and its settings.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { normMessage } from '../api/ejson';
import type { Message, Room, Subscription, User } from '../api/types';
import { cache, can, fail, loadThread, me, rest, toast } from '../state/app';
import { navigate, route } from '../state/route';
import { useStore } from '../state/store';
import { Avatar, bytes, Field, fullDate, Icon, StatusDot, Toggle, time, val } from './common';
import { Composer } from './Composer';
import { MessageItem } from './Message';
import { groupable } from './MessageList';
import { openModal } from './modals';

function closePanel() {
  const r = route.get();
  if (r.name === 'room') navigate({ ...r, panel: undefined, tmid: undefined });
}

function PanelFrame({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <aside class="panel" aria-label={title}>
      <header>
        <h2>{title}</h2>
        <button type="button" class="icon-btn" aria-label="Close panel" onClick={closePanel}>
          <Icon name="close" />
        </button>
      </header>
      <div class="panel-body">{children}</div>
    </aside>
  );
}

export function ThreadPanel({ rid, tmid, members }: { rid: string; tmid: string; members: User[] }) {
  const list = useStore(cache.list('t:' + tmid));
  const [editing, setEditing] = useState<Message | null>(null);
  useEffect(() => {
    void loadThread(rid, tmid);
  }, [tmid]);
  let prev: Message | undefined;
  return (
    <PanelFrame title="Thread">
      <div class="thread-messages" role="list" aria-label="Thread messages">
        {list.loading && <p role="status">Loading…</p>}
        {list.list.map((m) => {
          const g = groupable(prev, m) && prev?._id !== tmid;
          prev = m;
          return <MessageItem key={m._id} m={m} grouped={g} inThread onEdit={setEditing} />;
        })}
      </div>
      <Composer
        rid={rid}
        tmid={tmid}
        members={members}
        editing={editing}
        onEditDone={() => setEditing(null)}
        onEditLast={() => {
          const mine = [...list.list].reverse().find((m) => m.u._id === me()._id && m._id !== tmid);
          if (mine) setEditing(mine);
        }}
        placeholder="Reply in thread"
      />
    </PanelFrame>
  );
}

const titles: Record<string, string> = {
  info: 'Room information',
  members: 'Members',
  threads: 'Threads',
  pinned: 'Pinned messages',
  starred: 'Starred messages',
  mentions: 'Mentions',
  files: 'Files',
  search: 'Search messages',
};

export function Panel({ rid, room, sub, kind, members }: { rid: string; room: Room; sub?: Subscription; kind: string; members: User[] }) {
  let body: ComponentChildren;
  switch (kind) {
    case 'members':
      body = <Members rid={rid} room={room} initial={members} />;
      break;
    case 'pinned':
      body = <MessageSearch rid={rid} endpoint="chat.getPinnedMessages" empty="No pinned messages." />;
      break;
    case 'starred':
      body = <MessageSearch rid={rid} endpoint="chat.getStarredMessages" empty="No starred messages." />;
      break;
    case 'mentions':
      body = <MessageSearch rid={rid} endpoint="chat.getMentionedMessages" empty="Nobody mentioned you here." />;
      break;
    case 'threads':
      body = <Threads rid={rid} />;
      break;
    case 'files':
      body = <Files rid={rid} room={room} />;
      break;
    case 'search':
      body = <MessageSearch rid={rid} endpoint="chat.search" search empty="No messages match." />;
      break;
    default:
      body = <RoomInfo rid={rid} room={room} sub={sub} />;
  }
  return <PanelFrame title={titles[kind] ?? 'Room'}>{body}</PanelFrame>;
}

function Members({ rid, room, initial }: { rid: string; room: Room; initial: User[] }) {
  const [list, setList] = useState(initial);
  const [filter, setFilter] = useState('');
  const [adding, setAdding] = useState('');
  useEffect(() => {
    const t = setTimeout(() => {
      const ep = room.t === 'd' ? 'im.members' : room.t === 'p' ? 'groups.members' : 'channels.members';
      rest.get(ep, { roomId: rid, count: 100, filter }).then((x) => setList(x.members ?? []), () => {});
    }, 150);
    return () => clearTimeout(t);
  }, [filter, rid]);
  const canAdd = can(room.t === 'p' ? 'add-user-to-joined-room' : 'add-user-to-joined-room', rid) || can('add-user-to-any-c-room') || can('add-user-to-any-p-room');
  return (
    <>
      <input class="panel-search" aria-label="Filter members" placeholder="Filter" value={filter} onInput={(e) => setFilter(val(e))} />
      {canAdd && room.t !== 'd' && (
        <form
          class="inline-form"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              await rest.post(room.t === 'p' ? 'groups.invite' : 'channels.invite', { roomId: rid, username: adding.replace(/^@/, '') });
              setAdding('');
              setFilter('');
              toast('Member added');
            } catch (err) {
              fail(err);
            }
          }}
        >
          <input aria-label="Add member by username" placeholder="Add by username" value={adding} onInput={(e) => setAdding(val(e))} />
          <button type="submit" disabled={!adding}>
            Add
          </button>
        </form>
      )}
      <ul class="member-list">
        {list.map((u) => (
          <li key={u._id}>
            <button type="button" class="member" onClick={() => openModal({ kind: 'user', username: u.username })}>
              <span class="room-icon">
                <Avatar name={u.username} size={28} />
                <StatusDot username={u.username} status={u.status} />
              </span>
              <span>
                {u.name || u.username} <small class="muted">@{u.username}</small>
              </span>
            </button>
          </li>
        ))}
        {!list.length && <li class="empty">No members match.</li>}
      </ul>
    </>
  );
}

function MessageSearch({ rid, endpoint, empty, search }: { rid: string; endpoint: string; empty: string; search?: boolean }) {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Message[] | null>(null);
  const [err, setErr] = useState('');
  useEffect(() => {
    if (search && !q.trim()) return setItems([]);
    const t = setTimeout(
      () =>
        rest.messageList(endpoint, { roomId: rid, count: 50, ...(search ? { searchText: q } : {}) }).then(
          (p) => (setItems(p.items), setErr('')),
          (e) => setErr(e.message),
        ),
      search ? 250 : 0,
    );
    return () => clearTimeout(t);
  }, [rid, endpoint, q]);
  return (
    <>
      {search && <input class="panel-search" aria-label="Search messages" placeholder="Search messages" value={q} onInput={(e) => setQ(val(e))} autoFocus />}
      {err && (
        <p class="error" role="alert">
          {err}
        </p>
      )}
      <div role="list">
        {items?.map((m) => (
          <button type="button" class="found" key={m._id} onClick={() => jumpTo(m)}>
            <MessageItem m={m} grouped={false} inThread />
          </button>
        ))}
      </div>
      {items && !items.length && !(search && !q) && <p class="empty">{empty}</p>}
    </>
  );
}

function jumpTo(m: Message) {
  const r = route.get();
  if (r.name !== 'room') return;
  if (m.tmid) navigate({ ...r, tmid: m.tmid, panel: undefined });
  else navigate({ ...r, msg: m._id });
}

function Threads({ rid }: { rid: string }) {
  const [items, setItems] = useState<Message[] | null>(null);
  useEffect(() => {
    rest.get('chat.getThreadsList', { rid, count: 50 }).then((r) => setItems((r.threads ?? []).map(normMessage)), (e) => (fail(e), setItems([])));
  }, [rid]);
  return (
    <>
      {items?.map((m) => (
        <button type="button" class="found" key={m._id} onClick={() => navigate({ ...(route.get() as any), tmid: m._id, panel: undefined })}>
          <MessageItem m={m} grouped={false} inThread />
          <small class="muted">
            {m.tcount ?? 0} replies{m.tlm ? ` · last ${time(m.tlm)}` : ''}
          </small>
        </button>
      ))}
      {items && !items.length && <p class="empty">No threads yet.</p>}
    </>
  );
}

interface FileItem {
  _id: string;
  name: string;
  type?: string;
  size?: number;
  url?: string;
  path?: string;
  uploadedAt?: string;
  user?: { username: string };
}

function Files({ rid, room }: { rid: string; room: Room }) {
  const [items, setItems] = useState<FileItem[] | null>(null);
  const [err, setErr] = useState('');
  useEffect(() => {
    const ep = room.t === 'd' ? 'im.files' : room.t === 'p' ? 'groups.files' : 'channels.files';
    rest.get(ep, { roomId: rid, count: 50, sort: '{"uploadedAt":-1}' }).then(
      (r) => setItems(r.files ?? []),
      (e) => (setErr(e.status === 404 ? 'This server does not list files yet.' : e.message), setItems([])),
    );
  }, [rid]);
  return (
    <>
      {err && <p class="empty">{err}</p>}
      <ul class="file-list">
        {items?.map((f) => {
          const url = f.url ?? f.path ?? `/file-upload/${f._id}/${encodeURIComponent(f.name)}`;
          const img = f.type?.startsWith('image/');
          return (
            <li key={f._id}>
              {img ? (
                <button type="button" class="image-btn" onClick={() => openModal({ kind: 'image', src: url, title: f.name })} aria-label={`View ${f.name}`}>
                  <img src={url} alt="" width={48} height={48} loading="lazy" />
                </button>
              ) : (
                <Icon name="file" size={32} />
              )}
              <span>
                <a href={url} download>
                  {f.name}
                </a>
                <small class="muted">
                  {bytes(f.size)} {f.user?.username && `· @${f.user.username}`} {f.uploadedAt && `· ${fullDate(Date.parse(f.uploadedAt))}`}
                </small>
              </span>
            </li>
          );
        })}
      </ul>
      {items && !items.length && !err && <p class="empty">No files yet.</p>}
    </>
  );
}

function RoomInfo({ rid, room, sub }: { rid: string; room: Room; sub?: Subscription }) {
  const owner = (sub?.roles ?? []).includes('owner') || can('edit-room', rid);
  const [f, setF] = useState({
    name: room.name ?? '',
    topic: room.topic ?? '',
    description: room.description ?? '',
    announcement: room.announcement ?? '',
    ro: !!room.ro,
    archived: !!room.archived,
    priv: room.t === 'p',
  });
  const [busy, setBusy] = useState(false);
  const prefix = room.t === 'p' ? 'groups.' : 'channels.';
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      if (f.topic !== (room.topic ?? '')) await rest.post(prefix + 'setTopic', { roomId: rid, topic: f.topic });
      if (f.description !== (room.description ?? '')) await rest.post(prefix + 'setDescription', { roomId: rid, description: f.description });
      if (f.announcement !== (room.announcement ?? '')) await rest.post(prefix + 'setAnnouncement', { roomId: rid, announcement: f.announcement });
      if (f.ro !== !!room.ro) await rest.post(prefix + 'setReadOnly', { roomId: rid, readOnly: f.ro });
      let p = prefix;
      if (f.priv !== (room.t === 'p')) {
        await rest.post(prefix + 'setType', { roomId: rid, type: f.priv ? 'p' : 'c' });
        p = f.priv ? 'groups.' : 'channels.';
      }
      if (f.archived !== !!room.archived) await rest.post(p + (f.archived ? 'archive' : 'unarchive'), { roomId: rid });
      if (f.name && f.name !== room.name) {
        await rest.post(p + 'rename', { roomId: rid, name: f.name });
      }
      toast('Room saved');
      if ((f.name && f.name !== room.name) || f.priv !== (room.t === 'p')) navigate({ name: 'room', kind: f.priv ? 'group' : 'channel', key: f.name || room.name || rid, panel: 'info' }, true);
    } catch (err) {
      fail(err);
    }
    setBusy(false);
  };
  const leave = () =>
    openModal({
      kind: 'confirm',
      title: 'Leave room',
      text: `Leave ${room.name ?? 'this conversation'}? You can join public channels again later.`,
      action: 'Leave',
      onConfirm: async () => {
        await rest.post('rooms.leave', { roomId: rid });
        navigate({ name: 'home' });
      },
    });
  const hide = async () => {
    try {
      await rest.post('rooms.hide', { roomId: rid });
      navigate({ name: 'home' });
    } catch (e) {
      fail(e);
    }
  };
  const del = () =>
    openModal({
      kind: 'confirm',
      title: 'Delete room',
      text: 'The room and all its messages will be deleted. This cannot be undone.',
      action: 'Delete',
      onConfirm: async () => {
        await rest.post('rooms.delete', { roomId: rid });
        navigate({ name: 'home' });
      },
    });
  if (room.t === 'd' || !owner) {
    return (
      <div class="room-info">
        <Avatar name={room.t === 'd' ? (sub?.name ?? '') : rid} room={room.t !== 'd'} size={64} />
        <h3>{sub?.fname || sub?.name || room.fname || room.name}</h3>
        {room.topic && <Info label="Topic">{room.topic}</Info>}
        {room.description && <Info label="Description">{room.description}</Info>}
        {room.announcement && <Info label="Announcement">{room.announcement}</Info>}
        {room.ro && <p class="tag">Read only</p>}
        {room.archived && <p class="tag">Archived</p>}
        {room.usersCount !== undefined && <Info label="Members">{room.usersCount}</Info>}
        <div class="buttons">
          {sub && (
            <button type="button" onClick={hide}>
              Hide
            </button>
          )}
          {sub && room.t !== 'd' && (
            <button type="button" class="danger" onClick={leave}>
              Leave
            </button>
          )}
        </div>
      </div>
    );
  }
  return (
    <form class="room-info" onSubmit={save} aria-label="Room settings">
      <Field label="Name">
        <input value={f.name} onInput={(e) => setF({ ...f, name: val(e) })} />
      </Field>
      <Field label="Topic">
        <input value={f.topic} onInput={(e) => setF({ ...f, topic: val(e) })} />
      </Field>
      <Field label="Description">
        <textarea rows={2} value={f.description} onInput={(e) => setF({ ...f, description: val(e) })} />
      </Field>
      <Field label="Announcement">
        <textarea rows={2} value={f.announcement} onInput={(e) => setF({ ...f, announcement: val(e) })} />
      </Field>
      <Toggle label="Private" checked={f.priv} onChange={(v) => setF({ ...f, priv: v })} />
      <Toggle label="Read only" checked={f.ro} onChange={(v) => setF({ ...f, ro: v })} />
      <Toggle label="Archived" checked={f.archived} onChange={(v) => setF({ ...f, archived: v })} />
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>
          Save
        </button>
      </div>
      <hr />
      <div class="buttons">
        <button type="button" onClick={hide}>
          Hide
        </button>
        <button type="button" onClick={leave}>
          Leave
        </button>
        {can('delete-' + (room.t === 'p' ? 'p' : 'c'), rid) && (
          <button type="button" class="danger" onClick={del}>
            Delete
          </button>
        )}
      </div>
    </form>
  );
}

function Info({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="info-row">
      <span class="label">{label}</span>
      <span>{children}</span>
    </div>
  );
}

