// Renders a message from its md tree (@rocket.chat/message-parser's
// nodes) into elements, never into HTML: every text goes through Preact as
// a text node, and links keep only safe schemes. A message without md is
// shown as its plain text.
import type { ComponentChildren } from 'preact';
import type { MdNode, Message } from '../api/types';
import { emojiFor, emojiVersion } from '../emoji';
import { navigate } from '../state/route';
import { useStore } from '../state/store';

export interface MdContext {
  /** me is the viewer's username, to highlight their mentions. */
  me?: string;
  onUser?: (username: string) => void;
}

/** safeURL keeps http(s), mailto, tel and same-origin URLs; anything else (javascript:, data:) is refused. */
export function safeURL(src: string): string | null {
  const s = src.trim();
  if (/^(https?:|mailto:|tel:)/i.test(s)) return s;
  if (/^\/(?!\/)/.test(s)) return s;
  if (/^www\./i.test(s)) return 'https://' + s;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(s) && /^[\w.-]+\.[a-z]{2,}(\/|$)/i.test(s)) return 'https://' + s;
  return null;
}

function text(n: any): string {
  if (n == null) return '';
  if (typeof n === 'string') return n;
  if (Array.isArray(n)) return n.map(text).join('');
  if (n.type === 'PLAIN_TEXT') return n.value;
  return text(n.value);
}

function inlines(nodes: MdNode[] | MdNode | undefined, ctx: MdContext): ComponentChildren {
  if (!nodes) return null;
  const list = Array.isArray(nodes) ? nodes : [nodes];
  return list.map((n, i) => inline(n, ctx, i));
}

function Emoji({ n }: { n: MdNode }) {
  useStore(emojiVersion);
  if (n.unicode) return <span class="emoji">{n.unicode}</span>;
  const code = n.shortCode ?? text(n.value);
  const u = emojiFor(code);
  return u ? (
    <span class="emoji" title={`:${code}:`} role="img" aria-label={code}>
      {u}
    </span>
  ) : (
    <>{`:${code}:`}</>
  );
}

function Spoiler({ children }: { children: ComponentChildren }) {
  return (
    <span
      class="spoiler"
      tabIndex={0}
      role="button"
      aria-label="Spoiler, press to reveal"
      onClick={(e) => (e.currentTarget as HTMLElement).classList.add('shown')}
      onKeyDown={(e) => e.key === 'Enter' && (e.currentTarget as HTMLElement).classList.add('shown')}
    >
      {children}
    </span>
  );
}

