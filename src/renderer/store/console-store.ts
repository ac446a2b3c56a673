// The renderer's state: session, sync status, the inbox, the open thread, drafts and the errors
// the agent has not dismissed yet. Every call goes through the ConsoleClient; every failure lands in
// `errors` (shown as a banner), none is swallowed. Events from main keep it fresh.
import { createStore } from 'zustand/vanilla';
import type { Clock } from '../../shared/clock.ts';
import type {
  ConsoleEvent,
  ConversationListItem,
  ConversationView,
  MessageView,
  SessionInfo,
  SyncStatus,
  Unsubscribe,
} from '../../shared/console-api.ts';
import { toErrorInfo } from '../../shared/result.ts';
import type { ConsoleClient } from '../bridge/console-client.ts';

/** What the agent was doing when something failed: picks the banner's title. */
export type FailedAction =
  'start' | 'loadConversations' | 'loadMessages' | 'send' | 'markRead' | 'syncStatus';

export interface UiError {
  id: number;
  action: FailedAction;
  code: string;
  message: string;
}

/** Codes of a broken link between the renderer and main (see bridge/), not of one call. */
export const LINK_ERROR_CODES: readonly string[] = [
  'UNAUTHORIZED',
  'HOST_UNREACHABLE',
  'BRIDGE_FAILED',
  'BAD_RESPONSE',
];

/** The newest conversations the inbox keeps loaded (the API's page limit). */
const INBOX_LIMIT = 500;
const THREAD_LIMIT = 200;
/** The inbox's view until the UI offers the others (a later issue). */
const INBOX_VIEW: ConversationView = 'open';

export interface ConsoleState {
  clock: Clock;
  session: SessionInfo | null;
  sync: SyncStatus | null;
  conversations: ConversationListItem[];
  /** How many conversations each view holds, for the tabs' badges; null until the first page. */
  viewCounts: Record<ConversationView, number> | null;
  /** Unread messages across the inbox (the dock or taskbar badge shows the same). */
  unreadTotal: number;
  conversationsLoaded: boolean;
  /** The last attempt to load the inbox failed (its reason is in `errors`). */
  conversationsFailed: boolean;
  selectedId: string | null;
  /** The open thread, oldest first, and which conversation it belongs to. */
  messages: MessageView[];
  messagesFor: string | null;
  /** Older messages exist than the ones loaded (the thread shows its newest page). */
  hasOlderMessages: boolean;
  drafts: Record<string, string>;
  sending: boolean;
  errors: UiError[];

  /** Loads everything and subscribes to main's events; the returned function stops listening. */
  start: () => Unsubscribe;
  refreshConversations: () => Promise<void>;
  select: (conversationId: string) => void;
  refreshMessages: () => Promise<void>;
  setDraft: (conversationId: string, text: string) => void;
  /** Resolves true when main accepted the message (it then shows as pending until confirmed). */
  sendText: (conversationId: string, text: string) => Promise<boolean>;
  dismissError: (id: number) => void;
}

