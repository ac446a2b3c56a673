// The console's API: what the renderer may ask of the main process, and the events it receives.
// Main implements `ConsoleApi` once; two transports carry it (Electron IPC through the preload, and
// the web host over loopback HTTP + WebSocket), both as a `ConsoleBridge` whose calls return Results.
//
// This file is free of zod on purpose: the sandboxed preload imports it and must stay one small file.
import type { z } from 'zod';
import type { consoleMethodInputs } from './console-api-inputs.ts';
import type { Agent, Conversation, Message, Note, QuickReply, Template } from './domain.ts';
import type { ErrorInfo, Result } from './result.ts';

/** Every method the renderer may call; console-api-inputs.ts holds one input schema for each. */
export const CONSOLE_METHODS = [
  // session and machine policy
  'getSession',
  'signIn',
  'signOut',
  'getPolicy',
  // sync
  'getSyncStatus',
  // inbox
  'listConversations',
  'getConversation',
  // thread
  'getMessages',
  'listNotes',
  'searchMessages',
  'markConversationRead',
  // actions: each is queued durably in the outbox and answers its mutation id
  'sendText',
  'sendTemplate',
  'sendMedia',
  'sendReaction',
  'addNote',
  'assignConversation',
  'transferConversation',
  'closeConversation',
  'reopenConversation',
  'retryMessage',
  'discardMessage',
  // catalogs
  'listTemplates',
  'syncTemplates',
  'listQuickReplies',
  'saveQuickReply',
  'deleteQuickReply',
] as const;
export type ConsoleMethod = (typeof CONSOLE_METHODS)[number];
export type ConsoleInput<M extends ConsoleMethod> = z.input<(typeof consoleMethodInputs)[M]>;
export type ConsoleParsedInput<M extends ConsoleMethod> = z.output<(typeof consoleMethodInputs)[M]>;

export interface SessionInfo {
  agent: Agent;
  relayUrl: string;
  /** Demo mode: relay and simulator run in-process; nothing is kept in the keychain. */
  demo: boolean;
}

/** What the console runs with after machine policy is merged over the user's settings. */
export interface PolicyView {
  /** The relay to sign in to; null when neither IT nor the user chose one yet. */
  relayUrl: string | null;
  retentionDays: number;
  updateChannel: 'stable' | 'beta';
  /** Keys IT has locked: the UI shows them read-only (e.g. the relay URL at sign-in). */
  locked: ('relayUrl' | 'retentionDays' | 'updateChannel')[];
  /** One sentence per invalid policy entry (source, key, what is wrong): safe defaults applied instead. */
  problems: string[];
}

export type SyncState = 'connecting' | 'catching_up' | 'connected' | 'offline' | 'error';

export interface SyncStatus {
  state: SyncState;
  /** Last event seq applied to the cache. */
  cursor: number;
  /** The relay's newest seq as of the last welcome (for "catching up n of m"). */
  headSeq: number;
  /** When the connection was lost (ms, local clock), or null while connected. */
  offlineSince: number | null;
  /** Why the last connection attempt failed, for the UI. */
  error: string | null;
  /** relay time - local time (ms): every countdown adds it so a skewed desktop still counts right. */
  clockOffsetMs: number;
}

export interface ConversationListItem extends Conversation {
  unreadCount: number;
}

/**
 * The inbox's views: `open` every open conversation, `mine` open ones assigned to the signed-in agent,
 * `unassigned` open ones nobody has, `unread` open ones with unread messages, `expiring` open ones
 * whose window closes within two hours (relay time), `closed` the closed ones.
 */
export const CONVERSATION_VIEWS = ['open', 'mine', 'unassigned', 'unread', 'expiring', 'closed'] as const;
export type ConversationView = (typeof CONVERSATION_VIEWS)[number];

/** Keyset position in the inbox (newest activity first): the last item of the previous page. */
export interface ConversationCursor {
  lastMessageAt: number;
  id: string;
}

