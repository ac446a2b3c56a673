// Keeps the cache in step with the relay: connects, resumes from the cached cursor, applies pages of
// events, reconnects with backoff when the connection is lost, and keeps SyncStatus current.
import type { SyncStatus } from '../../shared/console-api.ts';
import type { Clock } from '../../shared/clock.ts';
import {
  closeCodes,
  PROTOCOL_VERSION,
  type Command,
  type CommandResult,
  type ServerFrame,
} from '../../shared/protocol.ts';
import type { CacheRepository } from '../cache/cache-repository.ts';
import { applyEventsFrame, type AppliedChanges } from './apply-events.ts';
import { backoffDelay } from './backoff.ts';
import { Rebuild } from './rebuild.ts';
import { RelayConnection, type ConnectionEnd } from './relay-connection.ts';
import type { SyncHooks } from './sync-hooks.ts';
import { syncUrl } from './sync-url.ts';

/** What the rest of the console hears from the sync client. */
export interface SyncListener {
  applied(changes: AppliedChanges): void;
  statusChanged(status: SyncStatus): void;
  /** A connection said welcome: commands may be sent on it (the outbox resends what is pending). */
  ready(): void;
  commandResult(mutationId: string, result: CommandResult): void;
}

export interface SyncClientOptions {
  relayUrl: string;
  token: string;
  clientId: string;
  clock: Clock;
  repo: CacheRepository;
  listener: SyncListener;
  hooks?: SyncHooks;
  /** Jitter source for the backoff (tests may pin it). */
  random?: () => number;
  watchdogMs?: number;
}

export class SyncClient {
  readonly #options: SyncClientOptions;
  readonly #url: string;
  #status: SyncStatus;
  #connection: RelayConnection | null = null;
  /** True once the current connection's welcome has arrived. */
  #ready = false;
  /** The visibility epoch of the current connection's welcome: a rebuild stores it once complete. */
  #welcomeEpoch = 0;
  /** The rebuild under way on the current connection, from its `reset` to its end. */
  #rebuild: Rebuild | null = null;
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Set when retrying cannot help (token refused, protocol mismatch): the user must act. */
  #givenUp = false;

