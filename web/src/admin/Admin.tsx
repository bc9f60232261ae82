// Administration, loaded as its own chunk: server information, users,
// rooms, settings (grouped, env-locked ones read-only), permissions by
// role and integrations (webhooks). Everything goes through the public API an admin client may call.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Permission, Role, Room, Setting, User } from '../api/types';
import { ddp, fail, rest, toast } from '../state/app';
import { navigate } from '../state/route';
import { Field, Icon, Modal, Toggle, fullDate, val } from '../ui/common';
import { openModal } from '../ui/modals';
import { Integrations } from './Integrations';

const tabs: [string, string][] = [
  ['info', 'Info'],
  ['users', 'Users'],
  ['rooms', 'Rooms'],
  ['settings', 'Settings'],
  ['permissions', 'Permissions'],
  ['integrations', 'Integrations'],
];

export function Admin({ tab }: { tab: string }) {
  let body: ComponentChildren;
  switch (tab) {
    case 'users':
      body = <Users />;
      break;
    case 'rooms':
      body = <Rooms />;
      break;
    case 'settings':
      body = <Settings />;
      break;
    case 'permissions':
      body = <Permissions />;
      break;
    case 'integrations':
      body = <Integrations />;
      break;
    default:
      body = <Info />;
  }
  return (
    <main class="page admin" aria-label="Administration">
      <header class="page-header">
        <button type="button" class="icon-btn mobile-only" aria-label="Back to rooms" onClick={() => navigate({ name: 'home' })}>
          <Icon name="back" />
        </button>
        <h1>Administration</h1>
      </header>
      <div class="tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button type="button" role="tab" key={id} aria-selected={tab === id} onClick={() => navigate({ name: 'admin', tab: id })}>
            {label}
          </button>
        ))}
      </div>
      {body}
    </main>
  );
}

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [d && `${d} d`, (d || h) && `${h} h`, `${m} min`].filter(Boolean).join(' ');
}

function Info() {
  const [info, setInfo] = useState<any>(null);
  const [counts, setCounts] = useState<Record<string, number | string>>({});
  useEffect(() => {
    rest.request('GET', 'info').then(setInfo, fail);
    const count = (ep: string, q: Record<string, string | number> = {}) => rest.get(ep, { count: 1, ...q }).then((r) => r.total as number, () => '—');
    Promise.all([count('users.list'), count('channels.list'), count('groups.listAll'), rest.get('instances.get').then((r) => (r.instances ?? []).length || 1, () => '—')]).then(
      ([users, channels, groups, instances]) => setCounts({ users, channels, groups, instances }),
    );
  }, []);
  const started = info?.info?.build?.date ? Date.parse(info.info.build.date) : 0;
  return (
    <dl class="info-grid">
      <dt>Version</dt>
      <dd>{info?.version ?? '…'}</dd>
      <dt>Running since</dt>
      <dd>{started ? `${fullDate(started)} (${duration(Date.now() - started)})` : '…'}</dd>
      <dt>Platform</dt>
      <dd>{info?.info?.build ? `${info.info.build.platform}/${info.info.build.arch}, ${info.info.build.cpus} CPUs, ${info.info.build.nodeVersion}` : '…'}</dd>
      <dt>Instances</dt>
      <dd>{counts.instances ?? '…'}</dd>
      <dt>Users</dt>
      <dd>{counts.users ?? '…'}</dd>
      <dt>Channels</dt>
      <dd>{counts.channels ?? '…'}</dd>
      <dt>Private groups</dt>
      <dd>{counts.groups ?? '…'}</dd>
    </dl>
  );
}

