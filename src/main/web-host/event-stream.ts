// GET /api/events upgraded to WebSocket: the ConsoleApi's events, one JSON text frame each.
// Browsers cannot set headers on a WebSocket, so the token comes as ?token=. Browsers always send
// an Origin: it must be this host's own, so no other page can listen in. Clients that are not
// browsers (tests, tools) send none and still need the token.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ConsoleApi } from '../../shared/console-api.ts';
import { tokenMatches } from './access-token.ts';

export const EVENTS_PATH = '/api/events';
/** A console that stops reading is cut off instead of growing this process's memory. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const SLOW_CONSUMER_CLOSE = 4008;
const SHUTTING_DOWN_CLOSE = 4011;

export interface EventStream {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void;
  close(): void;
}

export function createEventStream(options: {
  api: ConsoleApi;
  token: string;
  allowedOrigins: string[];
}): EventStream {
  // The stream only flows to the client; anything it sends is small and ignored.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });

  wss.on('connection', (socket: WebSocket) => {
    const unsubscribe = options.api.onEvent((event) => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.close(SLOW_CONSUMER_CLOSE, 'slow consumer');
        return;
      }
      socket.send(JSON.stringify(event));
    });
    socket.once('close', unsubscribe);
    socket.on('error', () => socket.terminate());
  });

  function refuse(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  return {
    handleUpgrade(req, socket, head, url) {
      if (url.pathname !== EVENTS_PATH) return refuse(socket, 404, 'Not Found');
      if (!tokenMatches(options.token, url.searchParams.get('token')))
        return refuse(socket, 401, 'Unauthorized');
      const origin = req.headers.origin;
      if (origin !== undefined && !options.allowedOrigins.includes(origin))
        return refuse(socket, 403, 'Forbidden');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      for (const client of wss.clients) {
        client.close(SHUTTING_DOWN_CLOSE, 'web host closing');
        // A client that does not answer the close handshake must not hold the process open.
        setTimeout(() => client.terminate(), 1000).unref();
      }
      wss.close();
    },
  };
}
