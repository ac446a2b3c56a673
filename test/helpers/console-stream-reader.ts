// Reads a relay's whole event stream the way a brand-new console would (hello with cursor 0, until
// caught_up): what the relay streamed, to compare a console's cache against.
import WebSocket from 'ws';
import {
  parseFrame,
  PROTOCOL_VERSION,
  serverFrameSchema,
  SYNC_PATH,
  type RelayEvent,
} from '../../src/shared/protocol.ts';

export interface StreamSnapshot {
  events: RelayEvent[];
  /** The last events frame's cursor: where a console that applied everything stands. */
  cursor: number;
}

export function readRelayStream(relayUrl: string, token: string): Promise<StreamSnapshot> {
  const url = relayUrl.replace(/^http/, 'ws') + SYNC_PATH;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
    const events: RelayEvent[] = [];
    let cursor = 0;
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
      if (frame.type === 'events') {
        events.push(...frame.events);
        cursor = Math.max(cursor, frame.cursor);
      } else if (frame.type === 'caught_up') {
        socket.close();
        resolve({ events, cursor });
      }
    });
    socket.on('error', reject);
  });
}
