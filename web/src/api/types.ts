// Wire types of Rocket.Chat's API as this client reads them (rc-api.md §4).
// Dates arrive as ISO strings over REST and as {$date} over DDP; the
// client normalises both to epoch milliseconds (see ejson.ts).

export type ID = string;
export type Ms = number;

export interface UserRef {
  _id: ID;
  username: string;
  name?: string;
}

export type Status = 'online' | 'away' | 'busy' | 'offline';

export interface User extends UserRef {
  status?: Status;
  statusText?: string;
  active?: boolean;
  roles?: string[];
  type?: string;
  emails?: { address: string; verified: boolean }[];
  avatarETag?: string;
  createdAt?: Ms;
  lastLogin?: Ms;
  settings?: { preferences?: Preferences };
  email?: string;
}

export interface Preferences {
  [key: string]: unknown;
  desktopNotifications?: 'all' | 'mentions' | 'nothing' | 'default';
  themeAppearence?: 'auto' | 'light' | 'dark';
  sendOnEnter?: 'normal' | 'alternative' | 'desktop';
  displayAvatars?: boolean;
  sidebarGroupByType?: boolean;
  sidebarShowUnread?: boolean;
  sidebarShowFavorites?: boolean;
  sidebarSortby?: 'activity' | 'alphabetical';
  useEmojis?: boolean;
  showThreadsInMainChannel?: boolean;
  unreadAlert?: boolean;
  highlights?: string[];
}

export type RoomType = 'c' | 'p' | 'd' | 'l';

export interface Room {
  _id: ID;
  t: RoomType;
  name?: string;
  fname?: string;
  u?: UserRef;
  msgs?: number;
  usersCount?: number;
  ts?: Ms;
  _updatedAt?: Ms;
  lm?: Ms;
  lastMessage?: Message;
  topic?: string;
  description?: string;
  announcement?: string;
  ro?: boolean;
  archived?: boolean;
  default?: boolean;
  usernames?: string[];
  uids?: ID[];
  prid?: ID;
  teamMain?: boolean;
  teamId?: ID;
  avatarETag?: string;
}

export interface Subscription {
  _id: ID;
  rid: ID;
  u: UserRef;
  name: string;
  fname?: string;
  t: RoomType;
  open?: boolean;
  alert?: boolean;
  unread?: number;
  userMentions?: number;
  groupMentions?: number;
  ts?: Ms;
  ls?: Ms;
  lr?: Ms;
  f?: boolean;
  roles?: string[];
  tunread?: ID[];
  prid?: ID;
  teamId?: ID;
  teamMain?: boolean;
  archived?: boolean;
  _updatedAt?: Ms;
}

export interface Reaction {
  usernames: string[];
  names?: string[];
}

export interface Attachment {
  title?: string;
  title_link?: string;
  title_link_download?: boolean;
  text?: string;
  description?: string;
  image_url?: string;
  image_type?: string;
  image_dimensions?: { width: number; height: number };
  audio_url?: string;
  video_url?: string;
  type?: string;
  color?: string;
  author_name?: string;
  author_icon?: string;
  message_link?: string;
  ts?: Ms;
  attachments?: Attachment[];
  fields?: { title: string; value: string; short?: boolean }[];
}

export interface FileRef {
  _id: ID;
  name: string;
  type?: string;
  size?: number;
}

export interface Message {
  _id: ID;
  rid: ID;
  msg: string;
  ts: Ms;
  u: UserRef;
  _updatedAt?: Ms;
  md?: MdRoot;
  t?: string;
  role?: string;
  mentions?: { _id: ID; username?: string; name?: string; type?: string }[];
  channels?: { _id: ID; name: string }[];
  reactions?: Record<string, Reaction>;
  pinned?: boolean;
  starred?: { _id: ID }[];
  editedAt?: Ms;
  editedBy?: UserRef;
  tmid?: ID;
  tshow?: boolean;
  tcount?: number;
  tlm?: Ms;
  replies?: ID[];
  drid?: ID;
  dcount?: number;
  dlm?: Ms;
  attachments?: Attachment[];
  file?: FileRef;
  files?: FileRef[];
  alias?: string;
  emoji?: string;
  bot?: { i?: string };
  avatar?: string;
  groupable?: boolean;
  _hidden?: boolean;
  // Client-side only: a message sent and not yet acknowledged.
  pending?: boolean;
  failed?: boolean;
}

export interface Setting {
  _id: string;
  value: unknown;
  type?: string;
  group?: string;
  section?: string;
  i18nLabel?: string;
  i18nDescription?: string;
  packageValue?: unknown;
  public?: boolean;
  readonly?: boolean;
  blocked?: boolean;
  hidden?: boolean;
  values?: { key: string; i18nLabel: string }[];
  sorter?: number;
  env?: boolean;
}

export interface Permission {
  _id: string;
  roles: string[];
  group?: string;
  level?: string;
}

export interface Role {
  _id: string;
  name: string;
  scope?: string;
  description?: string;
  protected?: boolean;
}

// The md tree of @rocket.chat/message-parser (rc-api.md §4).
export interface MdNode {
  type: string;
  value?: any;
  [attr: string]: any;
}
export type MdRoot = MdNode[];

/** Integration is an incoming or outgoing webhook (integrations.*). */
export interface Integration {
  _id: ID;
  type: 'webhook-incoming' | 'webhook-outgoing';
  name: string;
  enabled: boolean;
  username: string;
  channel: string[];
  alias?: string;
  emoji?: string;
  avatar?: string;
  token?: string;
  scriptEnabled: boolean;
  script?: string;
  scriptError?: string;
  // Incoming webhooks.
  overrideDestinationChannelEnabled?: boolean;
  // Outgoing webhooks.
  event?: string;
  urls?: string[];
  triggerWords?: string[];
  retryFailedCalls?: boolean;
  retryCount?: number;
  retryDelay?: string;
  impersonateUser?: boolean;
  runOnEdits?: boolean;
  targetRoom?: string;
}

/** IntegrationRun is one call of an outgoing webhook (integrations.history). */
export interface IntegrationRun {
  _id: ID;
  _createdAt: string;
  step: string;
  event?: string;
  triggerWord?: string;
  url?: string;
  /** The payload the call sent; a run without one cannot be replayed. */
  data?: Record<string, unknown>;
  error: boolean;
  finished: boolean;
  httpResult?: string;
  httpError?: string;
  errorStack?: string;
}
