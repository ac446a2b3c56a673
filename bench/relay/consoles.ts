// The fan-out consoles: `consoles` authenticated WebSocket clients in ONE process, each following the
// live stream like a console does (hello with its cursor, replay, caught_up, live events). Each notes
// when every benchmark message first reaches it; the latency runs from the message's scheduled POST
// (written in its text by the load generator) to that receipt, on the machine's shared monotonic clock.
// Live frames are scanned for the markers instead of being parsed and validated: 200 consoles in one
// process must not be the bottleneck they are measuring.
import { WebSocket, type RawData } from 'ws';
import { PROTOCOL_VERSION, SYNC_PATH, parseFrame, serverFrameSchema } from '../../src/shared/protocol.ts';
import { consolesCommandSchema, consolesReportSchema, type ConsolesReport } from './ipc.ts';
import { LatencyRecorder, monotonicMicros } from './measure.ts';
import { fanoutMarkers } from './webhook-bodies.ts';

const CONNECT_TIMEOUT_MS = 30_000;
const latency = new LatencyRecorder();

class BenchConsole {
  received = 0;
  live = false;
  closed = false;
  #seen = new Uint8Array(1024);

  constructor(ws: WebSocket, onLive: () => void) {
    ws.on('message', (data: RawData) => this.#onFrame(monotonicMicros(), asBuffer(data), onLive));
    ws.on('close', () => {
      this.closed = true;
    });
  }

  /** Forgets what was received (after a warm-up run, whose message indexes the next run reuses). */
  reset(): void {
    this.received = 0;
    this.#seen.fill(0);
  }

  #onFrame(at: number, frame: Buffer, onLive: () => void): void {
    if (!this.live) {
      // Until live, frames are few: each is validated against the protocol.
      const parsed = parseFrame(serverFrameSchema, frame.toString('utf8'));
      if (!parsed.ok) throw new Error(`the relay sent a frame outside the protocol: ${parsed.reason}`);
      if (parsed.frame.type === 'caught_up') {
        this.live = true;
        onLive();
      }
      return;
    }
    for (const { index, scheduledMicros } of fanoutMarkers(frame)) {
      if (index >= this.#seen.length) {
        const bigger = new Uint8Array(Math.max(index + 1, this.#seen.length * 2));
        bigger.set(this.#seen);
        this.#seen = bigger;
      }
      // The same marker also sits in the payload and the conversation's preview: count it once.
      if (this.#seen[index] === 1) continue;
      this.#seen[index] = 1;
      this.received += 1;
      latency.record((at - scheduledMicros) / 1000);
    }
  }
}

function asBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

const consoles: BenchConsole[] = [];
const sockets: WebSocket[] = [];

function connect(url: string, token: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let live = 0;
    const timer = setTimeout(
      () => reject(new Error(`only ${live} of ${count} consoles caught up within ${CONNECT_TIMEOUT_MS} ms`)),
      CONNECT_TIMEOUT_MS,
    );
    const onLive = (): void => {
      live += 1;
      if (live === count) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (let i = 0; i < count; i++) {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${SYNC_PATH}`, {
        headers: { authorization: `Bearer ${token}` },
        perMessageDeflate: false,
      });
      ws.once('open', () =>
        ws.send(
          JSON.stringify({
            type: 'hello',
            protocol: PROTOCOL_VERSION,
            clientId: `bench-console-${i}`,
            cursor: 0,
          }),
        ),
      );
      ws.once('error', (error) => reject(error));
      sockets.push(ws);
      consoles.push(new BenchConsole(ws, onLive));
    }
  });
}

async function collect(messages: number, timeoutMs: number): Promise<ConsolesReport> {
  const deadline = monotonicMicros() + timeoutMs * 1000;
  const done = (): boolean => consoles.every((c) => c.closed || c.received >= messages);
  while (!done() && monotonicMicros() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const report = consolesReportSchema.parse({
    type: 'collected',
    expectedReceipts: messages * consoles.length,
    receipts: consoles.reduce((sum, c) => sum + c.received, 0),
    disconnected: consoles.filter((c) => c.closed).length,
    latencyMs: latency.summary(),
  });
  latency.reset();
  for (const c of consoles) c.reset();
  return report;
}

process.on('message', (message: unknown) => {
  const command = consolesCommandSchema.parse(message);
  const done: Promise<ConsolesReport> =
    command.type === 'connect'
      ? connect(command.url, command.token, command.consoles).then(() => ({
          type: 'connected',
          consoles: command.consoles,
        }))
      : collect(command.messages, command.timeoutMs);
  done.then(
    (report) => process.send?.(report),
    (error: unknown) => {
      process.stderr.write(`bench consoles: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => {
  for (const ws of sockets) ws.terminate();
  process.exit(0);
});