function Users() {
  const [q, setQ] = useState('');
  const [list, setList] = useState<User[]>([]);
  const [total, setTotal] = useState(0);
  const [edit, setEdit] = useState<User | 'new' | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setTimeout(() => {
      const query = q ? JSON.stringify({ $or: [{ username: { $regex: q, $options: 'i' } }, { name: { $regex: q, $options: 'i' } }] }) : undefined;
      rest.users({ count: 100, sort: '{"username":1}', query }).then((p) => (setList(p.items), setTotal(p.total)), fail);
    }, 150);
    return () => clearTimeout(t);
  }, [q, tick]);
  return (
    <>
      <div class="toolbar">
        <input class="page-search" aria-label="Search users" placeholder="Search users" value={q} onInput={(e) => setQ(val(e))} />
        <button type="button" class="primary" onClick={() => setEdit('new')}>
          <Icon name="plus" /> New user
        </button>
      </div>
      <p class="muted">{total} users</p>
      <table class="table">
        <thead>
          <tr>
            <th>Username</th>
            <th>Name</th>
            <th>Email</th>
            <th>Roles</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {list.map((u) => (
            <tr key={u._id}>
              <td>
                <button type="button" class="linklike" onClick={() => setEdit(u)}>
                  {u.username}
                </button>
              </td>
              <td>{u.name}</td>
              <td>{u.emails?.[0]?.address}</td>
              <td>{u.roles?.join(', ')}</td>
              <td>{u.active === false ? 'Deactivated' : (u.status ?? 'offline')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {edit && <UserEditor user={edit === 'new' ? null : edit} onClose={() => (setEdit(null), setTick(tick + 1))} />}
    </>
  );
}

function UserEditor({ user, onClose }: { user: User | null; onClose: () => void }) {
  const [f, setF] = useState({
    username: user?.username ?? '',
    name: user?.name ?? '',
    email: user?.emails?.[0]?.address ?? '',
    password: '',
    roles: (user?.roles ?? ['user']).join(', '),
    active: user?.active !== false,
  });
  const [busy, setBusy] = useState(false);
  const roles = () => f.roles.split(',').map((r) => r.trim()).filter(Boolean);
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      if (!user) {
        await rest.post('users.create', { username: f.username, name: f.name, email: f.email, password: f.password, roles: roles(), active: f.active, verified: true, joinDefaultChannels: true });
      } else {
        const data: Record<string, unknown> = { username: f.username, name: f.name, email: f.email, roles: roles(), active: f.active };
        if (f.password) data.password = f.password;
        await rest.post('users.update', { userId: user._id, data });
      }
      toast(user ? 'User saved' : 'User created');
      onClose();
    } catch (err) {
      fail(err);
      setBusy(false);
    }
  };
  return (
    <Modal title={user ? `Edit ${user.username}` : 'New user'} onClose={onClose}>
      <form onSubmit={save}>
        <Field label="Username">
          <input value={f.username} onInput={(e) => setF({ ...f, username: val(e) })} required />
        </Field>
        <Field label="Name">
          <input value={f.name} onInput={(e) => setF({ ...f, name: val(e) })} />
        </Field>
        <Field label="Email">
          <input type="email" value={f.email} onInput={(e) => setF({ ...f, email: val(e) })} required />
        </Field>
        <Field label={user ? 'New password' : 'Password'}>
          <input type="password" autoComplete="new-password" value={f.password} onInput={(e) => setF({ ...f, password: val(e) })} required={!user} />
        </Field>
        <Field label="Roles" hint="Comma separated, e.g. user, admin">
          <input value={f.roles} onInput={(e) => setF({ ...f, roles: val(e) })} />
        </Field>
        <Toggle label="Active" checked={f.active} onChange={(v) => setF({ ...f, active: v })} />
        <div class="buttons">
          {user && (
            <button
              type="button"
              class="danger"
              onClick={() =>
                openModal({
                  kind: 'confirm',
                  title: 'Delete user',
                  text: `Delete ${user.username}? This cannot be undone.`,
                  action: 'Delete',
                  onConfirm: async () => {
                    await rest.post('users.delete', { userId: user._id, confirmRelinquish: true });
                    onClose();
                  },
                })
              }
            >
              Delete
            </button>
          )}
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}

function Rooms() {
  const [q, setQ] = useState('');
  const [list, setList] = useState<Room[]>([]);
  const [edit, setEdit] = useState<Room | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    // rooms.adminRooms when the server has it; else channels and groups.
    rest.get('rooms.adminRooms', { filter: q, count: 100 }).then(
      (r) => setList(r.rooms ?? []),
      async () => {
        const [c, p] = await Promise.all([
          rest.get('channels.list', { count: 100 }).catch(() => ({ channels: [] })),
          rest.get('groups.listAll', { count: 100 }).catch(() => ({ groups: [] })),
        ]);
        const all: Room[] = [...(c.channels ?? []), ...(p.groups ?? [])];
        setList(all.filter((r) => !q || (r.name ?? '').toLowerCase().includes(q.toLowerCase())));
      },
    );
  }, [q, tick]);
  return (
    <>
      <input class="page-search" aria-label="Search rooms" placeholder="Search rooms" value={q} onInput={(e) => setQ(val(e))} />
      <table class="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Members</th>
            <th>Messages</th>
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r._id}>
              <td>
                <button type="button" class="linklike" onClick={() => setEdit(r)}>
                  {r.fname || r.name || r._id}
                </button>
              </td>
              <td>{r.t === 'p' ? 'Private' : r.t === 'd' ? 'Direct' : 'Public'}</td>
              <td>{r.usersCount}</td>
              <td>{r.msgs}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {edit && <RoomEditor room={edit} onClose={() => (setEdit(null), setTick(tick + 1))} />}
    </>
  );
}

