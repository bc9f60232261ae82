// One message: author, time, body from md, attachments, reactions, thread
// and discussion summaries, and its actions.
import { useCallback, useRef, useState } from 'preact/hooks';
import type { Attachment, Message } from '../api/types';
import { emojiVersion, reactionText } from '../emoji';
import { MessageBody, type MdContext } from '../md/render';
import { systemText } from '../md/system';
import { can, cache, fail, mentionsMe, rest, session, settings, toast } from '../state/app';
import { navigate, route } from '../state/route';
import { useStore } from '../state/store';
import { Avatar, bytes, fullDate, Icon, time, useOutside } from './common';
import { openModal } from './modals';

export interface MessageProps {
  m: Message;
  grouped: boolean;
  /** inThread hides the thread summary (the panel shows the replies). */
  inThread?: boolean;
  onEdit?: (m: Message) => void;
  highlight?: boolean;
}

function openUser(username: string) {
  openModal({ kind: 'user', username });
}

export function messageLink(m: Message): string {
  const r = route.get();
  const base = r.name === 'room' ? `/${r.kind}/${encodeURIComponent(r.key)}` : `/direct/${m.rid}`;
  return `${location.origin}${base}?msg=${encodeURIComponent(m._id)}`;
}

export function MessageItem({ m, grouped, inThread, onEdit, highlight }: MessageProps) {
  const me = useStore(session, (s) => s.me?.username);
  const ctx: MdContext = { me, onUser: openUser };
  const sys = systemText(m);
  const mention = mentionsMe(m);
  if (sys !== null) {
    return (
      <div class="msg system" id={'m-' + m._id} role="listitem">
        <span class="sys-text">
          <button type="button" class="linklike" onClick={() => openUser(m.u.username)}>
            {m.u.name || m.u.username}
          </button>{' '}
          {sys}
        </span>
        <time dateTime={new Date(m.ts).toISOString()} title={fullDate(m.ts)}>
          {time(m.ts)}
        </time>
        {m.t === 'message_pinned' && m.attachments?.map((a, i) => <AttachmentView key={i} a={a} ctx={ctx} />)}
      </div>
    );
  }
  const name = m.alias || m.u.name || m.u.username;
  return (
    <div
      class={'msg' + (grouped ? ' grouped' : '') + (mention ? ' mentioned' : '') + (m.pending ? ' pending' : '') + (m.failed ? ' failed' : '') + (highlight ? ' highlight' : '')}
      id={'m-' + m._id}
      role="listitem"
      aria-label={`${name} at ${time(m.ts)}`}
      tabIndex={-1}
    >
      <div class="gutter">
        {grouped ? (
          <time class="hover-time" dateTime={new Date(m.ts).toISOString()} title={fullDate(m.ts)}>
            {time(m.ts)}
          </time>
        ) : (
          <button type="button" class="avatar-btn" onClick={() => openUser(m.u.username)} aria-label={`About ${m.u.username}`}>
            <Avatar name={m.u.username} size={36} />
          </button>
        )}
      </div>
      <div class="content">
        {!grouped && (
          <div class="meta">
            <button type="button" class="author" onClick={() => openUser(m.u.username)}>
              {name}
            </button>
            {m.alias ? null : <span class="username">@{m.u.username}</span>}
            {m.bot && <span class="tag">Bot</span>}
            <time dateTime={new Date(m.ts).toISOString()} title={fullDate(m.ts)}>
              {time(m.ts)}
            </time>
          </div>
        )}
        <MessageBody m={m} ctx={ctx} />
        {m.editedAt && (
          <span class="edited" title={`Edited ${fullDate(m.editedAt)}${m.editedBy ? ' by ' + m.editedBy.username : ''}`}>
            (edited)
          </span>
        )}
        {m.pinned && <span class="tag">Pinned</span>}
        {m.failed && <span class="tag error">Not sent</span>}
        {m.attachments?.map((a, i) => <AttachmentView key={i} a={a} ctx={ctx} />)}
        {m.reactions && Object.keys(m.reactions).length > 0 && <Reactions m={m} me={me} />}
        {!inThread && (m.tcount ?? 0) > 0 && (
          <button type="button" class="thread-summary" onClick={() => openThread(m)}>
            <Icon name="thread" size={14} /> {m.tcount} {m.tcount === 1 ? 'reply' : 'replies'}
            {m.tlm && <span class="muted"> · last {time(m.tlm)}</span>}
          </button>
        )}
        {m.drid && (
          <button type="button" class="thread-summary" onClick={() => openDiscussion(m.drid!)}>
            <Icon name="discussion" size={14} /> {m.dcount ?? 0} {m.dcount === 1 ? 'message' : 'messages'} in discussion
          </button>
        )}
      </div>
      {!m.pending && <Actions m={m} inThread={inThread} onEdit={onEdit} />}
    </div>
  );
}

