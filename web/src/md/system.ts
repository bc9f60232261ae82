// System messages (a message's t), worded as Rocket.Chat's client words
// them: the acting user's name comes first, then what happened. msg holds
// the affected username or the new value.
import type { Message } from '../api/types';

const roleNames: Record<string, string> = { owner: 'owner', moderator: 'moderator', leader: 'leader' };

/** systemText returns the sentence after the actor's name, or null for an ordinary message. */
export function systemText(m: Message): string | null {
  const v = m.msg ?? '';
  const role = roleNames[(m as any).role] ?? (m as any).role ?? '';
  switch (m.t) {
    case undefined:
    case '':
      return null;
    case 'uj':
      return 'joined the channel';
    case 'ul':
      return 'left the channel';
    case 'ujt':
      return 'joined the team';
    case 'ult':
      return 'left the team';
    case 'ut':
      return 'joined the conversation';
    case 'au':
      return `added ${v}`;
    case 'ru':
      return `removed ${v}`;
    case 'added-user-to-team':
      return `added ${v} to this team`;
    case 'removed-user-from-team':
      return `removed ${v} from this team`;
    case 'r':
      return `changed the room name to ${v}`;
    case 'room_changed_topic':
      return v ? `changed the room topic to ${v}` : 'cleared the room topic';
    case 'room_changed_description':
      return v ? `changed the room description to ${v}` : 'cleared the room description';
    case 'room_changed_announcement':
      return v ? `changed the room announcement to ${v}` : 'cleared the room announcement';
    case 'room_changed_privacy':
      return `changed the room type to ${v === 'p' || v === 'private' ? 'private' : v === 'c' || v === 'public' ? 'public' : v}`;
    case 'room_changed_avatar':
      return 'changed the room avatar';
    case 'room-archived':
      return 'archived the room';
    case 'room-unarchived':
      return 'unarchived the room';
    case 'room-set-read-only':
      return 'set the room to read only';
    case 'room-removed-read-only':
      return 'made the room writable again';
    case 'room-allowed-reacting':
      return 'allowed reactions in the room';
    case 'room-disallowed-reacting':
      return 'disallowed reactions in the room';
    case 'user-muted':
      return `muted ${v}`;
    case 'user-unmuted':
      return `unmuted ${v}`;
    case 'subscription-role-added':
      return `set ${v} as ${role}`;
    case 'subscription-role-removed':
      return `removed ${v} as ${role}`;
    case 'message_pinned':
      return 'pinned a message:';
    case 'discussion-created':
      return `started a discussion: ${v}`;
    case 'user-converted-to-team':
      return `converted #${v} to a team`;
    case 'user-converted-to-channel':
      return `converted #${v} to a channel`;
    case 'user-added-room-to-team':
      return `added #${v} to this team`;
    case 'user-removed-room-from-team':
      return `removed #${v} from this team`;
    case 'user-deleted-room-from-team':
      return `deleted #${v}`;
    case 'wm':
      return `welcomes you to ${v}`;
    case 'rm':
      return 'message removed';
    case 'room_e2e_enabled':
      return 'enabled end-to-end encryption for this room';
    case 'room_e2e_disabled':
      return 'disabled end-to-end encryption for this room';
    case 'command':
    case 'e2e':
    case 'videoconf':
      return null;
  }
  return v || m.t || null;
}
