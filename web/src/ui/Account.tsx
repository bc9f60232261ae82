// Your account: profile (name, username, email, password, avatar) and the
// preferences Rocket.Chat keeps in settings.preferences.
import { useState } from 'preact/hooks';
import type { Preferences } from '../api/types';
import { fail, refreshMe, rest, savePreferences, session, toast } from '../state/app';
import { navigate } from '../state/route';
import { useStore } from '../state/store';
import { Avatar, Field, Icon, Toggle, val } from './common';

export function Account({ tab }: { tab: string }) {
  return (
    <main class="page" aria-label="Account">
      <header class="page-header">
        <button type="button" class="icon-btn mobile-only" aria-label="Back to rooms" onClick={() => navigate({ name: 'home' })}>
          <Icon name="back" />
        </button>
        <h1>Account</h1>
      </header>
      <div class="tabs" role="tablist">
        {[
          ['profile', 'Profile'],
          ['preferences', 'Preferences'],
        ].map(([id, label]) => (
          <button type="button" role="tab" key={id} aria-selected={tab === id} onClick={() => navigate({ name: 'account', tab: id })}>
            {label}
          </button>
        ))}
      </div>
      {tab === 'preferences' ? <PreferencesForm /> : <Profile />}
    </main>
  );
}

function Profile() {
  const u = useStore(session, (s) => s.me)!;
  const [f, setF] = useState({ name: u.name ?? '', username: u.username, email: u.emails?.[0]?.address ?? u.email ?? '', currentPassword: '', newPassword: '' });
  const [busy, setBusy] = useState(false);
  const [avatarKey, setAvatarKey] = useState(0);
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const data: Record<string, string> = {};
      if (f.name !== (u.name ?? '')) data.name = f.name;
      if (f.username !== u.username) data.username = f.username;
      if (f.email !== (u.emails?.[0]?.address ?? u.email ?? '')) data.email = f.email;
      if (f.newPassword) data.newPassword = f.newPassword;
      if (f.currentPassword) data.currentPassword = f.currentPassword;
      await rest.post('users.updateOwnBasicInfo', { data });
      await refreshMe();
      setF({ ...f, currentPassword: '', newPassword: '' });
      toast('Profile saved');
    } catch (err) {
      fail(err);
    }
    setBusy(false);
  };
  const upload = async (file: File) => {
    const form = new FormData();
    form.append('image', file, file.name);
    try {
      await rest.upload('users.setAvatar', form);
      setAvatarKey(Date.now());
      await refreshMe();
      toast('Avatar changed');
    } catch (e) {
      fail(e);
    }
  };
  const needsPassword = f.newPassword !== '' || f.email !== (u.emails?.[0]?.address ?? u.email ?? '');
  return (
    <form class="form" onSubmit={save} aria-label="Profile">
      <div class="avatar-edit">
        <Avatar name={u.username} size={96} etag={String(avatarKey || u.avatarETag || '')} />
        <label class="button">
          Change avatar
          <input type="file" accept="image/*" hidden onChange={(e) => (e.target as HTMLInputElement).files?.[0] && upload((e.target as HTMLInputElement).files![0])} />
        </label>
      </div>
      <Field label="Name">
        <input autoComplete="name" value={f.name} onInput={(e) => setF({ ...f, name: val(e) })} />
      </Field>
      <Field label="Username">
        <input autoComplete="username" value={f.username} onInput={(e) => setF({ ...f, username: val(e) })} />
      </Field>
      <Field label="Email">
        <input type="email" autoComplete="email" value={f.email} onInput={(e) => setF({ ...f, email: val(e) })} />
      </Field>
      <Field label="New password">
        <input type="password" autoComplete="new-password" value={f.newPassword} onInput={(e) => setF({ ...f, newPassword: val(e) })} />
      </Field>
      {needsPassword && (
        <Field label="Current password" hint="Needed to change your email or password">
          <input type="password" autoComplete="current-password" value={f.currentPassword} onInput={(e) => setF({ ...f, currentPassword: val(e) })} required />
        </Field>
      )}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>
          Save profile
        </button>
      </div>
    </form>
  );
}

function PreferencesForm() {
  const p = useStore(session, (s) => s.me?.settings?.preferences ?? {});
  const set = (k: keyof Preferences) => (v: unknown) => savePreferences({ [k]: v } as Preferences).catch(fail);
  const [perm, setPerm] = useState(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);
  return (
    <div class="form" aria-label="Preferences">
      <h2>Appearance</h2>
      <Field label="Theme">
        <select value={p.themeAppearence ?? 'auto'} onChange={(e) => set('themeAppearence')(val(e))}>
          <option value="auto">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </Field>
      <Toggle label="Show avatars" checked={p.displayAvatars !== false} onChange={set('displayAvatars')} />
      <h2>Sidebar</h2>
      <Toggle label="Group by type" checked={p.sidebarGroupByType !== false} onChange={set('sidebarGroupByType')} />
      <Toggle label="Show favorites" checked={p.sidebarShowFavorites !== false} onChange={set('sidebarShowFavorites')} />
      <Toggle label="Show unread rooms first" checked={!!p.sidebarShowUnread} onChange={set('sidebarShowUnread')} />
      <Field label="Sort by">
        <select value={p.sidebarSortby ?? 'activity'} onChange={(e) => set('sidebarSortby')(val(e))}>
          <option value="activity">Activity</option>
          <option value="alphabetical">Name</option>
        </select>
      </Field>
      <h2>Messages</h2>
      <Field label="Enter key">
        <select value={p.sendOnEnter ?? 'normal'} onChange={(e) => set('sendOnEnter')(val(e))}>
          <option value="normal">Enter sends, Shift+Enter adds a line</option>
          <option value="alternative">Ctrl/Shift+Enter sends, Enter adds a line</option>
        </select>
      </Field>
      <Toggle label="Show thread replies in the room" checked={!!p.showThreadsInMainChannel} onChange={set('showThreadsInMainChannel')} />
      <h2>Notifications</h2>
      <Field label="Desktop notifications">
        <select value={p.desktopNotifications ?? 'default'} onChange={(e) => set('desktopNotifications')(val(e))}>
          <option value="default">Direct messages and mentions</option>
          <option value="all">All messages</option>
          <option value="mentions">Mentions</option>
          <option value="nothing">Nothing</option>
        </select>
      </Field>
      {perm === 'default' && (
        <button type="button" onClick={() => Notification.requestPermission().then(setPerm)}>
          Allow desktop notifications in this browser
        </button>
      )}
      {perm === 'denied' && <p class="muted">This browser blocks notifications from this site.</p>}
    </div>
  );
}
