// The conversation: loads older pages as you scroll up and keeps your
// place, separates days, groups consecutive messages, marks where the new
// messages start, and marks the room read while you are at the bottom.
import { Fragment } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Message } from '../api/types';
import { loadOlder, markRead, prefs } from '../state/app';
import type { MessageList as List } from '../state/messages';
import { day } from './common';
import { MessageItem } from './Message';

const groupWindow = 5 * 60_000;

function sameDay(a: number, b: number) {
  return new Date(a).toDateString() === new Date(b).toDateString();
}

/** groupable tells whether m continues prev's group (same author, close in time). */
export function groupable(prev: Message | undefined, m: Message): boolean {
  return (
    !!prev &&
    !prev.t &&
    !m.t &&
    prev.u._id === m.u._id &&
    (prev.alias ?? '') === (m.alias ?? '') &&
    m.ts - prev.ts < groupWindow &&
    sameDay(prev.ts, m.ts) &&
    !m.tcount &&
    !prev.tcount &&
    m.groupable !== false
  );
}

export function MessageList({ rid, list, onEdit, highlight }: { rid: string; list: List; onEdit: (m: Message) => void; highlight?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const anchor = useRef<{ height: number; top: number; first?: string } | null>(null);
  const [showJump, setShowJump] = useState(false);
  const [unreadAbove, setUnreadAbove] = useState(false);
  const showThreads = prefs().showThreadsInMainChannel === true;
  const visible = list.list.filter((m) => !m.tmid || m.tshow || showThreads);
  const firstId = visible[0]?._id;
  const lastId = visible[visible.length - 1]?._id;

  // Keep the place when older messages are added above, and stay at the
  // bottom when new ones arrive while reading the latest.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const a = anchor.current;
    if (a && a.first !== firstId) {
      el.scrollTop = el.scrollHeight - a.height + a.top;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    anchor.current = null;
  }, [firstId, lastId, visible.length]);

  const hasHighlight = !!highlight && visible.some((m) => m._id === highlight);

  // The first render of a room: at the bottom, or at the linked message
  // once it is loaded.
  useLayoutEffect(() => {
    atBottom.current = true;
    const el = ref.current;
    if (!el) return;
    if (highlight) {
      const target = document.getElementById('m-' + highlight);
      if (target) {
        target.scrollIntoView({ block: 'center' });
        atBottom.current = false;
        return;
      }
    }
    el.scrollTop = el.scrollHeight;
  }, [rid, list.loaded, highlight, hasHighlight]);

  const check = () => {
    const el = ref.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    atBottom.current = bottom;
    setShowJump(!bottom);
    if (bottom && document.visibilityState === 'visible') markRead(rid);
    if (el.scrollTop < 300 && list.hasMore && !list.loading) {
      anchor.current = { height: el.scrollHeight, top: el.scrollTop, first: firstId };
      void loadOlder(rid);
    }
    if (list.firstUnread) {
      const marker = document.getElementById('m-' + list.firstUnread);
      setUnreadAbove(!!marker && marker.getBoundingClientRect().bottom < el.getBoundingClientRect().top);
    }
  };

  useEffect(() => {
    // Reading the room: once it is shown at the bottom, and whenever the
    // window comes back into focus there.
    const onFocus = () => atBottom.current && document.visibilityState === 'visible' && markRead(rid);
    onFocus();
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onFocus);
    return () => {
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onFocus);
    };
  }, [rid, lastId]);

  // A short room does not scroll, so the scroll handler never asks for more.
  useEffect(() => {
    const el = ref.current;
    if (el && list.loaded && list.hasMore && !list.loading && el.scrollHeight <= el.clientHeight) check();
  }, [list.loaded, list.hasMore, list.loading, visible.length]);

  const jumpToUnread = () => {
    const marker = document.getElementById('m-' + list.firstUnread);
    marker?.scrollIntoView({ block: 'start' });
    setUnreadAbove(false);
  };

  let prev: Message | undefined;
  return (
    <div class="list-wrap">
      {unreadAbove && (
        <button type="button" class="jump-unread" onClick={jumpToUnread}>
          Jump to first unread
        </button>
      )}
      <div class="messages" ref={ref} onScroll={check} role="list" aria-label="Messages" aria-busy={list.loading} tabIndex={0}>
        {list.loading && <div class="loading-older" role="status">Loading…</div>}
        {!list.hasMore && list.loaded && <div class="room-start">This is the start of the conversation.</div>}
        {list.error && (
          <div class="error" role="alert">
            {list.error}
          </div>
        )}
        {visible.map((m) => {
          const p = prev;
          prev = m;
          const newDay = !p || !sameDay(p.ts, m.ts);
          const unreadMark = m._id === list.firstUnread;
          return (
            <Fragment key={m._id}>
              {newDay && (
                <div class="day" role="separator" aria-label={day(m.ts)}>
                  <span>{day(m.ts)}</span>
                </div>
              )}
              {unreadMark && (
                <div class="new-marker" role="separator" aria-label="New messages">
                  <span>New messages</span>
                </div>
              )}
              <MessageItem m={m} grouped={!newDay && !unreadMark && groupable(p, m)} onEdit={onEdit} highlight={highlight === m._id} />
            </Fragment>
          );
        })}
      </div>
      {showJump && (
        <button
          type="button"
          class="jump-bottom"
          onClick={() => {
            const el = ref.current!;
            el.scrollTop = el.scrollHeight;
          }}
        >
          Jump to recent messages
        </button>
      )}
    </div>
  );
}
