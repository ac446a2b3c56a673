// Reads a relay's whole stream the way a brand-new console would (hello with cursor 0, until
// caught_up): what the relay streamed, to compare a console's cache against. A relay whose log was
// pruned answers with a rebuild (reset, snapshot pages, snapshot_done) before the events.
import WebSocket from 'ws';
import {
  parseFrame,
  PROTOCOL_VERSION,
  serverFrameSchema,
  SYNC_PATH,
  type RelayEvent,
  type ServerFrame,
} from '../../src/shared/protocol.ts';

export interface StreamSnapshot {
  events: RelayEvent[];
  /** The last events (or snapshot_done) frame's cursor: where a console that applied everything stands. */
  cursor: number;
  /** Why the relay rebuilt this reader from a snapshot, or null when it replayed from 0. */
  reset: Extract<ServerFrame, { type: 'reset' }>['reason'] | null;
  /** The snapshot pages, when there was a rebuild. */
  snapshots: Extract<ServerFrame, { type: 'snapshot' }>[];
  /** The welcome's visibility epoch. */
  epoch: number;
}

export function readRelayStream(relayUrl: string, token: string): Promise<StreamSnapshot> {
  const url = relayUrl.replace(/^http/, 'ws') + SYNC_PATH;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
    const stream: StreamSnapshot = { events: [], cursor: 0, reset: null, snapshots: [], epoch: 0 };
    socket.on('open', () => {
      socket.send(
        JSON.stringify({
          type: 'hello',
          protocol: PROTOCOL_VERSION,
          clientId: 'test-stream-reader',
          cursor: 0,
        }),
      );
    });
    socket.on('message', (data: Buffer) => {
      const parsed = parseFrame(serverFrameSchema, data.toString('utf8'));
      if (!parsed.ok) {
        socket.terminate();
        reject(new Error(`the relay sent a malformed frame: ${parsed.reason}`));
        return;
      }
      const frame = parsed.frame;
      switch (frame.type) {
        case 'welcome':
          stream.epoch = frame.epoch;
          break;
        case 'reset':
          stream.reset = frame.reason;
          break;
        case 'snapshot':
          stream.snapshots.push(frame);
          break;
        case 'snapshot_done':
          stream.cursor = Math.max(stream.cursor, frame.cursor);
          break;
        case 'events':
          stream.events.push(...frame.events);
          stream.cursor = Math.max(stream.cursor, frame.cursor);
          break;
        case 'caught_up':
          socket.close();
          resolve(stream);
          break;
        default:
          break;
      }
    });
    socket.on('error', reject);
  });
}

/** The relay's newest seq, from the welcome of a connection closed right after it. */
export function relayHeadSeq(relayUrl: string, token: string): Promise<number> {
  const url = relayUrl.replace(/^http/, 'ws') + SYNC_PATH;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
    socket.on('open', () => {
      socket.send(
        JSON.stringify({
          type: 'hello',
          protocol: PROTOCOL_VERSION,
          clientId: 'test-head-reader',
          cursor: 0,
        }),
      );
    });
    socket.once('message', (data: Buffer) => {
      const parsed = parseFrame(serverFrameSchema, data.toString('utf8'));
      socket.terminate();
      if (parsed.ok && parsed.frame.type === 'welcome') resolve(parsed.frame.headSeq);
      else reject(new Error('the relay did not start with a welcome'));
    });
    socket.on('error', reject);
  });
}