function RoomEditor({ room, onClose }: { room: Room; onClose: () => void }) {
  const [f, setF] = useState({ name: room.name ?? '', topic: room.topic ?? '', ro: !!room.ro, archived: !!room.archived });
  const p = room.t === 'p' ? 'groups.' : 'channels.';
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      if (f.topic !== (room.topic ?? '')) await rest.post(p + 'setTopic', { roomId: room._id, topic: f.topic });
      if (f.ro !== !!room.ro) await rest.post(p + 'setReadOnly', { roomId: room._id, readOnly: f.ro });
      if (f.archived !== !!room.archived) await rest.post(p + (f.archived ? 'archive' : 'unarchive'), { roomId: room._id });
      if (f.name !== room.name) await rest.post(p + 'rename', { roomId: room._id, name: f.name });
      toast('Room saved');
      onClose();
    } catch (err) {
      fail(err);
    }
  };
  return (
    <Modal title={`Edit ${room.name ?? room._id}`} onClose={onClose}>
      <form onSubmit={save}>
        {room.t !== 'd' && (
          <>
            <Field label="Name">
              <input value={f.name} onInput={(e) => setF({ ...f, name: val(e) })} />
            </Field>
            <Field label="Topic">
              <input value={f.topic} onInput={(e) => setF({ ...f, topic: val(e) })} />
            </Field>
            <Toggle label="Read only" checked={f.ro} onChange={(v) => setF({ ...f, ro: v })} />
            <Toggle label="Archived" checked={f.archived} onChange={(v) => setF({ ...f, archived: v })} />
          </>
        )}
        <div class="buttons">
          <button
            type="button"
            class="danger"
            onClick={() =>
              openModal({
                kind: 'confirm',
                title: 'Delete room',
                text: `Delete ${room.name ?? 'this room'} and all its messages?`,
                action: 'Delete',
                onConfirm: async () => {
                  await rest.post('rooms.delete', { roomId: room._id });
                  onClose();
                },
              })
            }
          >
            Delete
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary">
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** loadSettings asks for full settings (type, group, env lock) over DDP, falling back to ids and values over REST. */
async function loadSettings(): Promise<{ list: Setting[]; full: boolean }> {
  try {
    const r = await ddp!.call<any>('private-settings/get');
    const list: Setting[] = Array.isArray(r) ? r : (r?.update ?? []);
    if (list.length) return { list, full: true };
  } catch {
    /* not offered by this server */
  }
  const list: Setting[] = [];
  for (let offset = 0; ; offset += 100) {
    const r = await rest.get('settings', { count: 100, offset, includeDefaults: true });
    list.push(...(r.settings ?? []));
    if (!r.settings?.length || list.length >= r.total) break;
  }
  return { list, full: false };
}

function Settings() {
  const [data, setData] = useState<{ list: Setting[]; full: boolean } | null>(null);
  const [group, setGroup] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    loadSettings().then(setData, fail);
  }, []);
  const groups = useMemo(() => {
    const m = new Map<string, Setting[]>();
    for (const s of data?.list ?? []) {
      if (s.hidden) continue;
      const g = s.group || s._id.split('_')[0];
      if (!m.has(g)) m.set(g, []);
      m.get(g)!.push(s);
    }
    return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [data]);
  const current = group || groups[0]?.[0];
  const shown = q ? (data?.list ?? []).filter((s) => s._id.toLowerCase().includes(q.toLowerCase())) : (groups.find(([g]) => g === current)?.[1] ?? []);
  return (
    <div class="settings-admin">
      <nav aria-label="Setting groups" class="setting-groups">
        <input aria-label="Search settings" placeholder="Search settings" value={q} onInput={(e) => setQ(val(e))} />
        {groups.map(([g, l]) => (
          <button type="button" key={g} aria-current={g === current && !q} onClick={() => (setGroup(g), setQ(''))}>
            {g} <small>{l.length}</small>
          </button>
        ))}
      </nav>
      <div class="setting-list">
        {!data && <p role="status">Loading…</p>}
        {data && !data.full && <p class="muted">This server does not describe its settings (private-settings/get); types are inferred from values.</p>}
        {shown.map((s) => (
          <SettingRow key={s._id} s={s} />
        ))}
      </div>
    </div>
  );
}

