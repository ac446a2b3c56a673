// A console played by a raw `ws` client speaking the sync protocol: it validates every frame, keeps
// them all, and mirrors the state they describe the way a console cache would (reset wipes it,
// snapshot and events upsert into it), so tests can compare what two consoles ended up with.
import { once } from 'node:events';
import { WebSocket } from 'ws';
import type { Conversation, Message, PhoneNumber, Template } from '../../src/shared/domain.ts';
import {
  PROTOCOL_VERSION,
  SYNC_PATH,
  parseFrame,
  serverFrameSchema,
  type ClientFrame,
  type RelayEvent,
  type ServerFrame,
} from '../../src/shared/protocol.ts';

export type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** What a console's cache would hold after applying the frames received so far. */
export interface Mirror {
  conversations: Map<string, Conversation>;
  messages: Map<string, Message>;
  templates: Map<string, Template>;
  phoneNumbers: Map<string, PhoneNumber>;
  /** The cursor the console would store: from events frames and snapshot_done. */
  cursor: number;
}

const emptyMirror = (cursor = 0): Mirror => ({
  conversations: new Map(),
  messages: new Map(),
  templates: new Map(),
  phoneNumbers: new Map(),
  cursor,
});

export interface HelloOptions {
  cursor?: number;
  epoch?: number;
  clientId?: string;
}

export class RelaySyncClient {
  readonly frames: ServerFrame[] = [];
  /** Size of every frame received, in bytes. */
  readonly frameBytes: number[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly mirror: Mirror;
  /** Heartbeat pings received from the relay. */
  pings = 0;
  readonly #ws: WebSocket;
  #waiters: (() => void)[] = [];
  #isClosed = false;

  private constructor(ws: WebSocket, mirror: Mirror) {
    this.#ws = ws;
    this.mirror = mirror;
    ws.on('message', (data: Buffer) => {
      this.frameBytes.push(data.length);
      const parsed = parseFrame(serverFrameSchema, data.toString('utf8'));
      if (!parsed.ok) throw new Error(`the relay sent a frame outside the protocol: ${parsed.reason}`);
      this.frames.push(parsed.frame);
      this.#apply(parsed.frame);
      this.#wake();
    });
    ws.on('ping', () => {
      this.pings += 1;
      this.#wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.#isClosed = true;
        this.#wake();
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  /**
   * Opens a socket (no hello yet). `mirror` continues a cache from an earlier connection.
   * `autoPong: false` plays a console that stopped answering heartbeats.
   */
  static async open(
    relayUrl: string,
    token: string,
    options: { mirror?: Mirror; autoPong?: boolean } = {},
  ): Promise<RelaySyncClient> {
    const ws = new WebSocket(`${relayUrl.replace(/^http/, 'ws')}${SYNC_PATH}`, {
      headers: { authorization: `Bearer ${token}` },
      autoPong: options.autoPong ?? true,
    });
    await once(ws, 'open');
    return new RelaySyncClient(ws, options.mirror ?? emptyMirror());
  }

  /** Opens, says hello and waits until the catch-up is over (caught_up). */
  static async connect(
    relayUrl: string,
    token: string,
    hello: HelloOptions = {},
    mirror?: Mirror,
  ): Promise<RelaySyncClient> {
    const client = await RelaySyncClient.open(relayUrl, token, mirror === undefined ? {} : { mirror });
    client.hello(hello);
    await client.waitFor('caught_up');
    return client;
  }

  hello({ cursor = 0, epoch = 0, clientId = 'test-console' }: HelloOptions = {}): void {
    this.send({ type: 'hello', protocol: PROTOCOL_VERSION, clientId, cursor, epoch });
  }

  send(frame: ClientFrame): void {
    this.#ws.send(JSON.stringify(frame));
  }

  /** The first frame of this type (at index `from` or later) that satisfies `accept`; fails if the socket closes first. */
  async waitFor<T extends ServerFrame['type']>(
    type: T,
    accept: (frame: Frame<T>) => boolean = () => true,
    from = 0,
  ): Promise<Frame<T>> {
    for (;;) {
      const found = this.frames
        .slice(from)
        .find((frame): frame is Frame<T> => frame.type === type && accept(frame as Frame<T>));
      if (found !== undefined) return found;
      if (this.#isClosed)
        throw new Error(`socket closed before a ${type} frame; got ${this.frameTypes().join(', ')}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Waits until the mirror's cursor has reached `seq`. */
  async waitForCursor(seq: number): Promise<void> {
    while (this.mirror.cursor < seq) {
      if (this.#isClosed) throw new Error(`socket closed at cursor ${this.mirror.cursor}, before ${seq}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Waits until `count` heartbeat pings have arrived. */
  async waitForPings(count: number): Promise<void> {
    while (this.pings < count) {
      if (this.#isClosed) throw new Error(`socket closed after ${this.pings} pings`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  get isOpen(): boolean {
    return !this.#isClosed;
  }

  async command(mutationId: string, conversationId: string, text: string): Promise<Frame<'command_result'>> {
    const from = this.frames.length;
    this.send({
      type: 'command',
      mutationId,
      command: { kind: 'send_text', conversationId, text, previewUrl: false },
    });
    return this.waitFor('command_result', (frame) => frame.mutationId === mutationId, from);
  }

  /** Frame types in arrival order (events frames as `events`), for asserting the protocol's sequence. */
  frameTypes(from = 0): string[] {
    return this.frames
      .slice(from)
      .map((frame) => (frame.type === 'reset' ? `reset:${frame.reason}` : frame.type));
  }

  /** Every event received (from index `from` of the frames). */
  events(from = 0): RelayEvent[] {
    return this.frames.slice(from).flatMap((frame) => (frame.type === 'events' ? frame.events : []));
  }

  /** Stops reading from the socket, like a console too busy to keep up. */
  pause(): void {
    this.#ws.pause();
  }

  resume(): void {
    this.#ws.resume();
  }

  close(): void {
    this.#ws.close();
  }

  #apply(frame: ServerFrame): void {
    const mirror = this.mirror;
    switch (frame.type) {
      case 'reset':
        Object.assign(mirror, emptyMirror());
        return;
      case 'snapshot':
        for (const c of frame.conversations) mirror.conversations.set(c.id, c);
        for (const m of frame.messages) mirror.messages.set(m.id, m);
        for (const t of frame.templates) mirror.templates.set(t.key, t);
        for (const n of frame.phoneNumbers) mirror.phoneNumbers.set(n.id, n);
        return;
      case 'snapshot_done':
        mirror.cursor = frame.cursor;
        return;
      case 'events':
        for (const event of frame.events) applyEvent(mirror, event);
        mirror.cursor = frame.cursor;
        return;
      default:
        return;
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

function applyEvent(mirror: Mirror, event: RelayEvent): void {
  switch (event.type) {
    case 'conversation.upserted':
      mirror.conversations.set(event.conversation.id, event.conversation);
      return;
    case 'message.upserted':
      mirror.messages.set(event.message.id, event.message);
      return;
    case 'template.upserted':
      mirror.templates.set(event.template.key, event.template);
      return;
    case 'phone_number.upserted':
      mirror.phoneNumbers.set(event.phoneNumber.id, event.phoneNumber);
      return;
    case 'alert.raised':
      return;
  }
}

/** The mirror as plain sorted data, for toEqual. */
export function mirrorState(mirror: Mirror) {
  const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    conversations: sorted(mirror.conversations),
    messages: sorted(mirror.messages),
    templates: sorted(mirror.templates),
    phoneNumbers: sorted(mirror.phoneNumbers),
  };
}