export interface ConversationPage {
  items: ConversationListItem[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: ConversationCursor | null;
  /** How many conversations each view holds (same phone-number filter), for the tabs' badges. */
  counts: Record<ConversationView, number>;
  /** Unread messages across the inbox: the dock or taskbar badge shows the same number. */
  unreadTotal: number;
}

export interface MessageView extends Message {
  /** True while the message is still an outbox row the relay has not confirmed. */
  pending: boolean;
  /** Why the relay refused this outbox row (code and message); null otherwise. Meta's own reasons are in `error`. */
  refusal: ErrorInfo | null;
}

export interface ThreadPage {
  /** Oldest first. Outbox rows (pending or refused) are part of the newest page. */
  messages: MessageView[];
  hasOlder: boolean;
  hasNewer: boolean;
}

/** Wraps each matched word in a search snippet: the UI turns the pair into a highlight. */
export const HIGHLIGHT_START = '\u0002';
export const HIGHLIGHT_END = '\u0003';

export interface MessageSearchHit {
  messageId: string;
  conversationId: string;
  customerName: string | null;
  timestamp: number;
  /** The matched text around the hit, matched words between HIGHLIGHT_START and HIGHLIGHT_END. */
  snippet: string;
}

/** Every action answers the mutation id of its outbox row (the id of the message it creates). */
export interface Queued {
  mutationId: string;
}

export interface ConsoleOutputs {
  getSession: SessionInfo;
  signIn: SessionInfo;
  signOut: null;
  getPolicy: PolicyView;
  getSyncStatus: SyncStatus;
  listConversations: ConversationPage;
  getConversation: ConversationListItem;
  getMessages: ThreadPage;
  /** Oldest first. */
  listNotes: Note[];
  /** Newest first. */
  searchMessages: { hits: MessageSearchHit[] };
  markConversationRead: null;
  sendText: Queued;
  sendTemplate: Queued;
  sendMedia: Queued;
  sendReaction: Queued;
  addNote: Queued;
  assignConversation: Queued;
  transferConversation: Queued;
  closeConversation: Queued;
  reopenConversation: Queued;
  /** The new attempt's mutation id (a new message: Meta's send has no idempotency key). */
  retryMessage: Queued;
  discardMessage: null;
  /** By name, then language. */
  listTemplates: Template[];
  /** Asks the relay to read the account's templates from Meta again; changes arrive as catalog.changed. */
  syncTemplates: Queued;
  /** By shortcut. */
  listQuickReplies: QuickReply[];
  saveQuickReply: Queued;
  deleteQuickReply: Queued;
}

/** A notification the shell shows natively (the web host forwards it to the page instead). */
export interface ConsoleNotification {
  title: string;
  body: string;
  /** Opens this conversation when clicked; null for a digest of several. */
  conversationId: string | null;
}

export type ConsoleEvent =
  | { type: 'conversations.changed'; conversationIds: string[] }
  | { type: 'messages.changed'; conversationId: string }
  | { type: 'sync.status'; status: SyncStatus }
  /** Templates, quick replies or notes changed: the UI reloads the list it shows. */
  | {
      type: 'catalog.changed';
      catalog: 'templates' | 'quick_replies' | 'notes';
      conversationId: string | null;
    }
  /** Signed in, out, or as someone else: the UI starts over from getSession. */
  | { type: 'session.changed' }
  | { type: 'unread.changed'; unreadTotal: number }
  | { type: 'notification'; notification: ConsoleNotification }
  /** The agent clicked a desktop notification: the page shows this conversation. */
  | { type: 'conversation.open'; conversationId: string };

export type ConsoleEventListener = (event: ConsoleEvent) => void;
export type Unsubscribe = () => void;

/** What main implements: plain async methods that throw CodedError on refusal. */
export type ConsoleApi = {
  [M in ConsoleMethod]: (input: ConsoleParsedInput<M>) => Promise<ConsoleOutputs[M]>;
} & { onEvent(listener: ConsoleEventListener): Unsubscribe };

/** What the renderer holds: the same methods carried over a transport, answering Results. */
export type ConsoleBridge = {
  [M in ConsoleMethod]: (input: ConsoleInput<M>) => Promise<Result<ConsoleOutputs[M]>>;
} & {
  onEvent(listener: ConsoleEventListener): Unsubscribe;
  /**
   * Where the page loads a message's media from (img/video/audio src, download link): main fetches
   * it from the relay, keeps it on disk, and serves it without the page ever holding the token.
   */
  mediaUrl(messageId: string): string;
};

/** Exactly the keys a transport exposes to the renderer. */
export const CONSOLE_BRIDGE_KEYS = [...CONSOLE_METHODS, 'onEvent', 'mediaUrl'] as const;

/** Electron IPC channel names. */
export const ipcChannel = (method: ConsoleMethod): string => `ventana:${method}`;
export const IPC_EVENT_CHANNEL = 'ventana:event';
/** Name of the bridge on the renderer's window. */
export const BRIDGE_GLOBAL = 'ventana';
/** Electron's privileged scheme for media: `ventana-media://message/<messageId>`. */
export const MEDIA_SCHEME = 'ventana-media';
/** The web host's media route: `/media/<messageId>` (the per-launch token travels as a cookie). */
export const WEB_MEDIA_PREFIX = '/media/';
