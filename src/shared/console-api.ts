// The console's API: what the renderer may ask of the main process, and the events it receives.
// Main implements `ConsoleApi` once; two transports carry it (Electron IPC through the preload, and
// the web host over loopback HTTP + WebSocket), both as a `ConsoleBridge` whose calls return Results.
//
// This file is free of zod on purpose: the sandboxed preload imports it and must stay one small file.
import type { z } from 'zod';
import type { consoleMethodInputs } from './console-api-inputs.ts';
import type { Agent, Conversation, Message } from './domain.ts';
import type { Result } from './result.ts';

/** Every method the renderer may call; console-api-inputs.ts holds one input schema for each. */
export const CONSOLE_METHODS = [
  'getSession',
  'getSyncStatus',
  'listConversations',
  'getMessages',
  'sendText',
  'markConversationRead',
  'searchMessages',
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

export interface MessageView extends Message {
  /** True while the message is still an outbox row the relay has not confirmed. */
  pending: boolean;
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

export interface ConsoleOutputs {
  getSession: SessionInfo;
  getSyncStatus: SyncStatus;
  listConversations: ConversationListItem[];
  /** Oldest first. */
  getMessages: MessageView[];
  sendText: { mutationId: string };
  markConversationRead: null;
  /** Newest first. */
  searchMessages: { hits: MessageSearchHit[] };
}

export type ConsoleEvent =
  | { type: 'conversations.changed'; conversationIds: string[] }
  | { type: 'messages.changed'; conversationId: string }
  | { type: 'sync.status'; status: SyncStatus };

export type ConsoleEventListener = (event: ConsoleEvent) => void;
export type Unsubscribe = () => void;

/** What main implements: plain async methods that throw CodedError on refusal. */
export type ConsoleApi = {
  [M in ConsoleMethod]: (input: ConsoleParsedInput<M>) => Promise<ConsoleOutputs[M]>;
} & { onEvent(listener: ConsoleEventListener): Unsubscribe };

/** What the renderer holds: the same methods carried over a transport, answering Results. */
export type ConsoleBridge = {
  [M in ConsoleMethod]: (input: ConsoleInput<M>) => Promise<Result<ConsoleOutputs[M]>>;
} & { onEvent(listener: ConsoleEventListener): Unsubscribe };

/** Exactly the keys a transport exposes to the renderer. */
export const CONSOLE_BRIDGE_KEYS = [...CONSOLE_METHODS, 'onEvent'] as const;

/** Electron IPC channel names. */
export const ipcChannel = (method: ConsoleMethod): string => `ventana:${method}`;
export const IPC_EVENT_CHANNEL = 'ventana:event';
/** Name of the bridge on the renderer's window. */
export const BRIDGE_GLOBAL = 'ventana';
