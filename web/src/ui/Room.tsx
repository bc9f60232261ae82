// A room on screen: its header, conversation and composer, and a side
// panel (thread, members, pinned, starred, mentions, files, search, info).
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import type { Message, Room, Subscription, User } from '../api/types';
import { cache, closeRoom, currentRoom, fail, loadOlder, openRoom, me, rest, roomName, rooms, session, subs, watchRoom, conn, roomRoute } from '../state/app';
import { navigate, type Route } from '../state/route';
import { pageSize } from '../state/messages';
import { mapSet, useStore } from '../state/store';
import { uploadFile } from '../state/upload';
import { Avatar, Icon, StatusDot } from './common';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { Panel, ThreadPanel } from './Panels';

type RoomRoute = Extract<Route, { name: 'room' }>;

/** resolve finds the room a route names: a subscription, or a public room to preview. */
function useResolved(r: RoomRoute): { rid?: string; room?: Room; error?: string } {
  const all = useStore(subs);
  const roomMap = useStore(rooms);
  const [fetched, setFetched] = useState<{ key: string; room?: Room; error?: string } | null>(null);
  let sub: Subscription | undefined;
  if (r.kind === 'direct') sub = all.get(r.key) ?? [...all.values()].find((s) => s.t === 'd' && s.name === r.key);
  else sub = [...all.values()].find((s) => s.t !== 'd' && s.name === r.key) ?? all.get(r.key);
  const rid = sub?.rid;
  useEffect(() => {
    if (rid || fetched?.key === r.key) return;
    let live = true;
    (async () => {
      try {
        if (r.kind === 'direct') {
          const res = await rest.post('im.create', { username: r.key });
          if (live) navigate({ ...r, key: res.room.rid ?? res.room._id }, true);
          return;
        }
        const room = await rest.roomInfo({ roomName: r.key }).catch(() => rest.roomInfo({ roomId: r.key }));
        if (live) setFetched({ key: r.key, room });
      } catch (e) {
        if (live) setFetched({ key: r.key, error: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      live = false;
    };
  }, [r.key, rid]);
  if (rid) return { rid, room: roomMap.get(rid) ?? fetched?.room };
  if (fetched?.key === r.key) return { rid: fetched.room?._id, room: fetched.room, error: fetched.error };
  return {};
}

export function RoomView({ r }: { r: RoomRoute }) {
  const { rid, room, error } = useResolved(r);
  if (error)
    return (
      <main class="room empty-state">
        <p role="alert">This room does not exist, or you may not see it.</p>
      </main>
    );
  if (!rid) return <main class="room empty-state" aria-busy="true" />;
  return <RoomMain key={rid} rid={rid} room={room} r={r} />;
}

function RoomMain({ rid, room, r }: { rid: string; room?: Room; r: RoomRoute }) {
  const sub = useStore(subs, (s) => s.get(rid));
  const list = useStore(cache.list(rid));
  const connected = useStore(conn, (c) => c.state === 'connected');
  const myId = useStore(session, (s) => s.me?._id);
  const [editing, setEditing] = useState<Message | null>(null);
  const [members, setMembers] = useState<User[]>([]);
  const [drag, setDrag] = useState(false);
  const [info, setInfo] = useState<Room | undefined>(room);

  useEffect(() => {
    currentRoom.set(rid);
    return () => {
      currentRoom.set(null);
      closeRoom(rid);
    };
  }, [rid]);

  // A layout effect, so that the unread marker is placed before the list's
  // own effects mark the room read.
  useLayoutEffect(() => {
    if (connected) openRoom(rid);
  }, [rid, connected]);

  useEffect(() => (connected ? watchRoom(rid) : undefined), [rid, connected]);

  // A link to a message older than the loaded page: load older pages
  // (at most ten) until it is there, so that the list stays contiguous.
  useEffect(() => {
    if (!r.msg || !list.loaded || list.loading || !list.hasMore) return;
    if (list.list.some((m) => m._id === r.msg) || list.list.length > pageSize * 10) return;
    void loadOlder(rid);
  }, [r.msg, list.loaded, list.loading, list.list.length]);

  useEffect(() => {
    // Fresh details (topic, read-only) and the member list for mentions.
    rest.roomInfo({ roomId: rid }).then((x) => {
      setInfo(x);
      if (sub) rooms.set((m) => mapSet(m, rid, { ...m.get(rid), ...x }));
    }, () => {});
    const t = room?.t ?? sub?.t;
    const ep = t === 'd' ? 'im.members' : t === 'p' ? 'groups.members' : 'channels.members';
    rest.get(ep, { roomId: rid, count: 100 }).then((x) => setMembers(x.members ?? []), () => {});
  }, [rid]);

  const cur = { ...info, ...room } as Room;
  const t = cur.t ?? sub?.t;
  const name = sub ? roomName(sub) : roomName(cur);
  const joined = !!sub;
  const readOnly = cur.ro && !(sub?.roles ?? []).some((x) => x === 'owner' || x === 'moderator');
  const editLast = () => {
    const mine = [...list.list].reverse().find((m) => m.u._id === myId && !m.t && !m.tmid);
    if (mine) setEditing(mine);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDrag(false);
    for (const f of [...(e.dataTransfer?.files ?? [])]) void uploadFile(rid, f);
  };

  const panel = r.tmid ? <ThreadPanel rid={rid} tmid={r.tmid} members={members} /> : r.panel ? <Panel rid={rid} room={cur} sub={sub} kind={r.panel} members={members} /> : null;

  return (
    <div class={'room-layout' + (panel ? ' with-panel' : '')}>
      <main
        class={'room' + (drag ? ' dragging' : '')}
        aria-label={name}
        onDragOver={(e) => {
          if (e.dataTransfer?.types.includes('Files')) {
            e.preventDefault();
            setDrag(true);
          }
        }}
        onDragLeave={(e) => e.currentTarget === e.target && setDrag(false)}
        onDrop={onDrop}
      >
        <RoomHeader rid={rid} room={cur} sub={sub} name={name} r={r} />
        {cur.announcement && <div class="announcement">{cur.announcement}</div>}
        <MessageList rid={rid} list={list} onEdit={setEditing} highlight={r.msg} />
        {!joined ? (
          <JoinBar rid={rid} room={cur} />
        ) : (
          <Composer
            rid={rid}
            editing={editing}
            onEditDone={() => setEditing(null)}
            onEditLast={editLast}
            members={members}
            placeholder={`Message ${t === 'd' ? '@' : '#'}${name}`}
            disabled={cur.archived ? 'This room is archived.' : readOnly ? 'This room is read only.' : undefined}
          />
        )}
        {drag && <div class="drop-hint">Drop files to upload to {name}</div>}
      </main>
      {panel}
    </div>
  );
}

function JoinBar({ rid, room }: { rid: string; room: Room }) {
  const [busy, setBusy] = useState(false);
  return (
    <div class="composer join-bar">
      <span>You are previewing #{room.name}.</span>
      <button
        type="button"
        class="primary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await rest.post('channels.join', { roomId: rid });
          } catch (e) {
            fail(e);
            setBusy(false);
          }
        }}
      >
        Join
      </button>
    </div>
  );
}

const panels: { id: string; label: string; icon: string; dm?: boolean }[] = [
  { id: 'info', label: 'Room information', icon: 'info', dm: true },
  { id: 'members', label: 'Members', icon: 'members' },
  { id: 'threads', label: 'Threads', icon: 'thread', dm: true },
  { id: 'pinned', label: 'Pinned messages', icon: 'pin', dm: true },
  { id: 'starred', label: 'Starred messages', icon: 'star', dm: true },
  { id: 'mentions', label: 'Mentions', icon: 'at' },
  { id: 'files', label: 'Files', icon: 'file', dm: true },
  { id: 'search', label: 'Search messages', icon: 'search', dm: true },
];

function RoomHeader({ rid, room, sub, name, r }: { rid: string; room: Room; sub?: Subscription; name: string; r: RoomRoute }) {
  const t = room.t ?? sub?.t;
  const other = t === 'd' ? sub?.name ?? room.usernames?.find((u) => u !== me().username) : undefined;
  const toggle = (id: string) => navigate({ ...roomRoute(sub ?? room), key: r.key, panel: r.panel === id ? undefined : id, tmid: undefined });
  return (
    <header class="room-header">
      <button type="button" class="icon-btn mobile-only" aria-label="Back to rooms" onClick={() => navigate({ name: 'home' })}>
        <Icon name="back" />
      </button>
      {other ? (
        <span class="room-icon">
          <Avatar name={other} size={28} />
          <StatusDot username={other} />
        </span>
      ) : (
        <Icon name={room.teamMain ? 'team' : room.prid ? 'discussion' : t === 'p' ? 'lock' : 'hash'} />
      )}
      <div class="title">
        <h1>{name}</h1>
        {room.topic && <p class="topic">{room.topic}</p>}
      </div>
      <div class="header-actions" role="toolbar" aria-label="Room actions">
        {sub && (
          <button
            type="button"
            class={'icon-btn' + (sub.f ? ' on' : '')}
            aria-pressed={!!sub.f}
            aria-label={sub.f ? 'Remove from favorites' : 'Add to favorites'}
            title={sub.f ? 'Remove from favorites' : 'Add to favorites'}
            onClick={() => {
              subs.set((m) => mapSet(m, rid, { ...sub, f: !sub.f }));
              rest.post('rooms.favorite', { roomId: rid, favorite: !sub.f }).catch(fail);
            }}
          >
            <Icon name="star" />
          </button>
        )}
        {panels
          .filter((p) => t !== 'd' || p.dm)
          .map((p) => (
            <button type="button" key={p.id} class={'icon-btn' + (r.panel === p.id ? ' on' : '')} aria-pressed={r.panel === p.id} aria-label={p.label} title={p.label} onClick={() => toggle(p.id)}>
              <Icon name={p.icon} />
            </button>
          ))}
      </div>
    </header>
  );
}