  constructor(options: SyncClientOptions) {
    this.#options = options;
    this.#url = syncUrl(options.relayUrl);
    const cursor = options.repo.getCursor();
    this.#status = {
      state: 'connecting',
      cursor,
      headSeq: cursor,
      offlineSince: null,
      error: null,
      clockOffsetMs: options.repo.getClockOffsetMs(),
    };
  }

  get status(): SyncStatus {
    return { ...this.#status };
  }

  start(): void {
    if (this.#connection || this.#stopped) return;
    this.#connect();
  }

  /** Sends a command on a welcomed connection; false when offline (the outbox resends it later). */
  sendCommand(mutationId: string, command: Command): boolean {
    if (!this.#ready || !this.#connection) return false;
    return this.#connection.send({ type: 'command', mutationId, command });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    const connection = this.#connection;
    if (!connection) return;
    connection.drop(1000, 'console closing');
    // A polite close waits for the relay's answer; a relay that is gone does not get to hold us up.
    const fallback = setTimeout(() => connection.terminate('console closing'), 1000);
    await connection.closed();
    clearTimeout(fallback);
  }

  #connect(): void {
    this.#setStatus({ state: 'connecting' });
    this.#ready = false;
    this.#connection = new RelayConnection({
      url: this.#url,
      token: this.#options.token,
      hello: () => ({
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        clientId: this.#options.clientId,
        cursor: this.#options.repo.getCursor(),
        epoch: this.#options.repo.getEpoch(),
      }),
      onFrame: (frame) => this.#handle(frame),
      onEnd: (end) => this.#ended(end),
      ...(this.#options.watchdogMs === undefined ? {} : { watchdogMs: this.#options.watchdogMs }),
    });
  }

  #handle(frame: ServerFrame): void {
    const { repo, listener } = this.#options;
    if (!this.#ready && frame.type !== 'welcome' && frame.type !== 'error') {
      throw new Error(`the relay sent ${frame.type} before welcome`);
    }
    switch (frame.type) {
      case 'welcome':
        this.#welcome(frame);
        return;
      case 'events': {
        if (this.#rebuild?.snapshotting) throw new Error('the relay sent events before snapshot_done');
        const changes = applyEventsFrame(repo, frame, this.#options.hooks);
        const cursor = repo.getCursor();
        this.#setStatus({ cursor, headSeq: Math.max(this.#status.headSeq, cursor) });
        // During a rebuild by replay the UI hears once, at the end, rather than page by page.
        if (this.#rebuild) this.#rebuild.noteReplayed(changes);
        else listener.applied(changes);
        return;
      }
      case 'caught_up':
        this.#caughtUp(frame.cursor);
        return;
      case 'command_result':
        listener.commandResult(frame.mutationId, frame.result);
        return;
      case 'reset':
        // The cache cannot be brought up to date by replay (cursor past the log's horizon, another
        // visibility, another log): forget the mirror and take the rebuild the relay streams next.
        // The outbox stays: those replies are still the agent's to send. A reset that interrupts a
        // rebuild starts it over, and the UI still hears about what the first one touched.
        this.#rebuild = Rebuild.begin(repo, this.#options.hooks, this.#rebuild);
        this.#setStatus({ state: 'catching_up', cursor: 0 });
        return;
      case 'snapshot':
        if (!this.#rebuild) throw new Error('the relay sent a snapshot without a reset');
        this.#rebuild.applyPage(frame);
        return;
      case 'snapshot_done': {
        if (!this.#rebuild) throw new Error('the relay sent snapshot_done without a reset');
        const rebuilt = this.#rebuild.finishSnapshot(frame.cursor, this.#welcomeEpoch);
        this.#rebuild = null;
        // Still catching up: the events logged since the snapshot was read come next.
        this.#setStatus({ cursor: frame.cursor, headSeq: Math.max(this.#status.headSeq, frame.cursor) });
        listener.applied(rebuilt);
        return;
      }
      case 'error':
        this.#setStatus({ error: frame.error.message });
        return;
    }
  }

  /**
   * The first frame of a connection, and again whenever the agent's access changes while connected
   * (a new epoch; the relay follows it with a reset). Only the first one makes the outbox resend.
   */
  #welcome(frame: Extract<ServerFrame, { type: 'welcome' }>): void {
    const { repo, listener, clock } = this.#options;
    if (frame.protocol !== PROTOCOL_VERSION) {
      this.#giveUp(
        `the relay speaks sync protocol ${frame.protocol}; this console speaks ${PROTOCOL_VERSION}. Update Ventana.`,
      );
      this.#connection?.drop(closeCodes.protocolMismatch, 'protocol mismatch');
      return;
    }
    const clockOffsetMs = frame.serverTime - clock.now();
    repo.transaction(() => {
      repo.setAgent(frame.agent);
      repo.setClockOffsetMs(clockOffsetMs);
    });
    const first = !this.#ready;
    this.#ready = true;
    this.#welcomeEpoch = frame.epoch;
    this.#attempt = 0;
    this.#setStatus({
      state: 'catching_up',
      headSeq: first ? frame.headSeq : Math.max(frame.headSeq, this.#status.headSeq),
      offlineSince: null,
      error: null,
      clockOffsetMs,
    });
    if (first) listener.ready();
  }

  /**
   * The catch-up is over. A rebuild by full replay (a relay with no snapshot for it) is complete
   * here. The relay only streams without a reset to a cache valid for the welcome's epoch, so that
   * epoch is stored if it was not yet (a cache first built by replay from 0). A cache restarted half
   * way through a rebuild may still carry its leftovers, which the replay has now made needless.
   */
  #caughtUp(cursor: number): void {
    const { repo, listener } = this.#options;
    if (this.#rebuild?.snapshotting) throw new Error('the relay sent caught_up before snapshot_done');
    const rebuild = this.#rebuild;
    this.#rebuild = null;
    const epoch = this.#welcomeEpoch;
    if (rebuild || repo.getEpoch() !== epoch || repo.carriesRebuild()) {
      repo.transaction(() => {
        repo.setEpoch(epoch);
        repo.endRebuild();
      });
    }
    // Not stored as the cursor: only events frames move it, in the transaction that applies them.
    this.#setStatus({ state: 'connected', headSeq: Math.max(this.#status.headSeq, cursor) });
    if (rebuild) listener.applied(rebuild.changes());
  }

  #ended(end: ConnectionEnd): void {
    this.#connection = null;
    this.#ready = false;
    // A rebuild cut short stays on disk as it was (cursor 0: the next connection starts it over);
    // the UI is told what the cache now holds.
    const abandoned = this.#rebuild?.changes() ?? null;
    this.#rebuild = null;
    if (abandoned) this.#options.listener.applied(abandoned);
    if (this.#stopped) return;
    const offlineSince = this.#status.offlineSince ?? this.#options.clock.now();
    if (end.httpStatus === 401 || end.httpStatus === 403 || end.code === closeCodes.revoked) {
      this.#giveUp(`the relay no longer accepts this console's token (${end.reason}); sign in again`);
    }
    if (this.#givenUp) {
      this.#setStatus({ state: 'error', offlineSince });
      return;
    }
    this.#setStatus({ state: 'offline', offlineSince, error: end.reason });
    const delay = backoffDelay(this.#attempt, this.#options.random);
    this.#attempt += 1;
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  #giveUp(reason: string): void {
    this.#givenUp = true;
    this.#setStatus({ state: 'error', error: reason });
  }

  #setStatus(change: Partial<SyncStatus>): void {
    this.#status = { ...this.#status, ...change };
    this.#options.listener.statusChanged(this.status);
  }
}
