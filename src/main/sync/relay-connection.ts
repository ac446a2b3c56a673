// One WebSocket connection to the relay's sync endpoint: authenticates at the upgrade, says hello,
// validates every frame before anyone sees it, and watches for silence. It never reconnects by
// itself; SyncClient decides what happens after it ends.
import WebSocket from 'ws';
import {
  closeCodes,
  MAX_FRAME_BYTES,
  parseFrame,
  serverFrameSchema,
  type ClientFrame,
  type ServerFrame,
} from '../../shared/protocol.ts';

/** The relay pings every 15 s: three missed pings mean the connection is dead even if TCP says not. */
export const WATCHDOG_MS = 45_000;
const HANDSHAKE_TIMEOUT_MS = 15_000;

export interface ConnectionEnd {
  /** WebSocket close code (1006 when the socket just died). */
  code: number;
  /** Why, in words, for SyncStatus.error. */
  reason: string;
  /** HTTP status when the relay refused the upgrade (401: bad token), else null. */
  httpStatus: number | null;
}

export interface RelayConnectionOptions {
  url: string;
  token: string;
  /** Built when the socket opens, so it carries the cursor as of that moment. */
  hello: () => ClientFrame;
  /** Handles a validated frame; throwing drops the connection (the frame counts as not applied). */
  onFrame: (frame: ServerFrame) => void;
  onEnd: (end: ConnectionEnd) => void;
  watchdogMs?: number;
}

export class RelayConnection {
  readonly #socket: WebSocket;
  readonly #options: RelayConnectionOptions;
  readonly #watchdogMs: number;
  #watchdog: NodeJS.Timeout | undefined;
  /** Once a connection is being dropped no later frame is handled: it would skip what was refused. */
  #dropping = false;
  #dropReason: string | null = null;
  #httpStatus: number | null = null;
  #lastError: string | null = null;
  #ended = false;

  constructor(options: RelayConnectionOptions) {
    this.#options = options;
    this.#watchdogMs = options.watchdogMs ?? WATCHDOG_MS;
    this.#socket = new WebSocket(options.url, {
      headers: { Authorization: `Bearer ${options.token}` },
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      perMessageDeflate: false,
    });
    this.#socket.on('unexpected-response', (_request, response) => {
      this.#httpStatus = response.statusCode ?? null;
      this.#dropReason = `the relay refused the connection (HTTP ${response.statusCode ?? '?'})`;
      this.#socket.terminate();
    });
    this.#socket.on('open', () => {
      this.#feedWatchdog();
      this.send(options.hello());
    });
    this.#socket.on('ping', () => this.#feedWatchdog());
    this.#socket.on('pong', () => this.#feedWatchdog());
    this.#socket.on('message', (data, isBinary) => this.#receive(data, isBinary));
    this.#socket.on('error', (error) => {
      this.#lastError = error.message;
    });
    this.#socket.on('close', (code, reason) => this.#end(code, reason.toString()));
  }

  /** Sends a frame if the socket is open; false when it could not. */
  send(frame: ClientFrame): boolean {
    if (this.#dropping || this.#socket.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(frame));
    return true;
  }

  /** Closes politely with a code the relay can log; nothing more is handled from this socket. */
  drop(code: number, reason: string): void {
    if (this.#dropping) return;
    this.#dropping = true;
    this.#dropReason = reason;
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.close(code, reason.slice(0, 120));
    else this.#socket.terminate();
  }

  /** Ends at once, without a closing handshake. */
  terminate(reason: string): void {
    this.#dropping = true;
    this.#dropReason ??= reason;
    this.#socket.terminate();
  }

  /** Resolves once the socket has closed (immediately if it already has). */
  closed(): Promise<void> {
    if (this.#ended) return Promise.resolve();
    return new Promise((resolve) => this.#socket.once('close', () => resolve()));
  }

  #receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.#dropping) return;
    this.#feedWatchdog();
    if (isBinary) {
      this.drop(closeCodes.badFrame, 'the relay sent a binary frame');
      return;
    }
    const bytes = Array.isArray(data)
      ? Buffer.concat(data)
      : data instanceof ArrayBuffer
        ? Buffer.from(data)
        : data;
    const text = bytes.toString('utf8');
    const parsed = parseFrame(serverFrameSchema, text);
    if (!parsed.ok) {
      this.drop(closeCodes.badFrame, `the relay sent a malformed frame: ${parsed.reason}`);
      return;
    }
    try {
      this.#options.onFrame(parsed.frame);
    } catch (error) {
      this.drop(1011, `could not apply a frame: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #feedWatchdog(): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(
      () => this.terminate(`nothing heard from the relay for ${Math.round(this.#watchdogMs / 1000)} s`),
      this.#watchdogMs,
    );
  }

  #end(code: number, closeReason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#watchdog);
    const reason = this.#dropReason ?? (closeReason || this.#lastError || `connection closed (${code})`);
    this.#options.onEnd({ code, reason, httpStatus: this.#httpStatus });
  }
}
