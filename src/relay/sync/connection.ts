// One console's sync connection: hello -> welcome -> catch-up -> caught_up -> live events, plus
// commands. Catch-up is a replay of seq > cursor in pages or, when replay cannot bring the console's
// cache up to date (its cursor is beyond the horizon or ahead of the log, or the agent's visibility
// changed), a rebuild: reset, snapshot pages, snapshot_done, then the replay from there.
// The switch from replay to live happens in the same tick as the last (empty) log read, and live
// events at or below the cursor are dropped: nothing missed, nothing twice.
import type { Logger } from 'pino';
import { WebSocket, type RawData } from 'ws';
import type { Clock } from '../../shared/clock.ts';
import type { Agent } from '../../shared/domain.ts';
import {
  PROTOCOL_VERSION,
  REPLAY_PAGE_SIZE,
  clientFrameSchema,
  closeCodes,
  parseFrame,
  type ClientFrame,
  type ServerFrame,
} from '../../shared/protocol.ts';
import { toErrorInfo } from '../../shared/result.ts';
import type { AgentRecord } from '../agents/agent-store.ts';
import type { CommandRunner } from '../commands/command-runner.ts';
import type { RelayStore } from '../store/relay-store.ts';
import { eventFrames, type SharedEventFrames } from './event-frames.ts';
import type { LogHorizon } from './log-horizon.ts';
import { snapshotFrames, type SnapshotSource } from './snapshot-frames.ts';

/** How long a console has to say hello after the upgrade. */
export const HELLO_TIMEOUT_MS = 10_000;
/** A console this far behind on reading is dropped; it resumes from its cursor when it reconnects. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface ConnectionDeps {
  store: RelayStore;
  /** The team's notes and quick replies, which snapshots carry too. */
  team: Omit<SnapshotSource, 'store'>;
  horizon: LogHorizon;
  runner: CommandRunner;
  clock: Clock;
  logger: Logger;
}

type State = 'awaiting_hello' | 'catching_up' | 'live';
export type RebuildReason = Extract<ServerFrame, { type: 'reset' }>['reason'];

export class SyncConnection {
  readonly #ws: WebSocket;
  readonly #deps: ConnectionDeps;
  readonly #logger: Logger;
  #agent: Agent;
  #epoch: number;
  #state: State = 'awaiting_hello';
  /** Highest seq this console has been sent (or skipped past as invisible). */
  #cursor = 0;
  /** A rebuild asked for while catching up; the catch-up loop starts it at its next step. */
  #rebuildRequest: RebuildReason | null = null;
  #answeredLastPing = true;
  readonly #helloTimer: NodeJS.Timeout;

