// The console's main-process core: the ConsoleApi the renderer calls, over a local SQLite cache kept
// in step with the relay. Plain Node, no Electron: the Electron shell and the web host both carry it.
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
import { CodedError } from '../../shared/result.ts';
import { CacheRepository } from '../cache/cache-repository.ts';
import { openCacheDatabase } from '../cache/open-cache.ts';
import { DEFAULT_RETENTION_DAYS, Retention, retentionCutoff } from '../cache/retention.ts';
import { MessageSearch } from '../cache/search.ts';
import { SyncClient } from '../sync/sync-client.ts';
import type { SyncHooks } from '../sync/sync-hooks.ts';
import { EventHub } from './event-hub.ts';
import { threadView } from './message-views.ts';
import { Outbox } from './outbox.ts';

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
}

/** Retention runs at open and then once a day. */
const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface ConsoleCore extends ConsoleApi {
  close(): Promise<void>;
}

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
  readonly #outbox: Outbox;
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
        listener: {
          applied: ({ conversationIds, threadIds }) => {
            if (conversationIds.length > 0)
              this.#events.emit({ type: 'conversations.changed', conversationIds });
            for (const conversationId of threadIds)
              this.#events.emit({ type: 'messages.changed', conversationId });
          },
          statusChanged: (status) => this.#events.emit({ type: 'sync.status', status }),
          ready: () => this.#outbox.resendPending(),
          commandResult: (mutationId, result) => {
            const conversationId = this.#outbox.settle(mutationId, result);
            if (conversationId) this.#events.emit({ type: 'messages.changed', conversationId });
          },
        },
      });
      this.#outbox = new Outbox({
        repo,
        clock,
        clockOffsetMs: () => this.#sync.status.clockOffsetMs,
        send: (mutationId, command) => this.#sync.sendCommand(mutationId, command),
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

  /**
   * Prunes what is older than the retention, by relay time (message times are the relay's).
   * Media cached on disk will be pruned here too, against the same cutoff, once the console keeps it.
   */
  #pruneCache(): void {
    const relayNow = this.#clock.now() + this.#sync.status.clockOffsetMs;
    const days = this.#options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.#retention.pruneOlderThan(retentionCutoff(relayNow, days));
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
    return this.#run(() => this.#repo.listConversations(input.limit));
  }

  getMessages(input: ConsoleParsedInput<'getMessages'>): Promise<ConsoleOutputs['getMessages']> {
    return this.#run(() => threadView(this.#repo, input, this.#repo.getAgent()?.id ?? null));
  }

  sendText(input: ConsoleParsedInput<'sendText'>): Promise<ConsoleOutputs['sendText']> {
    return this.#run(() => {
      const mutationId = this.#outbox.queueText(input.conversationId, input.text);
      this.#events.emit({ type: 'messages.changed', conversationId: input.conversationId });
      return { mutationId };
    });
  }

  markConversationRead(input: ConsoleParsedInput<'markConversationRead'>): Promise<null> {
    return this.#run(() => {
      if (!this.#repo.clearUnread(input.conversationId)) {
        throw new CodedError(
          'CONVERSATION_NOT_FOUND',
          `No conversation ${input.conversationId} in this console`,
        );
      }
      this.#events.emit({ type: 'conversations.changed', conversationIds: [input.conversationId] });
      return null;
    });
  }

  searchMessages(input: ConsoleParsedInput<'searchMessages'>): Promise<ConsoleOutputs['searchMessages']> {
    return this.#run(() => ({ hits: this.#search.search(input) }));
  }

  onEvent(listener: ConsoleEventListener): Unsubscribe {
    return this.#events.on(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#retentionTimer);
    await this.#sync.stop();
    this.#db.close();
  }

  /** Every API call: refused once closed, and a thrown error becomes a rejected promise. */
  #run<T>(work: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new CodedError('CLOSED', 'The console core is closed'));
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