export function openThread(m: Message) {
  const r = route.get();
  if (r.name === 'room') navigate({ ...r, tmid: m.tmid ?? m._id, panel: undefined, msg: undefined });
}

async function openDiscussion(drid: string) {
  try {
    const room = await rest.roomInfo({ roomId: drid });
    navigate({ name: 'room', kind: room.t === 'p' ? 'group' : 'channel', key: room.name ?? drid });
  } catch (e) {
    fail(e);
  }
}

function AttachmentView({ a, ctx }: { a: Attachment; ctx: MdContext }) {
  const link = a.title_link && a.title_link.startsWith('/') ? a.title_link : undefined;
  if (a.image_url && a.image_url.startsWith('/')) {
    const dims = a.image_dimensions;
    const w = dims ? Math.min(360, dims.width) : 360;
    return (
      <figure class="attachment image">
        <button type="button" class="image-btn" onClick={() => openModal({ kind: 'image', src: a.image_url!, title: a.title })} aria-label={`View image ${a.title ?? ''}`}>
          <img src={a.image_url} alt={a.description || a.title || 'image'} loading="lazy" width={w} height={dims ? Math.round((dims.height * w) / dims.width) : undefined} />
        </button>
        {(a.title || a.description) && (
          <figcaption>
            {a.description && <span>{a.description} </span>}
            {link ? (
              <a href={link} download>
                {a.title}
              </a>
            ) : (
              a.title
            )}
          </figcaption>
        )}
      </figure>
    );
  }
  if (a.audio_url?.startsWith('/')) return <audio class="attachment" controls src={a.audio_url} />;
  if (a.video_url?.startsWith('/')) return <video class="attachment" controls src={a.video_url} />;
  if (a.message_link || a.author_name) {
    // A quoted message.
    return (
      <blockquote class="attachment quote">
        <strong>{a.author_name}</strong> {a.ts && <time>{time(a.ts)}</time>}
        {a.text && <MessageBody m={{ msg: a.text } as Message} ctx={ctx} />}
        {a.attachments?.map((x, i) => <AttachmentView key={i} a={x} ctx={ctx} />)}
      </blockquote>
    );
  }
  return (
    <div class="attachment file" style={a.color ? { borderColor: a.color } : undefined}>
      <Icon name="file" />
      {link ? (
        <a href={link} download>
          {a.title || 'file'}
        </a>
      ) : (
        <span>{a.title}</span>
      )}
      {a.description && <p>{a.description}</p>}
      {a.text && <p>{a.text}</p>}
      {a.fields?.map((f, i) => (
        <p key={i}>
          <strong>{f.title}</strong> {f.value}
        </p>
      ))}
    </div>
  );
}

function Reactions({ m, me }: { m: Message; me?: string }) {
  useStore(emojiVersion);
  return (
    <div class="reactions" role="group" aria-label="Reactions">
      {Object.entries(m.reactions!).map(([k, r]) => {
        const mine = !!me && r.usernames.includes(me);
        return (
          <button
            type="button"
            key={k}
            class={'reaction' + (mine ? ' mine' : '')}
            aria-pressed={mine}
            title={`${r.usernames.join(', ')} reacted with ${k}`}
            onClick={() => rest.react(m._id, k, !mine).catch(fail)}
          >
            <span class="emoji">{reactionText(k)}</span> {r.usernames.length}
          </button>
        );
      })}
      <button type="button" class="reaction add" aria-label="Add reaction" onClick={() => pickReaction(m)}>
        <Icon name="smile" size={14} />+
      </button>
    </div>
  );
}