function SettingRow({ s }: { s: Setting }) {
  const [v, setV] = useState<unknown>(s.value);
  const [saved, setSaved] = useState<unknown>(s.value);
  const locked = !!(s.env || s.blocked || s.readonly);
  const type = s.type ?? (typeof s.value === 'boolean' ? 'boolean' : typeof s.value === 'number' ? 'int' : 'string');
  const id = 'set-' + s._id;
  const save = async (value: unknown) => {
    try {
      await rest.post(`settings/${encodeURIComponent(s._id)}`, { value });
      setSaved(value);
      toast(`${s._id} saved`);
    } catch (e) {
      fail(e);
      setV(saved);
    }
  };
  let control: ComponentChildren;
  if (type === 'boolean') {
    control = (
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={!!v}
        disabled={locked}
        onChange={(e) => {
          const nv = (e.target as HTMLInputElement).checked;
          setV(nv);
          void save(nv);
        }}
      />
    );
  } else if (type === 'select' && s.values) {
    control = (
      <select id={id} value={String(v)} disabled={locked} onChange={(e) => (setV(val(e)), save(val(e)))}>
        {s.values.map((o) => (
          <option key={o.key} value={o.key}>
            {o.i18nLabel || o.key}
          </option>
        ))}
      </select>
    );
  } else {
    const numeric = type === 'int';
    control = (
      <span class="setting-edit">
        <input
          id={id}
          type={(numeric ? 'number' : type === 'password' ? 'password' : 'text') as 'text'}
          value={v == null ? '' : String(v)}
          disabled={locked}
          onInput={(e) => setV(numeric ? Number(val(e)) : val(e))}
        />
        {v !== saved && (
          <button type="button" class="primary" onClick={() => save(v)}>
            Save
          </button>
        )}
      </span>
    );
  }
  return (
    <div class={'setting-row' + (locked ? ' locked' : '')}>
      <label for={id}>
        <strong>{s.i18nLabel && s.i18nLabel !== s._id ? s.i18nLabel.replace(/_/g, ' ') : s._id.replace(/_/g, ' ')}</strong>
        <code>{s._id}</code>
        {locked && <span class="tag">Locked by environment (OVERWRITE_SETTING_{s._id})</span>}
      </label>
      {control}
    </div>
  );
}

function Permissions() {
  const [perms, setPerms] = useState<Permission[]>([]);
  const [roles, setRoles] = useState<Role[]>([]);
  const [q, setQ] = useState('');
  useEffect(() => {
    Promise.all([rest.permissions(), rest.roles()]).then(([p, r]) => (setPerms(p), setRoles(r)), fail);
  }, []);
  const toggle = async (p: Permission, role: string) => {
    const next = p.roles.includes(role) ? p.roles.filter((r) => r !== role) : [...p.roles, role];
    try {
      await rest.post('permissions.update', { permissions: [{ _id: p._id, roles: next }] });
      setPerms((list) => list.map((x) => (x._id === p._id ? { ...x, roles: next } : x)));
    } catch (e) {
      fail(e);
    }
  };
  const shown = perms.filter((p) => !q || p._id.includes(q.toLowerCase()));
  return (
    <>
      <input class="page-search" aria-label="Search permissions" placeholder="Search permissions" value={q} onInput={(e) => setQ(val(e))} />
      <div class="table-scroll">
        <table class="table perms">
          <thead>
            <tr>
              <th>Permission</th>
              {roles.map((r) => (
                <th key={r._id} scope="col">
                  {r.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p._id}>
                <th scope="row">{p._id}</th>
                {roles.map((r) => (
                  <td key={r._id}>
                    <input type="checkbox" aria-label={`${p._id} for ${r.name}`} checked={p.roles.includes(r._id)} onChange={() => toggle(p, r._id)} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
