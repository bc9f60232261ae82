// The directory of channels, users and teams (GET /api/v1/directory).
import { useEffect, useState } from 'preact/hooks';
import { fail, openDirect, rest } from '../state/app';
import { navigate } from '../state/route';
import { Avatar, Icon, StatusDot, val } from './common';

const tabs = [
  { id: 'channels', label: 'Channels' },
  { id: 'users', label: 'Users' },
  { id: 'teams', label: 'Teams' },
];

export function Directory({ tab }: { tab: string }) {
  const [text, setText] = useState('');
  const [items, setItems] = useState<any[]>([]);
  const [total, setTotal] = useState(0);
  useEffect(() => {
    const t = setTimeout(() => {
      rest.get('directory', { query: JSON.stringify({ text, type: tab }), count: 50, sort: tab === 'users' ? '{"username":1}' : '{"name":1}' }).then(
        (r) => {
          setItems(r.result ?? []);
          setTotal(r.total ?? 0);
        },
        fail,
      );
    }, 150);
    return () => clearTimeout(t);
  }, [text, tab]);
  return (
    <main class="page" aria-label="Directory">
      <header class="page-header">
        <button type="button" class="icon-btn mobile-only" aria-label="Back to rooms" onClick={() => navigate({ name: 'home' })}>
          <Icon name="back" />
        </button>
        <h1>Directory</h1>
      </header>
      <div class="tabs" role="tablist">
        {tabs.map((t) => (
          <button type="button" role="tab" key={t.id} aria-selected={t.id === tab} onClick={() => navigate({ name: 'directory', tab: t.id })}>
            {t.label}
          </button>
        ))}
      </div>
      <input class="page-search" aria-label="Search the directory" placeholder="Search" value={text} onInput={(e) => setText(val(e))} />
      <p class="muted">{total} found</p>
      <table class="table">
        <thead>
          <tr>
            <th>Name</th>
            {tab === 'users' ? <th>Username</th> : <th>Topic</th>}
            {tab !== 'users' && <th>Members</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((x) => (
            <tr key={x._id}>
              <td>
                {tab === 'users' ? (
                  <button type="button" class="linklike" onClick={() => openDirect(x.username).catch(fail)}>
                    <span class="room-icon">
                      <Avatar name={x.username} size={24} />
                      <StatusDot username={x.username} status={x.status} />
                    </span>{' '}
                    {x.name || x.username}
                  </button>
                ) : (
                  <a
                    href={`/${x.t === 'p' ? 'group' : 'channel'}/${encodeURIComponent(x.name)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ name: 'room', kind: x.t === 'p' ? 'group' : 'channel', key: x.name });
                    }}
                  >
                    <Icon name={x.teamMain ? 'team' : x.t === 'p' ? 'lock' : 'hash'} size={14} /> {x.fname || x.name}
                  </a>
                )}
              </td>
              <td>{tab === 'users' ? '@' + x.username : x.topic}</td>
              {tab !== 'users' && <td>{x.usersCount ?? ''}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