  constructor(ws: WebSocket, record: AgentRecord, deps: ConnectionDeps) {
    this.#ws = ws;
    this.#agent = record.agent;
    this.#epoch = record.epoch;
    this.#deps = deps;
    this.#logger = deps.logger.child({ agentId: record.agent.id });
    this.#helloTimer = setTimeout(
      () => this.#ws.close(closeCodes.helloTimeout, 'no hello received'),
      HELLO_TIMEOUT_MS,
    );
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('pong', () => {
      this.#answeredLastPing = true;
    });
    ws.on('close', () => clearTimeout(this.#helloTimer));
    ws.on('error', (error) => this.#logger.warn({ err: error }, 'sync socket error'));
  }

  get agent(): Agent {
    return this.#agent;
  }

  /** Called every heartbeat period: a console that did not answer the previous ping is gone. */
  heartbeat(): void {
    if (!this.#isOpen()) return;
    if (!this.#answeredLastPing) {
      this.#logger.info('sync connection missed a heartbeat; terminating');
      this.#ws.terminate();
      return;
    }
    this.#answeredLastPing = false;
    this.#ws.ping();
  }

  /** Live fan-out of freshly committed events; ignored until the catch-up is over. */
  deliver(commit: SharedEventFrames): void {
    if (this.#state !== 'live') return;
    const { events } = commit;
    const last = events.at(-1);
    if (last === undefined || last.seq <= this.#cursor) return;
    // Normally the whole commit is new to a live console and its frames are shared with every
    // console that sees the same; only a commit that overlaps the cursor is framed for this one.
    const frames =
      events[0]!.seq > this.#cursor
        ? commit.for(this.#agent)
        : eventFrames(
            events.filter((event) => event.seq > this.#cursor),
            this.#agent,
          );
    this.#cursor = last.seq;
    for (const frame of frames) this.#send(frame);
  }

  /**
   * The agent's record as stored now (null: deleted). A revoked agent is disconnected; a visibility
   * change (new epoch) is announced with a fresh welcome and the console rebuilds from a snapshot.
   */
  updateAgent(record: AgentRecord | null): void {
    if (record === null || record.revokedAt !== null) {
      if (!this.#isOpen()) return;
      this.#logger.info('agent revoked; closing its sync connection');
      this.#ws.close(closeCodes.revoked, 'this agent token was revoked');
      return;
    }
    const visibilityChanged = record.epoch !== this.#epoch;
    this.#agent = record.agent;
    this.#epoch = record.epoch;
    // Before hello the welcome to come carries the new agent and epoch.
    if (!visibilityChanged || this.#state === 'awaiting_hello') return;
    this.#logger.info({ epoch: record.epoch }, 'agent visibility changed; console rebuilds');
    this.#sendWelcome();
    this.#requestRebuild('visibility');
  }

  close(code: number, reason: string): Promise<void> {
    if (this.#ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.#ws.once('close', () => resolve());
      this.#ws.close(code, reason);
    });
  }

  terminate(): void {
    this.#ws.terminate();
  }

  #isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /** Sends one text frame (a Buffer is sent as text too: shared live frames are pre-encoded). */
  #send(frame: string | Buffer): void {
    if (!this.#isOpen()) return;
    this.#ws.send(frame, { binary: false });
    if (this.#ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#logger.warn({ bufferedAmount: this.#ws.bufferedAmount }, 'slow sync consumer; closing');
      this.#ws.close(closeCodes.slowConsumer, 'too far behind; reconnect and resume from your cursor');
    }
  }

  #sendFrame(frame: ServerFrame): void {
    this.#send(JSON.stringify(frame));
  }

  /** Sends and waits until the frame is written: catch-up goes at the pace the console reads. */
  #sendAndWait(text: string): Promise<void> {
    if (!this.#isOpen()) return Promise.resolve();
    return new Promise((resolve) => this.#ws.send(text, () => resolve()));
  }

  #sendWelcome(): void {
    this.#sendFrame({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      serverTime: this.#deps.clock.now(),
      agent: this.#agent,
      headSeq: this.#deps.store.headSeq(),
      epoch: this.#epoch,
    });
  }

  #badFrame(message: string): void {
    this.#sendFrame({ type: 'error', error: { code: 'BAD_FRAME', message } });
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.#badFrame('frames are JSON text');
      return;
    }
    const bytes = Array.isArray(data)
      ? Buffer.concat(data)
      : data instanceof ArrayBuffer
        ? Buffer.from(data)
        : data;
    const text = bytes.toString('utf8');
    const parsed = parseFrame(clientFrameSchema, text);
    if (!parsed.ok) {
      this.#badFrame(parsed.reason);
      return;
    }
    const frame = parsed.frame;
    if (frame.type === 'hello') this.#onHello(frame);
    else if (this.#state === 'awaiting_hello') this.#badFrame('say hello first');
    else this.#onCommand(frame);
  }

  #onHello(hello: Extract<ClientFrame, { type: 'hello' }>): void {
    if (this.#state !== 'awaiting_hello') {
      this.#badFrame('hello was already received on this connection');
      return;
    }
    clearTimeout(this.#helloTimer);
    if (hello.protocol !== PROTOCOL_VERSION) {
      this.#sendFrame({
        type: 'error',
        error: {
          code: 'PROTOCOL_MISMATCH',
          message: `This relay speaks sync protocol ${PROTOCOL_VERSION}; the console speaks ${hello.protocol}. Update the older one.`,
        },
      });
      this.#ws.close(closeCodes.protocolMismatch, 'protocol mismatch');
      return;
    }
    const headSeq = this.#deps.store.headSeq();
    const rebuild = this.#rebuildNeededAt(hello, headSeq);
    this.#logger.info(
      { clientId: hello.clientId, cursor: hello.cursor, headSeq, rebuild },
      'console connected',
    );
    this.#sendWelcome();
    this.#cursor = hello.cursor;
    this.#startCatchUp(rebuild);
  }

  /**
   * Why a console saying `hello` cannot simply replay from its cursor, if it cannot. (A cursor below
   * the log's horizon is caught by the replay itself, which checks it before every page.)
   */
  #rebuildNeededAt(hello: Extract<ClientFrame, { type: 'hello' }>, headSeq: number): RebuildReason | null {
    // The console followed another log (the relay's database was replaced).
    if (hello.cursor > headSeq) return 'cursor_ahead';
    // Its cache was built while the agent saw other numbers (or had another role).
    if (hello.cursor > 0 && hello.epoch !== this.#epoch) return 'visibility';
    return null;
  }

  #requestRebuild(reason: RebuildReason): void {
    if (this.#state === 'live') this.#startCatchUp(reason);
    else this.#rebuildRequest = reason;
  }

  #startCatchUp(rebuild: RebuildReason | null): void {
    this.#state = 'catching_up';
    this.#catchUp(rebuild).catch((error: unknown) => {
      this.#logger.error({ err: error }, 'catch-up failed');
      this.#ws.close(1011, 'catch-up failed');
    });
  }

  #takeRebuildRequest(): RebuildReason | null {
    const request = this.#rebuildRequest;
    this.#rebuildRequest = null;
    return request;
  }

  /** Rebuilds (when asked) and replays until live; starts over whenever a new rebuild is asked for. */
  async #catchUp(first: RebuildReason | null): Promise<void> {
    let rebuild = first;
    while (this.#isOpen()) {
      if (rebuild !== null) await this.#rebuild(rebuild);
      rebuild = this.#takeRebuildRequest() ?? (await this.#replay());
      if (rebuild === null) return;
    }
  }

  /**
   * reset, the agent's visible state in snapshot pages, then snapshot_done with the head seq read
   * before the first page: events that raced the snapshot are replayed after it (they are idempotent
   * upserts). Returns early, without snapshot_done, when another rebuild is asked for meanwhile.
   */
  async #rebuild(reason: RebuildReason): Promise<void> {
    const cursor = this.#deps.store.headSeq();
    this.#logger.info({ reason, cursor }, 'console rebuilds from a snapshot');
    await this.#sendAndWait(JSON.stringify({ type: 'reset', reason } satisfies ServerFrame));
    for (const frame of snapshotFrames({ store: this.#deps.store, ...this.#deps.team }, this.#agent)) {
      if (!this.#isOpen() || this.#rebuildRequest !== null) return;
      await this.#sendAndWait(frame);
    }
    if (!this.#isOpen() || this.#rebuildRequest !== null) return;
    this.#cursor = cursor;
    await this.#sendAndWait(JSON.stringify({ type: 'snapshot_done', cursor } satisfies ServerFrame));
  }

  /** Replays seq > cursor page by page; null once live, or the reason a rebuild must come first. */
  async #replay(): Promise<RebuildReason | null> {
    while (this.#isOpen()) {
      const requested = this.#takeRebuildRequest();
      if (requested !== null) return requested;
      // Events this console has not seen were pruned (a fresh console's cursor 0 included), maybe
      // while it was catching up.
      if (this.#cursor < this.#deps.horizon.prunedThroughSeq()) return 'horizon';
      const page = this.#deps.store.readEvents(this.#cursor, REPLAY_PAGE_SIZE);
      const last = page.at(-1);
      if (last === undefined) {
        // Same tick as the read that found nothing newer: every later commit reaches deliver().
        this.#state = 'live';
        this.#sendFrame({ type: 'caught_up', cursor: this.#cursor });
        return null;
      }
      this.#cursor = last.seq;
      for (const frame of eventFrames(page, this.#agent)) await this.#sendAndWait(frame);
    }
    return null;
  }

  #onCommand(frame: Extract<ClientFrame, { type: 'command' }>): void {
    const { mutationId } = frame;
    const outcome = this.#deps.runner.run(this.#agent, mutationId, frame.command);
    if (outcome === null) {
      this.#logger.info({ mutationId }, 'command left unanswered: shutting down');
      return;
    }
    outcome
      .catch((error: unknown) => {
        this.#logger.error({ err: error, mutationId }, 'command failed');
        return { ok: false as const, error: { ...toErrorInfo(error), code: 'INTERNAL' } };
      })
      .then((result) => this.#sendFrame({ type: 'command_result', mutationId, result }))
      .catch((error: unknown) => this.#logger.error({ err: error, mutationId }, 'command failed to answer'));
  }
}
