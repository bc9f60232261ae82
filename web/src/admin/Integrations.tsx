// Administration → Integrations: incoming and outgoing webhooks
// (integrations.*), an incoming webhook's URL with an example call, and
// the calls an outgoing webhook made (integrations.history), which can be
// made again (integrations.outgoing.replay) or cleared.
import { useEffect, useState } from 'preact/hooks';
import type { Integration, IntegrationRun } from '../api/types';
import { fail, rest, toast } from '../state/app';
import { Field, Icon, Modal, Toggle, fullDate, val } from '../ui/common';
import { openModal } from '../ui/modals';

type Kind = Integration['type'];
const incoming: Kind = 'webhook-incoming';
const outgoing: Kind = 'webhook-outgoing';

/**
 * events are the events an outgoing webhook may listen to, with what each
 * uses: rooms to listen to (c), trigger words (w), a room to post into (t).
 */
const events: [string, string, string][] = [
  ['sendMessage', 'Message sent', 'cw'],
  ['fileUploaded', 'File uploaded', 'c'],
  ['roomArchived', 'Room archived', ''],
  ['roomCreated', 'Room created', ''],
  ['roomJoined', 'User joined a room', 'c'],
  ['roomLeft', 'User left a room', 'c'],
  ['userCreated', 'User created', 't'],
];

/** hookURL is where an incoming webhook takes its posts. */
const hookURL = (it: Integration) => `${location.origin}/hooks/${encodeURIComponent(it._id)}/${encodeURIComponent(it.token ?? '')}`;

const copy = (text: string) => navigator.clipboard.writeText(text).then(() => toast('Copied'), fail);

const list = (s: string, sep: RegExp) => s.split(sep).map((x) => x.trim()).filter(Boolean);

type View = { edit: Integration | Kind } | { history: Integration } | null;

