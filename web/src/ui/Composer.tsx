// The composer: Enter sends and Shift+Enter breaks the line (or the other
// way round, by preference), Up edits your last message, @ # and :
// complete users, rooms and emoji, typing is announced, and files can be
// attached by button, paste or drop.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Message, User } from '../api/types';
import { searchEmoji, emojiVersion } from '../emoji';
import { fail, me, prefs, rest, sendMessage, typingNotice, typing, cache } from '../state/app';
import { uploadFile, uploads } from '../state/upload';
import { useStore } from '../state/store';
import { Icon } from './common';
import { openModal } from './modals';

interface Suggestion {
  key: string;
  label: string;
  detail?: string;
  insert: string;
}

const tokenRe = /(^|\s)([@#:])([\p{L}\p{N}_.+\-]*)$/u;

export function Composer({
  rid,
  tmid,
  editing,
  onEditDone,
  onEditLast,
  disabled,
  placeholder,
  members,
}: {
  rid: string;
  tmid?: string;
  editing?: Message | null;
  onEditDone?: () => void;
  onEditLast?: () => void;
  disabled?: string;
  placeholder: string;
  members?: User[];
}) {
  const [text, setText] = useState('');
  const [tshow, setTshow] = useState(false);
  const [sugs, setSugs] = useState<Suggestion[]>([]);
  const [sel, setSel] = useState(0);
  const ref = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const lastTyping = useRef(0);
  const stopTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useStore(emojiVersion);
  const ups = useStore(uploads, (l) => l.filter((u) => u.rid === rid));
  const typers = useStore(typing, (t) => t.get(tmid ? 't:' + tmid : rid) ?? []);

  useEffect(() => {
    if (editing) {
      setText(editing.msg);
      requestAnimationFrame(() => {
        const el = ref.current;
        if (el) {
          el.focus();
          el.selectionStart = el.selectionEnd = el.value.length;
        }
      });
    }
  }, [editing?._id]);

  useEffect(() => {
    // A draft belongs to its room.
    setText('');
    setSugs([]);
    return () => stopTyping();
  }, [rid, tmid]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = Math.min(el.scrollHeight, 240) + 'px';
  }, [text]);

  const stopTyping = () => {
    clearTimeout(stopTimer.current);
    if (lastTyping.current) {
      lastTyping.current = 0;
      typingNotice(rid, false, tmid);
    }
  };

  const announceTyping = (value: string) => {
    if (!value.trim()) return stopTyping();
    const now = Date.now();
    if (now - lastTyping.current > 4000) {
      lastTyping.current = now;
      typingNotice(rid, true, tmid);
    }
    clearTimeout(stopTimer.current);
    stopTimer.current = setTimeout(stopTyping, 5000);
  };

  const suggest = async (value: string, caret: number) => {
    const m = tokenRe.exec(value.slice(0, caret));
    if (!m) return setSugs([]);
    const [, , sigil, word] = m;
    const q = word.toLowerCase();
    let list: Suggestion[] = [];
    if (sigil === ':') {
      if (q.length < 2) return setSugs([]);
      list = searchEmoji(q, 8).map((e) => ({ key: e.names[0], label: `${e.unicode} :${e.names[0]}:`, insert: `:${e.names[0]}: ` }));
    } else if (sigil === '@') {
      const local = (members ?? []).filter((u) => u.username !== me().username && (u.username.toLowerCase().startsWith(q) || (u.name ?? '').toLowerCase().includes(q)));
      let found = local;
      if (found.length < 5 && q) {
        try {
          const r = await rest.spotlight('@' + q);
          found = [...local, ...r.users.filter((u) => u.username !== me().username && !local.some((l) => l._id === u._id))];
        } catch {
          /* members only */
        }
      }
      list = found.slice(0, 8).map((u) => ({ key: u._id, label: '@' + u.username, detail: u.name, insert: `@${u.username} ` }));
      for (const g of ['all', 'here']) if (g.startsWith(q)) list.push({ key: g, label: '@' + g, detail: g === 'all' ? 'everyone in the room' : 'everyone online', insert: `@${g} ` });
    } else if (sigil === '#') {
      try {
        const r = await rest.spotlight('#' + q);
        list = r.rooms.filter((x) => x.name).slice(0, 8).map((x) => ({ key: x._id, label: '#' + x.name, detail: x.fname !== x.name ? x.fname : undefined, insert: `#${x.name} ` }));
      } catch {
        list = [];
      }
    }
    // The text may have changed while searching.
    if (ref.current && tokenRe.exec(ref.current.value.slice(0, ref.current.selectionStart))?.[3] !== word) return;
    setSugs(list);
    setSel(0);
  };

  const accept = (s: Suggestion) => {
    const el = ref.current!;
    const caret = el.selectionStart;
    const before = el.value.slice(0, caret).replace(tokenRe, (_all, pre) => pre + s.insert);
    const next = before + el.value.slice(caret);
    setText(next);
    setSugs([]);
    requestAnimationFrame(() => {
      el.focus();
      el.selectionStart = el.selectionEnd = before.length;
    });
  };

  const submit = async () => {
    const msg = text.trim();
    if (!msg) return;
    stopTyping();
    setText('');
    setSugs([]);
    if (editing) {
      onEditDone?.();
      if (msg === editing.msg.trim()) return;
      cache.patch(editing._id, (m) => ({ ...m, msg, md: undefined, editedAt: Date.now() }));
      try {
        await rest.updateMessage(editing.rid, editing._id, msg);
      } catch (e) {
        fail(e);
      }
      return;
    }
    await sendMessage(rid, msg, tmid, tmid ? tshow : undefined);
  };

  const sendOnEnter = prefs().sendOnEnter ?? 'normal';

  const onKey = (e: KeyboardEvent) => {
    if (sugs.length) {
      if (e.key === 'ArrowDown') return (e.preventDefault(), setSel((sel + 1) % sugs.length));
      if (e.key === 'ArrowUp') return (e.preventDefault(), setSel((sel - 1 + sugs.length) % sugs.length));
      if (e.key === 'Enter' || e.key === 'Tab') return (e.preventDefault(), accept(sugs[sel]));
      if (e.key === 'Escape') return (e.preventDefault(), setSugs([]));
    }
    if (e.key === 'Enter' && !e.isComposing) {
      const newline = sendOnEnter === 'alternative' ? !(e.shiftKey || e.ctrlKey || e.metaKey) : e.shiftKey;
      if (!newline) {
        e.preventDefault();
        void submit();
      }
      return;
    }
    if (e.key === 'ArrowUp' && !text && !editing) {
      e.preventDefault();
      onEditLast?.();
      return;
    }
    if (e.key === 'Escape' && editing) {
      e.preventDefault();
      setText('');
      onEditDone?.();
    }
  };

  const onPaste = (e: ClipboardEvent) => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (files.length) {
      e.preventDefault();
      for (const f of files) void uploadFile(rid, f, { tmid });
    }
  };

  const typingText = useMemo(() => {
    if (!typers.length) return '';
    if (typers.length === 1) return `${typers[0]} is typing…`;
    if (typers.length <= 3) return `${typers.slice(0, -1).join(', ')} and ${typers[typers.length - 1]} are typing…`;
    return 'Several people are typing…';
  }, [typers]);

  if (disabled) return <div class="composer disabled">{disabled}</div>;

  return (
    <div class="composer-wrap">
      <div class="typing" aria-live="polite">
        {typingText}
      </div>
      {ups.map((u) => (
        <div class={'upload' + (u.error ? ' error' : '')} key={u.id}>
          <span>{u.name}</span>
          {u.error ? <span>{u.error}</span> : <progress max={1} value={u.progress} aria-label={`Uploading ${u.name}`} />}
        </div>
      ))}
      {sugs.length > 0 && (
        <ul class="suggestions" role="listbox" id={`sug-${rid}${tmid ?? ''}`} aria-label="Suggestions">
          {sugs.map((s, i) => (
            <li key={s.key} role="option" aria-selected={i === sel} class={i === sel ? 'sel' : ''} onMouseDown={(e) => (e.preventDefault(), accept(s))}>
              {s.label} {s.detail && <small>{s.detail}</small>}
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <div class="editing-bar">
          Editing message · <kbd>Esc</kbd> to cancel
        </div>
      )}
      <div class="composer">
        <button type="button" class="icon-btn" aria-label="Attach a file" title="Attach a file" onClick={() => fileRef.current?.click()}>
          <Icon name="upload" />
        </button>
        <input
          ref={fileRef}
          type="file"
          multiple
          hidden
          onChange={(e) => {
            const input = e.target as HTMLInputElement;
            for (const f of [...(input.files ?? [])]) void uploadFile(rid, f, { tmid });
            input.value = '';
          }}
        />
        <textarea
          ref={ref}
          rows={1}
          value={text}
          placeholder={placeholder}
          aria-label={placeholder}
          aria-autocomplete="list"
          aria-expanded={sugs.length > 0}
          aria-controls={sugs.length ? `sug-${rid}${tmid ?? ''}` : undefined}
          onInput={(e) => {
            const el = e.target as HTMLTextAreaElement;
            setText(el.value);
            announceTyping(el.value);
            void suggest(el.value, el.selectionStart);
          }}
          onKeyDown={onKey}
          onPaste={onPaste}
          onBlur={() => setTimeout(() => setSugs([]), 150)}
        />
        <button type="button" class="icon-btn" aria-label="Emoji" title="Emoji" onClick={() => openModal({ kind: 'emoji', onPick: (c) => setText((t) => t + `:${c}: `) })}>
          <Icon name="smile" />
        </button>
        <button type="button" class="icon-btn send" aria-label={editing ? 'Save' : 'Send'} title={editing ? 'Save' : 'Send'} onClick={() => void submit()} disabled={!text.trim()}>
          <Icon name={editing ? 'check' : 'send'} />
        </button>
      </div>
      {tmid && (
        <label class="tshow">
          <input type="checkbox" checked={tshow} onChange={(e) => setTshow((e.target as HTMLInputElement).checked)} /> Also send to the room
        </label>
      )}
    </div>
  );
}
