// One console's sync connection: hello -> welcome -> replay of seq > cursor in pages -> caught_up ->
// live events, plus commands. The switch from replay to live happens in the same tick as the last
// (empty) log read, and live events at or below the cursor are dropped: nothing missed, nothing twice.
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
import type { CommandRunner } from '../commands/command-runner.ts';
import type { RelayStore, StoredEvent } from '../store/relay-store.ts';
import { eventFrames } from './event-frames.ts';

/** How long a console has to say hello after the upgrade. */
export const HELLO_TIMEOUT_MS = 10_000;
/** A console this far behind on reading is dropped; it resumes from its cursor when it reconnects. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface ConnectionDeps {
  store: RelayStore;
  runner: CommandRunner;
  clock: Clock;
  logger: Logger;
}

type State = 'awaiting_hello' | 'replaying' | 'live';

export class SyncConnection {
  readonly agent: Agent;
  readonly #ws: WebSocket;
  readonly #deps: ConnectionDeps;
  readonly #logger: Logger;
  #state: State = 'awaiting_hello';
  /** Highest seq this console has been sent (or skipped past as invisible). */
  #cursor = 0;
  #answeredLastPing = true;
  readonly #helloTimer: NodeJS.Timeout;

  constructor(ws: WebSocket, agent: Agent, deps: ConnectionDeps) {
    this.#ws = ws;
    this.agent = agent;
    this.#deps = deps;
    this.#logger = deps.logger.child({ agentId: agent.id });
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

  /** Live fan-out of freshly committed events; ignored until the replay has caught up. */
  deliver(events: readonly StoredEvent[]): void {
    if (this.#state !== 'live') return;
    const fresh = events.filter((event) => event.seq > this.#cursor);
    const last = fresh.at(-1);
    if (last === undefined) return;
    this.#cursor = last.seq;
    for (const frame of eventFrames(fresh, this.agent)) this.#send(frame);
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

  #send(text: string): void {
    if (!this.#isOpen()) return;
    this.#ws.send(text);
    if (this.#ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#logger.warn({ bufferedAmount: this.#ws.bufferedAmount }, 'slow sync consumer; closing');
      this.#ws.close(closeCodes.slowConsumer, 'too far behind; reconnect and resume from your cursor');
    }
  }

  #sendFrame(frame: ServerFrame): void {
    this.#send(JSON.stringify(frame));
  }

  /** Sends and waits until the frame is written: replay goes at the pace the console reads. */
  #sendAndWait(text: string): Promise<void> {
    if (!this.#isOpen()) return Promise.resolve();
    return new Promise((resolve) => this.#ws.send(text, () => resolve()));
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
    const { store, clock } = this.#deps;
    const headSeq = store.headSeq();
    this.#logger.info({ clientId: hello.clientId, cursor: hello.cursor, headSeq }, 'console connected');
    this.#sendFrame({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      serverTime: clock.now(),
      agent: this.agent,
      headSeq,
      epoch: 0,
    });
    if (hello.cursor > headSeq) {
      // The console followed another log (the relay's database was replaced): it must start over.
      this.#sendFrame({ type: 'reset', reason: 'cursor_ahead' });
      this.#cursor = 0;
    } else {
      this.#cursor = hello.cursor;
    }
    this.#state = 'replaying';
    this.#replay().catch((error: unknown) => {
      this.#logger.error({ err: error }, 'replay failed');
      this.#ws.close(1011, 'replay failed');
    });
  }

  async #replay(): Promise<void> {
    while (this.#isOpen()) {
      const page = this.#deps.store.readEvents(this.#cursor, REPLAY_PAGE_SIZE);
      const last = page.at(-1);
      if (last === undefined) {
        // Same tick as the read that found nothing newer: every later commit reaches deliver().
        this.#state = 'live';
        this.#sendFrame({ type: 'caught_up', cursor: this.#cursor });
        return;
      }
      this.#cursor = last.seq;
      for (const frame of eventFrames(page, this.agent)) await this.#sendAndWait(frame);
    }
  }

  #onCommand(frame: Extract<ClientFrame, { type: 'command' }>): void {
    const { mutationId } = frame;
    const outcome = this.#deps.runner.run(this.agent, mutationId, frame.command);
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
      .catch((error: unknown) =>
        this.#logger.error({ err: error, mutationId }, 'could not answer a command'),
      );
  }
}
