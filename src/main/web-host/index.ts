// The web host: the console core served to a browser over loopback. It serves the built renderer
// and carries the ConsoleApi as HTTP calls plus a WebSocket event stream, guarded by a per-launch
// token. Used for end-to-end tests, machines without a desktop, and supervisor wallboards.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEB_MEDIA_PREFIX, type ConsoleApi } from '../../shared/console-api.ts';
import { CodedError } from '../../shared/result.ts';
import type { MediaSource } from '../ports.ts';
import { bearerToken, createAccessToken, mediaCookieHeader, tokenMatches } from './access-token.ts';
import { API_CALL_PREFIX, handleApiCall } from './api-calls.ts';
import { createEventStream } from './event-stream.ts';
import { sendError } from './http-io.ts';
import { handleMediaRequest } from './media-route.ts';
import { setSecurityHeaders } from './security-headers.ts';
import { openStaticFiles } from './static-files.ts';

export interface WebHostOptions {
  api: ConsoleApi;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Loopback only: the token is the only lock, so the host never listens on a network. */
  host?: '127.0.0.1';
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to a fresh random token per launch. */
  token?: string;
  /** Serves GET /media/<message id>; without it the route answers MEDIA_UNAVAILABLE. */
  media?: MediaSource;
}

export interface WebHost {
  /** Opens the console: http://127.0.0.1:PORT/#token=... (the page moves the token out of the URL). */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host: string = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') {
    throw new CodedError(
      'WEB_HOST_LOOPBACK_ONLY',
      `The web host only listens on 127.0.0.1 (asked for ${host})`,
    );
  }
  const token = options.token ?? createAccessToken();
  if (token.length < 16)
    throw new CodedError('WEB_HOST_WEAK_TOKEN', 'The web host token must be at least 16 characters');
  const staticFiles = await openStaticFiles(options.rendererDir);

  // Filled in once the port is known; requests cannot arrive before listen() has answered.
  let origin = '';
  let port = 0;
  let allowedHosts: string[] = [];
  const allowedOrigins: string[] = [];
  const events = createEventStream({ api: options.api, token, allowedOrigins });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res, origin);
    // A page on another site that rebinds its DNS name to 127.0.0.1 sends its own Host: refuse it.
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      sendError(res, 421, { code: 'WRONG_HOST', message: 'This host only answers as 127.0.0.1' });
      return;
    }
    const { pathname } = new URL(req.url ?? '/', origin);
    if (pathname.startsWith(API_CALL_PREFIX)) {
      // The page's calls carry the token as a header; its media requests cannot, so the first
      // authenticated call hands it the media cookie (renewed on every call: a reload keeps it).
      if (tokenMatches(token, bearerToken(req.headers.authorization)))
        res.setHeader('Set-Cookie', mediaCookieHeader(port, token, WEB_MEDIA_PREFIX));
      await handleApiCall(req, res, { api: options.api, token, pathname });
    } else if (pathname.startsWith(WEB_MEDIA_PREFIX)) {
      await handleMediaRequest(req, res, { media: options.media, token, port, pathname });
    } else if (pathname === '/api' || pathname.startsWith('/api/')) {
      sendError(res, 404, { code: 'NOT_FOUND', message: `No API route ${pathname}` });
    } else {
      await staticFiles.serve(req, res, pathname);
    }
  }

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else
        sendError(res, 500, {
          code: 'INTERNAL',
          message: error instanceof Error ? error.message : String(error),
        });
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    events.handleUpgrade(req, socket, head, new URL(req.url ?? '/', origin));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  allowedOrigins.push(origin, `http://localhost:${port}`);

  return {
    url: `${origin}/#token=${encodeURIComponent(token)}`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        events.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