export function Integrations() {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Integration[]>([]);
  const [total, setTotal] = useState(0);
  const [view, setView] = useState<View>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setTimeout(() => {
      rest.get('integrations.list', { name: q, count: 100 }).then((r) => (setItems(r.integrations ?? []), setTotal(r.total ?? 0)), fail);
    }, 150);
    return () => clearTimeout(t);
  }, [q, tick]);
  const close = () => (setView(null), setTick((n) => n + 1));
  // The saved integration replaces the listed one at once, before the list
  // is fetched again. A new webhook stays open to show its URL or token,
  // and one whose script does not compile to show the error.
  const saved = (it: Integration, created: boolean) => {
    setItems((l) => (created ? [...l, it] : l.map((x) => (x._id === it._id ? it : x))));
    setView(created || it.scriptError ? { edit: it } : null);
    setTick((n) => n + 1);
  };
  return (
    <>
      <div class="toolbar">
        <input class="page-search" aria-label="Search integrations" placeholder="Search integrations" value={q} onInput={(e) => setQ(val(e))} />
        <button type="button" class="primary" onClick={() => setView({ edit: incoming })}>
          <Icon name="plus" /> New incoming webhook
        </button>
        <button type="button" onClick={() => setView({ edit: outgoing })}>
          <Icon name="plus" /> New outgoing webhook
        </button>
      </div>
      <p class="muted">{total} integrations</p>
      <table class="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Channels</th>
            <th>Posts as</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {items.map((it) => (
            <tr key={it._id}>
              <td>
                <button type="button" class="linklike" onClick={() => setView({ edit: it })}>
                  {it.name || it._id}
                </button>
              </td>
              <td>{it.type === incoming ? 'Incoming' : `Outgoing: ${events.find(([e]) => e === it.event)?.[1] ?? it.event}`}</td>
              <td>{it.channel.join(', ')}</td>
              <td>@{it.username}</td>
              <td>{it.enabled ? 'Enabled' : 'Disabled'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {view && 'edit' in view && (
        <Editor
          key={typeof view.edit === 'string' ? view.edit : view.edit._id}
          it={typeof view.edit === 'string' ? null : view.edit}
          kind={typeof view.edit === 'string' ? view.edit : view.edit.type}
          onSaved={saved}
          onHistory={(it) => setView({ history: it })}
          onClose={close}
        />
      )}
      {view && 'history' in view && <History it={view.history} onClose={() => setView({ edit: view.history })} />}
    </>
  );
}

function Editor({
  it,
  kind,
  onSaved,
  onHistory,
  onClose,
}: {
  it: Integration | null;
  kind: Kind;
  onSaved: (it: Integration, created: boolean) => void;
  onHistory: (it: Integration) => void;
  onClose: () => void;
}) {
  const [f, setF] = useState({
    name: it?.name ?? '',
    enabled: it?.enabled ?? true,
    username: it?.username ?? '',
    channel: (it?.channel ?? []).join(', '),
    alias: it?.alias ?? '',
    emoji: it?.emoji ?? '',
    avatar: it?.avatar ?? '',
    override: !!it?.overrideDestinationChannelEnabled,
    scriptEnabled: !!it?.scriptEnabled,
    script: it?.script ?? '',
    event: it?.event ?? 'sendMessage',
    urls: (it?.urls ?? []).join('\n'),
    triggerWords: (it?.triggerWords ?? []).join(', '),
    targetRoom: it?.targetRoom ?? '',
    impersonateUser: !!it?.impersonateUser,
    runOnEdits: !!it?.runOnEdits,
    retryFailedCalls: !!it?.retryFailedCalls,
    retryCount: it?.retryCount || 4,
    retryDelay: it?.retryDelay || 'powers-of-ten',
  });
  const [busy, setBusy] = useState(false);
  const out = kind === outgoing;
  const uses = out ? (events.find(([e]) => e === f.event)?.[2] ?? '') : 'c';
  const save = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = {
      type: kind,
      name: f.name,
      enabled: f.enabled,
      username: f.username,
      channel: uses.includes('c') ? f.channel : '',
      alias: f.alias,
      emoji: f.emoji,
      avatar: f.avatar,
      scriptEnabled: f.scriptEnabled,
      script: f.script,
    };
    if (out) {
      Object.assign(body, {
        event: f.event,
        urls: list(f.urls, /\n/),
        triggerWords: uses.includes('w') ? list(f.triggerWords, /,/) : [],
        targetRoom: uses.includes('t') ? f.targetRoom : '',
        impersonateUser: f.impersonateUser,
        runOnEdits: f.runOnEdits,
        retryFailedCalls: f.retryFailedCalls,
        retryCount: Number(f.retryCount),
        retryDelay: f.retryDelay,
      });
    } else {
      body.overrideDestinationChannelEnabled = f.override;
    }
    setBusy(true);
    try {
      const r = it ? await rest.request('PUT', 'v1/integrations.update', undefined, { ...body, integrationId: it._id }) : await rest.post('integrations.create', body);
      toast(it ? 'Integration saved' : 'Integration created');
      onSaved(r.integration, !it);
    } catch (err) {
      fail(err);
      setBusy(false);
    }
  };
  const title = it ? `Edit ${it.name}` : out ? 'New outgoing webhook' : 'New incoming webhook';
  const url = it && !out ? hookURL(it) : '';
  const curl = `curl -X POST -H 'Content-Type: application/json' --data '{"text":"Example message"}' ${url}`;
  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={save}>
        {url && (
          <>
            <div class="field">
              <label class="label" for="hook-url">
                Webhook URL
              </label>
              <div class="copy-row">
                <input id="hook-url" class="mono" readOnly value={url} />
                <button type="button" aria-label="Copy webhook URL" onClick={() => copy(url)}>
                  Copy
                </button>
              </div>
            </div>
            <div class="field">
              <span class="label">Example</span>
              <div class="copy-row">
                <pre class="mono">{curl}</pre>
                <button type="button" aria-label="Copy example" onClick={() => copy(curl)}>
                  Copy
                </button>
              </div>
            </div>
          </>
        )}
        {it && out && (
          <Field label="Token" hint="Sent with every call, so the target can check where it comes from">
            <input class="mono" readOnly value={it.token ?? ''} />
          </Field>
        )}
        <Field label="Name">
          <input value={f.name} onInput={(e) => setF({ ...f, name: val(e) })} required />
        </Field>
        <Toggle label="Enabled" checked={f.enabled} onChange={(v) => setF({ ...f, enabled: v })} />
        {out && (
          <Field label="Event">
            <select value={f.event} onChange={(e) => setF({ ...f, event: val(e) })}>
              {events.map(([id, label]) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
        )}
        {uses.includes('c') && (
          <Field label="Channels" hint={out ? 'Comma separated: #room, @user, all_public_channels, all_private_groups, all_direct_messages' : 'Comma separated: #room, @user'}>
            <input value={f.channel} onInput={(e) => setF({ ...f, channel: val(e) })} placeholder="#general" required={!out} />
          </Field>
        )}
        {uses.includes('w') && (
          <Field label="Trigger words" hint="Comma separated; none calls for every message">
            <input value={f.triggerWords} onInput={(e) => setF({ ...f, triggerWords: val(e) })} />
          </Field>
        )}
        {uses.includes('t') && (
          <Field label="Target room" hint="#room or @user">
            <input value={f.targetRoom} onInput={(e) => setF({ ...f, targetRoom: val(e) })} required />
          </Field>
        )}
        {out && (
          <Field label="URLs" hint="One per line">
            <textarea class="mono" rows={3} value={f.urls} onInput={(e) => setF({ ...f, urls: val(e) })} required />
          </Field>
        )}
        <Field label="Post as" hint="The account messages are posted as; it is given the bot role">
          <input value={f.username} onInput={(e) => setF({ ...f, username: val(e) })} placeholder="rocket.cat" required />
        </Field>
        <Field label="Alias" hint="Shown instead of the account's name">
          <input value={f.alias} onInput={(e) => setF({ ...f, alias: val(e) })} />
        </Field>
        <Field label="Emoji" hint="Shown instead of the avatar, e.g. :robot:">
          <input value={f.emoji} onInput={(e) => setF({ ...f, emoji: val(e) })} />
        </Field>
        <Field label="Avatar URL">
          <input type="url" value={f.avatar} onInput={(e) => setF({ ...f, avatar: val(e) })} />
        </Field>
        {!out && <Toggle label="Allow overriding the channel" checked={f.override} onChange={(v) => setF({ ...f, override: v })} />}
        {out && (
          <>
            <Toggle label="Impersonate the user" checked={f.impersonateUser} onChange={(v) => setF({ ...f, impersonateUser: v })} />
            <Toggle label="Run on edits" checked={f.runOnEdits} onChange={(v) => setF({ ...f, runOnEdits: v })} />
            <Toggle label="Retry failed calls" checked={f.retryFailedCalls} onChange={(v) => setF({ ...f, retryFailedCalls: v })} />
            {f.retryFailedCalls && (
              <>
                <Field label="Retries">
                  <input type="number" min={1} value={f.retryCount} onInput={(e) => setF({ ...f, retryCount: Number(val(e)) })} />
                </Field>
                <Field label="Retry delay">
                  <select value={f.retryDelay} onChange={(e) => setF({ ...f, retryDelay: val(e) })}>
                    <option value="powers-of-ten">Powers of ten (0.1 s, 1 s, 10 s…)</option>
                    <option value="powers-of-two">Powers of two (1 s, 2 s, 4 s…)</option>
                    <option value="increments-of-two">Increments of two (2 s, 4 s, 6 s…)</option>
                  </select>
                </Field>
              </>
            )}
          </>
        )}
        <Toggle label="Script enabled" checked={f.scriptEnabled} onChange={(v) => setF({ ...f, scriptEnabled: v })} />
        {f.scriptEnabled && (
          <Field label="Script" hint={out ? 'class Script { prepare_outgoing_request({ request }) {…} process_outgoing_response({ request, response }) {…} }' : 'class Script { process_incoming_request({ request }) {…} }'}>
            <textarea class="mono" rows={10} spellcheck={false} value={f.script} onInput={(e) => setF({ ...f, script: val(e) })} />
          </Field>
        )}
        {it?.scriptError && (
          <p class="error" role="alert">
            The script does not compile: {it.scriptError}
          </p>
        )}
        <div class="buttons">
          {it && (
            <button
              type="button"
              class="danger"
              onClick={() =>
                openModal({
                  kind: 'confirm',
                  title: 'Delete integration',
                  text: `Delete ${it.name}? Its URL stops working. This cannot be undone.`,
                  action: 'Delete',
                  onConfirm: async () => {
                    await rest.post('integrations.remove', { type: it.type, integrationId: it._id });
                    toast('Integration deleted');
                    onClose();
                  },
                })
              }
            >
              Delete
            </button>
          )}
          {it && out && (
            <button type="button" onClick={() => onHistory(it)}>
              History
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

/**
 * History lists the latest calls of an outgoing webhook, newest first. A
 * call can be made again with the payload it sent, for instance once its
 * target is back; the replay shows as a call of its own.
 */
function History({ it, onClose }: { it: Integration; onClose: () => void }) {
  const [runs, setRuns] = useState<IntegrationRun[] | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    rest.get('integrations.history', { id: it._id, count: 50 }).then((r) => setRuns(r.history ?? []), fail);
  }, [tick]);
  const refresh = () => setTick((n) => n + 1);
  // Calls run in the background: while one is still running, look again.
  useEffect(() => {
    if (!runs?.some((h) => !h.finished)) return;
    const t = setTimeout(refresh, 2000);
    return () => clearTimeout(t);
  }, [runs]);
  const replay = async (h: IntegrationRun) => {
    try {
      await rest.post('integrations.outgoing.replay', { integrationId: it._id, historyId: h._id });
      toast('Call queued');
      // The call runs in the background; its first steps are recorded at once.
      setTimeout(refresh, 500);
    } catch (e) {
      fail(e);
    }
  };
  const clear = () =>
    openModal({
      kind: 'confirm',
      title: 'Clear history',
      text: `Delete every recorded call of ${it.name}? This cannot be undone.`,
      action: 'Clear',
      onConfirm: async () => {
        await rest.post('integrations.history.clear', { integrationId: it._id });
        toast('History cleared');
        refresh();
      },
    });
  return (
    <Modal title={`History of ${it.name}`} onClose={onClose} wide>
      {!runs && <p role="status">Loading…</p>}
      {runs && !runs.length && <p class="muted">No calls yet.</p>}
      {runs && runs.length > 0 && (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th>Time</th>
                <th>Event</th>
                <th>Step</th>
                <th>Trigger word</th>
                <th>URL</th>
                <th>Result</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {runs.map((h) => (
                <tr key={h._id}>
                  <td>{fullDate(Date.parse(h._createdAt))}</td>
                  <td>{h.event}</td>
                  <td>{h.step}</td>
                  <td>{h.triggerWord}</td>
                  <td class="mono">{h.url}</td>
                  <td title={h.httpError || h.errorStack || h.httpResult}>
                    {h.error ? <span class="tag error">Error</span> : h.finished ? 'Done' : 'Running'}
                  </td>
                  <td>
                    {h.data && h.url && (
                      <button type="button" aria-label={`Replay the call of ${fullDate(Date.parse(h._createdAt))}`} onClick={() => replay(h)}>
                        Replay
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="buttons">
        {runs && runs.length > 0 && (
          <button type="button" class="danger" onClick={clear}>
            Clear history
          </button>
        )}
        <button type="button" onClick={refresh}>
          Refresh
        </button>
        <button type="button" onClick={onClose}>
          Back
        </button>
      </div>
    </Modal>
  );
}
