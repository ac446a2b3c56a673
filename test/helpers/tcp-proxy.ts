// A TCP proxy on loopback between a console and the relay (node:net), that misbehaves on command the
// way networks do: cuts every connection abruptly (RST both ways), cuts one in the middle of a
// WebSocket frame, black-holes the open connections (nothing forwarded, nothing closed: only a
// heartbeat can tell), and reads slowly from the relay (a console that cannot keep up). It watches the
// relay->console bytes for WebSocket frames, so a test knows the close codes the relay sent.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { WsFrameScanner, type ScannedFrame } from './convergence-ws-frame-scanner.ts';

export interface MidFrameCut {
  /** The frame that was cut: its opcode and total size (header + payload). */
  opcode: number;
  frameBytes: number;
  /** How many of its bytes reached the console before the cut. */
  forwardedBytes: number;
}

export interface TcpProxy {
  /** http://127.0.0.1:<port>: give it to the console as its relay address. */
  readonly url: string;
  /** Connections accepted so far (the first one and every reconnect). */
  readonly accepted: number;
  /** Connections currently forwarded (not black-holed, not closed). */
  readonly open: number;
  /** Close codes of the WebSocket close frames the relay sent through the proxy, in order. */
  readonly closeCodes: readonly number[];
  /** Destroys every open connection on both sides with a TCP reset; answers how many were cut. */
  cutAll(): number;
  /**
   * The next relay->console data frame of at least `minPayload` bytes is let through by half, then
   * both sockets are reset. Resolves once that happened.
   */
  cutMidFrame(minPayload?: number): Promise<MidFrameCut>;
  /** Stops forwarding on every open connection without closing either side; new ones pass. */
  blackHole(): number;
  /** Reads from the relay at most `bytesPerSecond` (every connection, now and later). */
  slowDown(bytesPerSecond: number): void;
  /** Back to full speed. */
  fullSpeed(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Nothing is forwarded any more, and neither side is closed by the proxy. */
  blackHoled: boolean;
  /** Bytes of the relay->console stream forwarded so far. */
  forwarded: number;
  /** Stream offset at which to cut, once a frame to cut is chosen. */
  cutAt: number | null;
  cutFrame: ScannedFrame | null;
  /** Relay->console chunks waiting for the slow reader. */
  held: Buffer[];
  draining: NodeJS.Timeout | undefined;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  const closeCodes: number[] = [];
  let accepted = 0;
  let bytesPerSecond = Number.POSITIVE_INFINITY;
  let midFrameRequest: { minPayload: number; done: (cut: MidFrameCut) => void } | null = null;

  const destroyPair = (pair: Pair): void => {
    clearTimeout(pair.draining);
    pairs.delete(pair);
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (!pair.upstream.destroyed) pair.upstream.resetAndDestroy();
  };

  /** Writes relay bytes to the console, cutting at `cutAt` when one is set. */
  const forwardToClient = (pair: Pair, chunk: Buffer): void => {
    const { cutAt } = pair;
    if (cutAt !== null && pair.forwarded + chunk.length >= cutAt) {
      const part = chunk.subarray(0, cutAt - pair.forwarded);
      pair.forwarded += part.length;
      const frame = pair.cutFrame;
      pair.upstream.resetAndDestroy();
      // The half frame is flushed to the kernel first, so the console really receives it.
      pair.client.write(part, () => destroyPair(pair));
      if (frame && midFrameRequest) {
        const request = midFrameRequest;
        midFrameRequest = null;
        request.done({
          opcode: frame.opcode,
          frameBytes: frame.headerLength + frame.payloadLength,
          forwardedBytes: cutAt - frame.start,
        });
      }
      return;
    }
    pair.forwarded += chunk.length;
    if (!pair.client.write(chunk)) {
      pair.upstream.pause();
      pair.client.once('drain', () => {
        if (!pair.blackHoled && pair.held.length === 0) pair.upstream.resume();
      });
    }
  };

  /** The slow reader: forwards held chunks no faster than the configured rate. */
  const drainSlowly = (pair: Pair): void => {
    if (pair.draining || pair.blackHoled) return;
    const next = pair.held.shift();
    if (next === undefined) {
      pair.upstream.resume();
      return;
    }
    forwardToClient(pair, next);
    const waitMs = Number.isFinite(bytesPerSecond) ? (next.length / bytesPerSecond) * 1000 : 0;
    pair.draining = setTimeout(() => {
      pair.draining = undefined;
      drainSlowly(pair);
    }, waitMs);
  };

  const server: Server = createServer((client) => {
    accepted += 1;
    const upstream = connect(target);
    const pair: Pair = {
      client,
      upstream,
      blackHoled: false,
      forwarded: 0,
      cutAt: null,
      cutFrame: null,
      held: [],
      draining: undefined,
    };
    pairs.add(pair);
    const scanner = new WsFrameScanner({
      onFrame: (frame) => {
        const request = midFrameRequest;
        const isData = frame.opcode <= 2;
        if (request && pair.cutAt === null && isData && frame.payloadLength >= request.minPayload) {
          pair.cutAt = frame.start + frame.headerLength + Math.floor(frame.payloadLength / 2);
          pair.cutFrame = frame;
        }
      },
      onClose: (code) => {
        if (code !== null) closeCodes.push(code);
      },
    });
    client.on('data', (chunk: Buffer) => {
      if (!pair.blackHoled) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (pair.blackHoled) return;
      scanner.scan(chunk);
      if (Number.isFinite(bytesPerSecond) || pair.held.length > 0 || pair.draining) {
        pair.held.push(chunk);
        upstream.pause();
        drainSlowly(pair);
        return;
      }
      forwardToClient(pair, chunk);
    });
    // One side ending ends the other, as a relay or console closing would, unless black-holed:
    // then the console must notice by itself (the relay side is only cleaned up after it).
    client.on('close', () => destroyPair(pair));
    upstream.on('close', () => {
      if (!pair.blackHoled) destroyPair(pair);
    });
    upstream.on('end', () => {
      if (!pair.blackHoled) client.end();
    });
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');

  return {
    url: `http://127.0.0.1:${address.port}`,
    get accepted() {
      return accepted;
    },
    get open() {
      return [...pairs].filter((pair) => !pair.blackHoled).length;
    },
    get closeCodes() {
      return [...closeCodes];
    },
    cutAll() {
      const cut = [...pairs];
      for (const pair of cut) destroyPair(pair);
      return cut.length;
    },
    cutMidFrame(minPayload = 256) {
      if (midFrameRequest) return Promise.reject(new Error('a mid-frame cut is already armed'));
      return new Promise<MidFrameCut>((resolve) => {
        midFrameRequest = { minPayload, done: resolve };
      });
    },
    blackHole() {
      let count = 0;
      for (const pair of pairs) {
        if (pair.blackHoled) continue;
        pair.blackHoled = true;
        clearTimeout(pair.draining);
        pair.held = [];
        // Keep reading (and dropping) both sides, so neither sees its writes pile up: a black hole.
        pair.upstream.resume();
        count += 1;
      }
      return count;
    },
    slowDown(rate) {
      if (!(rate > 0)) throw new Error('slowDown needs a positive rate');
      bytesPerSecond = rate;
    },
    fullSpeed() {
      bytesPerSecond = Number.POSITIVE_INFINITY;
      for (const pair of pairs) {
        clearTimeout(pair.draining);
        pair.draining = undefined;
        drainSlowly(pair);
      }
    },
    async close() {
      for (const pair of [...pairs]) destroyPair(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
