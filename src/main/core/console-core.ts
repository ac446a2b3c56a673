// The console's main-process core: the ConsoleApi the renderer calls, over a local SQLite cache kept
// in step with the relay. Plain Node, no Electron: the Electron shell and the web host both carry it.
import { basename, dirname, join } from 'node:path';
import { systemClock, type Clock } from '../../shared/clock.ts';
import type {
  ConsoleApi,
  ConsoleEventListener,
  ConsoleOutputs,
  ConsoleParsedInput,
  SessionInfo,
  SyncStatus,
  Unsubscribe,
} from '../../shared/console-api.ts';
import type { Note } from '../../shared/domain.ts';
import { CodedError } from '../../shared/result.ts';
import { CacheRepository } from '../cache/cache-repository.ts';
import { openCacheDatabase } from '../cache/open-cache.ts';
import { DEFAULT_RETENTION_DAYS, Retention, retentionCutoff } from '../cache/retention.ts';
import { MessageSearch } from '../cache/search.ts';
import { SyncClient } from '../sync/sync-client.ts';
import type { AppliedChanges } from '../sync/change-set.ts';
import type { SyncHooks } from '../sync/sync-hooks.ts';
import { ConsoleMedia, type MediaLookup } from '../media/console-media.ts';
import { Notifier } from '../notifications/notifier.ts';
import type { NotificationLocale } from '../notifications/notification-strings.ts';
import type { MediaSource } from '../ports.ts';
import { ConsoleActions } from './console-actions.ts';
import { EventHub } from './event-hub.ts';
import { threadPage } from './message-views.ts';

export type { SyncHooks } from '../sync/sync-hooks.ts';

export interface ConsoleCoreOptions {
  /** SQLite cache file (one per relay+agent). */
  cachePath: string;
  /** http://host:port of the relay. */
  relayUrl: string;
  /** The agent's relay token (from the keychain, or in memory in demo mode). */
  token: string;
  /** Stable id of this console installation. */
  clientId: string;
  demo: boolean;
  clock?: Clock;
  /** Test seam, optional. */
  hooks?: SyncHooks;
  /** Messages older than this many days are pruned from the cache (default 90). */
  retentionDays?: number;
  /** Where media is kept on disk; default: a folder beside the cache file. */
  mediaDir?: string;
  /** Language of desktop notifications (default Spanish). */
  locale?: NotificationLocale;
  /** How long the relay connection may stay silent before it is dropped (default 45 s); tests shorten it. */
  watchdogMs?: number;
}

/** Retention runs at open and then once a day. */
const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;

/**
 * The ConsoleApi over one agent's cache and relay connection. Signing in and out and the machine
 * policy are answered around it (src/main/session), which opens a core per signed-in agent.
 */
export type ConsoleCore = Omit<ConsoleApi, 'signIn' | 'signOut' | 'getPolicy'> & {
  /** The agent's media, fetched from the relay and kept on disk: the shell and the web host serve it. */
  readonly media: MediaSource;
  close(): Promise<void>;
};

