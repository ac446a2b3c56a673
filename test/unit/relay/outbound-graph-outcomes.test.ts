// The Graph client against real loopback HTTP servers answering as Graph can: each answer is read
// into the outcome the at-most-once rule needs (accepted, rejected, not sent, unknown).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGraphClient, type GraphClient } from '../../../src/relay/graph/graph-client.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface FakeGraph {
  url: string;
  requests: { method: string; url: string; authorization: string | undefined; body: string }[];
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function graphAnswering(handler: Handler): Promise<FakeGraph> {
  const requests: FakeGraph['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body,
      });
      handler(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const json =
  (status: number, body: unknown): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

const client = (baseUrl: string, timeoutMs = 2_000): GraphClient =>
  createGraphClient({ baseUrl, version: 'v23.0', accessToken: 'token-1', timeoutMs });

const BODY = { messaging_product: 'whatsapp', to: '5215512345678', type: 'text', text: { body: 'hola' } };

describe('GraphClient.sendMessage', () => {
  it('posts the body with the token and reads the wamid', async () => {
    const graph = await graphAnswering(
      json(200, { messaging_product: 'whatsapp', messages: [{ id: 'wamid.A' }] }),
    );
    expect(await client(graph.url).sendMessage('4200', BODY)).toEqual({
      kind: 'accepted',
      waMessageId: 'wamid.A',
    });
    expect(graph.requests).toEqual([
      {
        method: 'POST',
        url: '/v23.0/4200/messages',
        authorization: 'Bearer token-1',
        body: JSON.stringify(BODY),
      },
    ]);
  });

  it('reads Meta’s error with its details', async () => {
    const graph = await graphAnswering(
      json(400, {
        error: {
          message: '(#131047) Re-engagement message',
          type: 'OAuthException',
          code: 131047,
          error_data: { messaging_product: 'whatsapp', details: 'More than 24 hours have passed.' },
        },
      }),
    );
    expect(await client(graph.url).sendMessage('4200', BODY)).toEqual({
      kind: 'rejected',
      httpStatus: 400,
      error: {
        code: 131047,
        title: '(#131047) Re-engagement message',
        message: '(#131047) Re-engagement message',
        details: 'More than 24 hours have passed.',
      },
    });
  });

  it('reads an error envelope inside an HTTP 200 as a refusal', async () => {
    const graph = await graphAnswering(
      json(200, { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 } }),
    );
    expect(await client(graph.url).sendMessage('4200', BODY)).toMatchObject({
      kind: 'rejected',
      httpStatus: 200,
      error: { code: 190 },
    });
  });

  it('calls a 5xx, an answer without a wamid, a timeout and a connection cut after sending unknown', async () => {
    const fiveHundred = await graphAnswering(
      json(503, { error: { code: 131016, message: 'Service unavailable' } }),
    );
    expect(await client(fiveHundred.url).sendMessage('4200', BODY)).toEqual({
      kind: 'unknown',
      reason: 'Graph answered HTTP 503: 131016 Service unavailable',
    });

    const noId = await graphAnswering(json(200, { messaging_product: 'whatsapp' }));
    expect(await client(noId.url).sendMessage('4200', BODY)).toMatchObject({ kind: 'unknown' });

    const silent = await graphAnswering(() => undefined);
    expect(await client(silent.url, 200).sendMessage('4200', BODY)).toEqual({
      kind: 'unknown',
      reason: 'timed out',
    });
    expect(silent.requests).toHaveLength(1);

    const cut = await graphAnswering((req) => req.socket.destroy());
    expect(await client(cut.url).sendMessage('4200', BODY)).toMatchObject({ kind: 'unknown' });
    expect(cut.requests).toHaveLength(1);
  });

  it('calls a refused connection not sent: nothing reached Meta', async () => {
    const graph = await graphAnswering(json(200, {}));
    const url = graph.url;
    const server = servers.pop()!;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await client(url).sendMessage('4200', BODY)).toEqual({
      kind: 'not_sent',
      reason: 'connection failed (ECONNREFUSED)',
    });
  });

  it('calls a call cut by the caller unknown', async () => {
    const silent = await graphAnswering(() => undefined);
    const controller = new AbortController();
    const sending = client(silent.url).sendMessage('4200', BODY, { signal: controller.signal });
    while (silent.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(await sending).toMatchObject({ kind: 'unknown' });
  });
});

describe('GraphClient.markRead', () => {
  it('posts Meta’s read body and reads success or refusal', async () => {
    const graph = await graphAnswering(json(200, { success: true }));
    expect(await client(graph.url).markRead('4200', 'wamid.IN')).toEqual({ kind: 'ok' });
    expect(JSON.parse(graph.requests[0]!.body)).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.IN',
    });
    const refusing = await graphAnswering(json(400, { error: { code: 100, message: 'Invalid parameter' } }));
    expect(await client(refusing.url).markRead('4200', 'wamid.IN')).toMatchObject({
      kind: 'rejected',
      error: { code: 100 },
    });
  });
});

describe('GraphClient.getJson', () => {
  it('reads a path under the version with a query, and a paging URL on the same host', async () => {
    const graph = await graphAnswering((req, res) => json(200, { data: [], at: req.url })(req, res, ''));
    const graphClient = client(graph.url);
    expect(await graphClient.getJson('/3100/message_templates', { limit: '2' })).toEqual({
      kind: 'ok',
      json: { data: [], at: '/v23.0/3100/message_templates?limit=2' },
    });
    expect(await graphClient.getJson(`${graph.url}/v23.0/3100/message_templates?after=QVFI`)).toMatchObject({
      kind: 'ok',
      json: { at: '/v23.0/3100/message_templates?after=QVFI' },
    });
    expect(graph.requests.map((r) => [r.method, r.authorization])).toEqual([
      ['GET', 'Bearer token-1'],
      ['GET', 'Bearer token-1'],
    ]);
  });

  it('never sends the token to another host', async () => {
    const graph = await graphAnswering(json(200, {}));
    const elsewhere = await graphAnswering(json(200, {}));
    expect(await client(graph.url).getJson(`${elsewhere.url}/v23.0/3100/message_templates`)).toMatchObject({
      kind: 'failed',
      httpStatus: null,
    });
    expect(elsewhere.requests).toEqual([]);
  });

  it('reads Meta’s error on a failed read', async () => {
    const graph = await graphAnswering(json(401, { error: { code: 190, message: 'Token expired' } }));
    expect(await client(graph.url).getJson('/3100/message_templates')).toEqual({
      kind: 'failed',
      httpStatus: 401,
      error: { code: 190, title: 'Token expired', message: 'Token expired' },
      reason: 'Graph answered HTTP 401: 190 Token expired',
    });
  });
});