export function createConsoleStore(client: ConsoleClient, clock: Clock) {
  let nextErrorId = 1;
  // Answers to superseded requests are dropped, so a slow reply never overwrites a newer one.
  let conversationsRequest = 0;
  let messagesRequest = 0;

  return createStore<ConsoleState>()((set, get) => {
    function report(action: FailedAction, error: unknown): void {
      const info = toErrorInfo(error);
      // A repeated failure replaces its earlier banner; a broken link to the console is one banner
      // whatever the agent was doing, not one per call that hit it.
      const sameProblem = (e: UiError) =>
        e.code === info.code && (LINK_ERROR_CODES.includes(info.code) || e.action === action);
      set((state) => ({
        errors: [...state.errors.filter((e) => !sameProblem(e)), { id: nextErrorId++, action, ...info }],
      }));
    }

    function markRead(conversationId: string): void {
      set((state) => ({
        conversations: state.conversations.map((c) =>
          c.id === conversationId && c.unreadCount > 0 ? { ...c, unreadCount: 0 } : c,
        ),
      }));
      client
        .call('markConversationRead', { conversationId })
        .catch((error: unknown) => report('markRead', error));
    }

    function handleEvent(event: ConsoleEvent): void {
      switch (event.type) {
        case 'conversations.changed':
          void get().refreshConversations();
          return;
        case 'messages.changed':
          if (event.conversationId === get().selectedId) void get().refreshMessages();
          return;
        case 'sync.status': {
          const previous = get().sync?.state;
          set({ sync: event.status });
          // Back from offline or a rebuild: whatever changed meanwhile is reloaded once.
          if (event.status.state === 'connected' && previous !== undefined && previous !== 'connected') {
            void get().refreshConversations();
            void get().refreshMessages();
          }
          return;
        }
        case 'unread.changed':
          set({ unreadTotal: event.unreadTotal });
          return;
        case 'conversation.open':
          // A desktop notification was clicked: its conversation comes to the front.
          get().select(event.conversationId);
          return;
      }
    }

    return {
      clock,
      session: null,
      sync: null,
      conversations: [],
      viewCounts: null,
      unreadTotal: 0,
      conversationsLoaded: false,
      conversationsFailed: false,
      selectedId: null,
      messages: [],
      messagesFor: null,
      hasOlderMessages: false,
      drafts: {},
      sending: false,
      errors: [],

      start() {
        const unsubscribe = client.onEvent(handleEvent);
        // Messages that arrived in the open thread while the window was hidden are read on return.
        const onVisibilityChange = () => {
          const open = get().conversations.find((c) => c.id === get().selectedId);
          if (document.visibilityState === 'visible' && open && open.unreadCount > 0) markRead(open.id);
        };
        document.addEventListener('visibilitychange', onVisibilityChange);
        client.call('getSession', {}).then(
          (session) => set({ session }),
          (error: unknown) => report('start', error),
        );
        client.call('getSyncStatus', {}).then(
          (sync) => set((state) => ({ sync: state.sync ?? sync })),
          (error: unknown) => report('syncStatus', error),
        );
        void get().refreshConversations();
        return () => {
          unsubscribe();
          document.removeEventListener('visibilitychange', onVisibilityChange);
        };
      },

      async refreshConversations() {
        const request = ++conversationsRequest;
        try {
          const page = await client.call('listConversations', { view: INBOX_VIEW, limit: INBOX_LIMIT });
          if (request !== conversationsRequest) return;
          // Newest activity first, as main answers it.
          const conversations = page.items;
          set({
            conversations,
            viewCounts: page.counts,
            unreadTotal: page.unreadTotal,
            conversationsLoaded: true,
            conversationsFailed: false,
          });
          // New messages in the thread the agent is reading are read already.
          const open = conversations.find((c) => c.id === get().selectedId);
          if (open && open.unreadCount > 0 && document.visibilityState === 'visible') markRead(open.id);
        } catch (error) {
          if (request === conversationsRequest) set({ conversationsLoaded: true, conversationsFailed: true });
          report('loadConversations', error);
        }
      },

      select(conversationId) {
        if (get().selectedId !== conversationId) {
          set({ selectedId: conversationId, messages: [], messagesFor: null, hasOlderMessages: false });
          void get().refreshMessages();
        }
        markRead(conversationId);
      },

      async refreshMessages() {
        const conversationId = get().selectedId;
        if (conversationId === null) return;
        const request = ++messagesRequest;
        try {
          const page = await client.call('getMessages', { conversationId, limit: THREAD_LIMIT });
          if (request === messagesRequest)
            set({ messages: page.messages, messagesFor: conversationId, hasOlderMessages: page.hasOlder });
        } catch (error) {
          report('loadMessages', error);
        }
      },

      setDraft(conversationId, text) {
        set((state) => ({ drafts: { ...state.drafts, [conversationId]: text } }));
      },

      async sendText(conversationId, text) {
        set({ sending: true });
        try {
          await client.call('sendText', { conversationId, text });
          set((state) => ({ drafts: { ...state.drafts, [conversationId]: '' } }));
          if (get().selectedId === conversationId) void get().refreshMessages();
          return true;
        } catch (error) {
          report('send', error);
          return false;
        } finally {
          set({ sending: false });
        }
      },

      dismissError(id) {
        set((state) => ({ errors: state.errors.filter((e) => e.id !== id) }));
      },
    };
  });
}

export type ConsoleStore = ReturnType<typeof createConsoleStore>;