function pickReaction(m: Message) {
  openModal({ kind: 'emoji', onPick: (c) => rest.react(m._id, `:${c}:`, true).catch(fail) });
}

function Actions({ m, inThread, onEdit }: { m: Message; inThread?: boolean; onEdit?: (m: Message) => void }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useOutside(ref, close);
  const meUser = useStore(session, (s) => s.me);
  const s = useStore(settings);
  const mine = m.u._id === meUser?._id;
  const starred = !!m.starred?.some((x) => x._id === meUser?._id);
  const canEdit = (mine && s.Message_AllowEditing !== false) || can('edit-message', m.rid);
  const canDelete = (mine && s.Message_AllowDeleting !== false && can('delete-own-message', m.rid)) || can('delete-message', m.rid);
  const act = (f: () => Promise<unknown> | void) => async () => {
    close();
    try {
      await f();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <div class="actions" ref={ref} role="toolbar" aria-label="Message actions">
      <button type="button" class="icon-btn" title="Add reaction" aria-label="Add reaction" onClick={() => pickReaction(m)}>
        <Icon name="smile" size={16} />
      </button>
      {!inThread && !m.tmid && (
        <button type="button" class="icon-btn" title="Reply in thread" aria-label="Reply in thread" onClick={() => openThread(m)}>
          <Icon name="thread" size={16} />
        </button>
      )}
      <button type="button" class="icon-btn" title="More" aria-label="More actions" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        <Icon name="more" size={16} />
      </button>
      {open && (
        <div class="menu right" role="menu">
          {canEdit && onEdit && (
            <button type="button" role="menuitem" onClick={act(() => onEdit(m))}>
              <Icon name="edit" /> Edit
            </button>
          )}
          {s.Message_AllowPinning !== false && can('pin-message', m.rid) && (
            <button type="button" role="menuitem" onClick={act(() => rest.post(m.pinned ? 'chat.unPinMessage' : 'chat.pinMessage', { messageId: m._id }))}>
              <Icon name="pin" /> {m.pinned ? 'Unpin' : 'Pin'}
            </button>
          )}
          {s.Message_AllowStarring !== false && (
            <button
              type="button"
              role="menuitem"
              onClick={act(async () => {
                await rest.post(starred ? 'chat.unStarMessage' : 'chat.starMessage', { messageId: m._id });
                const uid = meUser!._id;
                cache.patch(m._id, (x) => ({ ...x, starred: starred ? (x.starred ?? []).filter((y) => y._id !== uid) : [...(x.starred ?? []), { _id: uid }] }));
              })}
            >
              <Icon name="star" /> {starred ? 'Unstar' : 'Star'}
            </button>
          )}
          <button
            type="button"
            role="menuitem"
            onClick={act(async () => {
              await navigator.clipboard.writeText(messageLink(m));
              toastCopied();
            })}
          >
            <Icon name="link" /> Copy link
          </button>
          {!m.tmid && (
            <button type="button" role="menuitem" onClick={act(() => openModal({ kind: 'create-discussion', prid: m.rid, pmid: m._id }))}>
              <Icon name="discussion" /> Start a discussion
            </button>
          )}
          {canDelete && (
            <button
              type="button"
              role="menuitem"
              class="danger"
              onClick={act(() =>
                openModal({
                  kind: 'confirm',
                  title: 'Delete message',
                  text: 'The message will be deleted for everyone. This cannot be undone.',
                  action: 'Delete',
                  onConfirm: async () => {
                    await rest.deleteMessage(m.rid, m._id);
                    cache.remove(m._id);
                  },
                }),
              )}
            >
              <Icon name="trash" /> Delete
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function toastCopied() {
  toast('Link copied');
}

export function fileSize(n?: number) {
  return bytes(n);
}