/** Opens the cache and starts syncing in the background. */
export function openConsoleCore(options: ConsoleCoreOptions): Promise<ConsoleCore> {
  try {
    return Promise.resolve(new LocalConsoleCore(options));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

class LocalConsoleCore implements ConsoleCore {
  readonly #options: ConsoleCoreOptions;
  readonly #db: ReturnType<typeof openCacheDatabase>;
  readonly #repo: CacheRepository;
  readonly #events = new EventHub();
  readonly #sync: SyncClient;
  readonly #actions: ConsoleActions;
  readonly #media: ConsoleMedia;
  readonly #notifier: Notifier;
  readonly #search: MessageSearch;
  readonly #retention: Retention;
  readonly #clock: Clock;
  readonly #retentionTimer: NodeJS.Timeout;
  #closed = false;

  constructor(options: ConsoleCoreOptions) {
    this.#options = options;
    const clock = options.clock ?? systemClock;
    this.#clock = clock;
    this.#db = openCacheDatabase(options.cachePath);
    try {
      this.#repo = new CacheRepository(this.#db);
      const repo = this.#repo;
      this.#sync = new SyncClient({
        relayUrl: options.relayUrl,
        token: options.token,
        clientId: options.clientId,
        clock,
        repo,
        ...(options.hooks ? { hooks: options.hooks } : {}),
        ...(options.watchdogMs === undefined ? {} : { watchdogMs: options.watchdogMs }),
        listener: {
          applied: (changes) => {
            this.#announce(changes);
            this.#notifier.onApplied();
          },
          statusChanged: (status) => {
            this.#events.emit({ type: 'sync.status', status });
            this.#notifier.onSyncStatus(status);
          },
          ready: () => this.#actions.resendPending(),
          commandResult: (mutationId, result) => this.#actions.settle(mutationId, result),
        },
      });
      this.#media = new ConsoleMedia({
        dir: options.mediaDir ?? defaultMediaDir(options.cachePath),
        relayUrl: options.relayUrl,
        token: options.token,
        clock,
        lookup: (messageId) => this.#mediaLookup(messageId),
      });
      this.#notifier = new Notifier({
        db: this.#db,
        agentId: () => repo.getAgent()?.id ?? null,
        emit: (event) => this.#events.emit(event),
        clock,
        ...(options.locale ? { locale: options.locale } : {}),
      });
      this.#actions = new ConsoleActions({
        repo,
        clock,
        clockOffsetMs: () => this.#sync.status.clockOffsetMs,
        send: (mutationId, command) => this.#sync.sendCommand(mutationId, command),
        media: this.#media,
        emit: (event) => {
          this.#events.emit(event);
          // A conversation read here changes the unread total the badge shows.
          if (event.type === 'conversations.changed') this.#notifier.onApplied();
        },
      });
      this.#search = new MessageSearch(this.#db);
      this.#retention = new Retention(this.#db);
      this.#pruneCache();
    } catch (error) {
      this.#db.close();
      throw error;
    }
    this.#retentionTimer = setInterval(() => {
      // A failed prune (say, a busy database) only keeps rows a day longer: the next run retries.
      try {
        this.#pruneCache();
      } catch {
        /* retried tomorrow */
      }
    }, RETENTION_INTERVAL_MS);
    this.#retentionTimer.unref();
    this.#sync.start();
  }

  /** Tells the UI once per batch what a batch of events (or a rebuild) changed. */
  #announce(changes: AppliedChanges): void {
    const emit = this.#events.emit.bind(this.#events);
    if (changes.conversationIds.length > 0)
      emit({ type: 'conversations.changed', conversationIds: changes.conversationIds });
    for (const conversationId of changes.threadIds) emit({ type: 'messages.changed', conversationId });
    if (changes.templates) emit({ type: 'catalog.changed', catalog: 'templates', conversationId: null });
    if (changes.quickReplies)
      emit({ type: 'catalog.changed', catalog: 'quick_replies', conversationId: null });
    for (const conversationId of changes.noteConversationIds)
      emit({ type: 'catalog.changed', catalog: 'notes', conversationId });
  }

  /** Relay time now: windows and the `expiring` view are judged on the relay's clock. */
  #relayNow(): number {
    return this.#clock.now() + this.#sync.status.clockOffsetMs;
  }

  /**
   * Prunes what is older than the retention, by relay time (message times are the relay's), then
   * the media files of the messages that went.
   */
  #pruneCache(): void {
    const relayNow = this.#relayNow();
    const days = this.#options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.#retention.pruneOlderThan(retentionCutoff(relayNow, days));
    this.#media.prune().catch(() => {
      /* a file in use stays until the next run */
    });
  }

  /** What the media cache may serve: a cached message, or the agent's own file still in the outbox. */
  #mediaLookup(messageId: string): MediaLookup {
    if (this.#closed) return null;
    const message = this.#repo.getMessage(messageId);
    if (message) return { kind: 'relay', message };
    const row = this.#repo.outbox.get(messageId);
    if (row?.command.kind === 'send_media') return { kind: 'outgoing' };
    // A retried media send keeps the first attempt's file: its row names it by that id.
    return this.#repo.outbox
      .pending()
      .some((r) => r.command.kind === 'send_media' && r.command.uploadId === messageId && r.needsUpload)
      ? { kind: 'outgoing' }
      : null;
  }

  get media(): MediaSource {
    return this.#media;
  }

  getSession(_input: ConsoleParsedInput<'getSession'>): Promise<SessionInfo> {
    return this.#run(() => {
      // Remembered from the last welcome, so an offline start still knows who is signed in.
      const agent = this.#repo.getAgent();
      if (!agent) throw new CodedError('NOT_READY', 'The console has not reached the relay yet');
      return { agent, relayUrl: this.#options.relayUrl, demo: this.#options.demo };
    });
  }

  getSyncStatus(_input: ConsoleParsedInput<'getSyncStatus'>): Promise<SyncStatus> {
    return this.#run(() => this.#sync.status);
  }

  listConversations(
    input: ConsoleParsedInput<'listConversations'>,
  ): Promise<ConsoleOutputs['listConversations']> {
    return this.#run(() => {
      const context = { agentId: this.#repo.getAgent()?.id ?? null, relayNow: this.#relayNow() };
      // One read transaction: the page and its counts describe the same moment.
      return this.#repo.transaction(() => ({
        ...this.#repo.inbox.page(input, context),
        ...this.#repo.inbox.counts(input.phoneNumberId, context),
      }));
    });
  }

  getConversation(input: ConsoleParsedInput<'getConversation'>): Promise<ConsoleOutputs['getConversation']> {
    return this.#run(() => {
      const conversation = this.#repo.getConversation(input.conversationId);
      if (!conversation) {
        throw new CodedError(
          'CONVERSATION_NOT_FOUND',
          `No conversation ${input.conversationId} in this console`,
        );
      }
      return conversation;
    });
  }

  getMessages(input: ConsoleParsedInput<'getMessages'>): Promise<ConsoleOutputs['getMessages']> {
    return this.#run(() =>
      this.#repo.transaction(() => threadPage(this.#repo, input, this.#repo.getAgent()?.id ?? null)),
    );
  }

  listNotes(input: ConsoleParsedInput<'listNotes'>): Promise<ConsoleOutputs['listNotes']> {
    return this.#run(() => {
      const confirmed = this.#repo.notes.ofConversation(input.conversationId);
      const conversation = this.#repo.getConversation(input.conversationId);
      const authorId = this.#repo.getAgent()?.id ?? '';
      // Notes still in the outbox show as written; the relay gives a confirmed one the same id.
      const pending: Note[] = this.#repo.outbox.ofConversation(input.conversationId).flatMap((row) =>
        row.command.kind === 'add_note'
          ? [
              {
                id: row.mutationId,
                conversationId: input.conversationId,
                phoneNumberId: conversation?.phoneNumberId ?? input.conversationId.split(':')[0] ?? '',
                authorId,
                text: row.command.text,
                at: row.createdAt,
              },
            ]
          : [],
      );
      // Stable: at equal times confirmed notes stay before pending ones.
      return [...confirmed, ...pending].sort((a, b) => a.at - b.at);
    });
  }

  searchMessages(input: ConsoleParsedInput<'searchMessages'>): Promise<ConsoleOutputs['searchMessages']> {
    return this.#run(() => ({ hits: this.#search.search(input) }));
  }

  listTemplates(_input: ConsoleParsedInput<'listTemplates'>): Promise<ConsoleOutputs['listTemplates']> {
    return this.#run(() => this.#repo.catalog.listTemplates());
  }

  syncTemplates(_input: ConsoleParsedInput<'syncTemplates'>): Promise<ConsoleOutputs['syncTemplates']> {
    return this.#run(() => this.#actions.syncTemplates());
  }

  listQuickReplies(
    _input: ConsoleParsedInput<'listQuickReplies'>,
  ): Promise<ConsoleOutputs['listQuickReplies']> {
    return this.#run(() => this.#repo.quickReplies.list());
  }

  // --- actions: durable in the outbox first, then sent (ConsoleActions) -------------------------

  markConversationRead(input: ConsoleParsedInput<'markConversationRead'>): Promise<null> {
    return this.#run(() => this.#actions.markConversationRead(input));
  }

  sendText(input: ConsoleParsedInput<'sendText'>): Promise<ConsoleOutputs['sendText']> {
    return this.#run(() => this.#actions.sendText(input));
  }

  sendTemplate(input: ConsoleParsedInput<'sendTemplate'>): Promise<ConsoleOutputs['sendTemplate']> {
    return this.#run(() => this.#actions.sendTemplate(input));
  }

  sendMedia(input: ConsoleParsedInput<'sendMedia'>): Promise<ConsoleOutputs['sendMedia']> {
    return this.#run(() => this.#actions.sendMedia(input));
  }

  sendReaction(input: ConsoleParsedInput<'sendReaction'>): Promise<ConsoleOutputs['sendReaction']> {
    return this.#run(() => this.#actions.sendReaction(input));
  }

  addNote(input: ConsoleParsedInput<'addNote'>): Promise<ConsoleOutputs['addNote']> {
    return this.#run(() => this.#actions.addNote(input));
  }

  assignConversation(
    input: ConsoleParsedInput<'assignConversation'>,
  ): Promise<ConsoleOutputs['assignConversation']> {
    return this.#run(() => this.#actions.assignConversation(input));
  }

  transferConversation(
    input: ConsoleParsedInput<'transferConversation'>,
  ): Promise<ConsoleOutputs['transferConversation']> {
    return this.#run(() => this.#actions.transferConversation(input));
  }

  closeConversation(
    input: ConsoleParsedInput<'closeConversation'>,
  ): Promise<ConsoleOutputs['closeConversation']> {
    return this.#run(() => this.#actions.closeConversation(input));
  }

  reopenConversation(
    input: ConsoleParsedInput<'reopenConversation'>,
  ): Promise<ConsoleOutputs['reopenConversation']> {
    return this.#run(() => this.#actions.reopenConversation(input));
  }

  retryMessage(input: ConsoleParsedInput<'retryMessage'>): Promise<ConsoleOutputs['retryMessage']> {
    return this.#run(() => this.#actions.retryMessage(input));
  }

  discardMessage(input: ConsoleParsedInput<'discardMessage'>): Promise<null> {
    return this.#run(() => this.#actions.discardMessage(input));
  }

  saveQuickReply(input: ConsoleParsedInput<'saveQuickReply'>): Promise<ConsoleOutputs['saveQuickReply']> {
    return this.#run(() => this.#actions.saveQuickReply(input));
  }

  deleteQuickReply(
    input: ConsoleParsedInput<'deleteQuickReply'>,
  ): Promise<ConsoleOutputs['deleteQuickReply']> {
    return this.#run(() => this.#actions.deleteQuickReply(input));
  }

  onEvent(listener: ConsoleEventListener): Unsubscribe {
    return this.#events.on(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#retentionTimer);
    await this.#sync.stop();
    this.#media.close();
    this.#notifier.close();
    this.#db.close();
  }

  /** Every API call: refused once closed, and a thrown error becomes a rejected promise. */
  #run<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new CodedError('CLOSED', 'The console core is closed'));
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/** `<cache>.sqlite` keeps its media in `<cache>-media/` beside it. */
function defaultMediaDir(cachePath: string): string {
  return join(dirname(cachePath), `${basename(cachePath, '.sqlite')}-media`);
}