function formatTimestamp(ts: string, f: string): string {
  const d = new Date(Number(ts) * 1000);
  if (Number.isNaN(d.getTime())) return ts;
  switch (f) {
    case 't':
      return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    case 'T':
      return d.toLocaleTimeString();
    case 'd':
      return d.toLocaleDateString();
    case 'D':
      return d.toLocaleDateString(undefined, { dateStyle: 'long' });
    case 'F':
      return d.toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short' });
    case 'R': {
      const s = Math.round((d.getTime() - Date.now()) / 1000);
      const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
      const a = Math.abs(s);
      if (a < 60) return rtf.format(s, 'second');
      if (a < 3600) return rtf.format(Math.round(s / 60), 'minute');
      if (a < 86400) return rtf.format(Math.round(s / 3600), 'hour');
      return rtf.format(Math.round(s / 86400), 'day');
    }
  }
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function inline(n: MdNode, ctx: MdContext, key: number): ComponentChildren {
  switch (n.type) {
    case 'PLAIN_TEXT':
      return n.value;
    case 'BOLD':
      return <strong key={key}>{inlines(n.value, ctx)}</strong>;
    case 'ITALIC':
      return <em key={key}>{inlines(n.value, ctx)}</em>;
    case 'STRIKE':
      return <del key={key}>{inlines(n.value, ctx)}</del>;
    case 'INLINE_CODE':
      return <code key={key}>{text(n.value)}</code>;
    case 'LINK': {
      const src = text(n.value?.src);
      const href = safeURL(src);
      const label = n.value?.label;
      const content = label && text(label) ? inlines(label, ctx) : src;
      if (!href) return <span key={key}>{content}</span>;
      return (
        <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">
          {content}
        </a>
      );
    }
    case 'IMAGE': {
      const href = safeURL(text(n.value?.src));
      const alt = text(n.value?.label) || 'image';
      if (!href) return alt;
      // Images from other hosts are not loaded (the page's policy allows
      // this origin only, and loading them would tell a third party who
      // reads the room): they are shown as links.
      if (href.startsWith('/')) return <img key={key} class="md-image" src={href} alt={alt} loading="lazy" />;
      return (
        <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">
          {alt}
        </a>
      );
    }
    case 'MENTION_USER': {
      const name = text(n.value);
      const group = name === 'all' || name === 'here';
      const mine = name === ctx.me;
      return (
        <button
          type="button"
          key={key}
          class={'mention' + (mine ? ' me' : group ? ' group' : '')}
          onClick={() => !group && ctx.onUser?.(name)}
        >
          @{name}
        </button>
      );
    }
    case 'MENTION_CHANNEL': {
      const name = text(n.value);
      return (
        <a
          key={key}
          class="mention channel"
          href={`/channel/${encodeURIComponent(name)}`}
          onClick={(e) => {
            e.preventDefault();
            navigate({ name: 'room', kind: 'channel', key: name });
          }}
        >
          #{name}
        </a>
      );
    }
    case 'EMOJI':
      return <Emoji key={key} n={n} />;
    case 'COLOR': {
      const { r, g, b, a } = n.value ?? {};
      const hex = '#' + [r, g, b].map((x: number) => Number(x).toString(16).padStart(2, '0')).join('');
      return (
        <span key={key} class="color">
          <span class="swatch" style={{ background: `rgba(${Number(r)},${Number(g)},${Number(b)},${Number(a) / 255})` }} />
          {hex}
        </span>
      );
    }
    case 'TIMESTAMP': {
      const ts = n.value?.timestamp ?? '';
      const d = new Date(Number(ts) * 1000);
      return (
        <time key={key} dateTime={Number.isNaN(d.getTime()) ? undefined : d.toISOString()} title={Number.isNaN(d.getTime()) ? undefined : d.toLocaleString()}>
          {formatTimestamp(ts, n.value?.format ?? 'f')}
        </time>
      );
    }
    case 'SPOILER':
      return <Spoiler key={key}>{inlines(n.value, ctx)}</Spoiler>;
    case 'INLINE_KATEX':
      return (
        <code key={key} class="katex">
          {text(n.value)}
        </code>
      );
    case 'LINE_BREAK':
      return <br key={key} />;
  }
  // A node this client does not know: its text, never its markup.
  return text(n.value);
}

function block(n: MdNode, ctx: MdContext, key: number): ComponentChildren {
  switch (n.type) {
    case 'PARAGRAPH':
      return <p key={key}>{inlines(n.value, ctx)}</p>;
    case 'HEADING': {
      const level = Math.min(4, Math.max(1, Number(n.level) || 1));
      const H = `h${level + 1}` as 'h2';
      return (
        <H key={key} class="md-h">
          {inlines(n.value, ctx)}
        </H>
      );
    }
    case 'CODE':
      return (
        <pre key={key} class="code" data-language={n.language || undefined}>
          <code>{(n.value ?? []).map((l: MdNode) => text(l.value)).join('\n')}</code>
        </pre>
      );
    case 'QUOTE':
    case 'BLOCKQUOTE':
      return <blockquote key={key}>{(n.value ?? []).map((p: MdNode, i: number) => block(p, ctx, i))}</blockquote>;
    case 'SPOILER_BLOCK':
      return (
        <details key={key} class="spoiler-block">
          <summary>Spoiler</summary>
          {(n.value ?? []).map((p: MdNode, i: number) => block(p, ctx, i))}
        </details>
      );
    case 'UNORDERED_LIST':
      return (
        <ul key={key}>
          {(n.value ?? []).map((li: MdNode, i: number) => (
            <li key={i}>{inlines(li.value, ctx)}</li>
          ))}
        </ul>
      );
    case 'ORDERED_LIST':
      return (
        <ol key={key}>
          {(n.value ?? []).map((li: MdNode, i: number) => (
            <li key={i} value={li.number}>
              {inlines(li.value, ctx)}
            </li>
          ))}
        </ol>
      );
    case 'TASKS':
      return (
        <ul key={key} class="tasks">
          {(n.value ?? []).map((t: MdNode, i: number) => (
            <li key={i}>
              <input type="checkbox" checked={!!t.status} disabled aria-label={t.status ? 'done' : 'not done'} /> {inlines(t.value, ctx)}
            </li>
          ))}
        </ul>
      );
    case 'LINE_BREAK':
      return <br key={key} />;
    case 'HORIZONTAL_RULE':
      return <hr key={key} />;
    case 'KATEX':
      return (
        <pre key={key} class="katex">
          {text(n.value)}
        </pre>
      );
    case 'BIG_EMOJI':
      return (
        <div key={key} class="big-emoji">
          {(n.value ?? []).map((e: MdNode, i: number) => (
            <Emoji key={i} n={e} />
          ))}
        </div>
      );
    case 'TABLE': {
      const v = n.value ?? {};
      return (
        <table key={key} class="md-table">
          <thead>
            <tr>
              {(v.header ?? []).map((c: MdNode, i: number) => (
                <th key={i} style={c.align ? { textAlign: c.align } : undefined}>
                  {inlines(c.value, ctx)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(v.rows ?? []).map((r: MdNode, i: number) => (
              <tr key={i}>
                {(r.value ?? []).map((c: MdNode, j: number) => (
                  <td key={j} style={c.align ? { textAlign: c.align } : undefined}>
                    {inlines(c.value, ctx)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    case 'LIST_ITEM':
      return <div key={key}>{inlines(n.value, ctx)}</div>;
  }
  return <p key={key}>{inline(n, ctx, 0)}</p>;
}

/** plain renders text with its line breaks, for messages without md. */
export function plain(s: string): ComponentChildren {
  const lines = s.split('\n');
  return lines.map((l, i) => (i === 0 ? l : [<br key={i} />, l]));
}

export function MessageBody({ m, ctx }: { m: Message; ctx: MdContext }) {
  if (Array.isArray(m.md) && m.md.length) return <div class="md">{m.md.map((b, i) => block(b, ctx, i))}</div>;
  return (
    <div class="md">
      <p>{plain(m.msg ?? '')}</p>
    </div>
  );
}

/** mdText flattens a message to one line of text (sidebar previews, notifications). */
export function mdText(m: Message): string {
  return (m.msg ?? '').replace(/\s+/g, ' ').trim();
}
