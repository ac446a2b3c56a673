// The web host against the real stack: the embedded demo (simulator -> relay -> console core over
// loopback HTTP and WebSocket, SQLite files in a temp dir) served on 127.0.0.1 with its token.
// The renderer folder is a small real one written here, with a secret file beside it that no
// path may reach.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO_BUSINESS, startDemo, type Demo } from '../../src/main/demo.ts';
import { ConsoleMedia, type MediaLookup } from '../../src/main/media/console-media.ts';
import { startWebHost, type WebHost } from '../../src/main/web-host/index.ts';
import { createConsoleClient } from '../../src/renderer/bridge/console-client.ts';
import { createWebBridge } from '../../src/renderer/bridge/web-bridge.ts';
import { systemClock } from '../../src/shared/clock.ts';
import type { ConsoleEvent } from '../../src/shared/console-api.ts';
import { conversationId, type Message } from '../../src/shared/domain.ts';
import { imageMessage } from '../../src/simulator/index.ts';
import { waitFor } from '../helpers/console-wait.ts';

const SECRET = 'relay token: do-not-serve-me';
const PHONE_NUMBER_ID = DEMO_BUSINESS.phoneNumbers[0]!.id;

let dir: string;
let demo: Demo;
let host: WebHost;
let customers = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-web-host-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>Ventana</title><div id="root"></div>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log("ventana");');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  mkdirSync(join(dir, 'data'));
  demo = await startDemo({ dataDir: join(dir, 'data'), customers: false });
  host = await startWebHost({ api: demo.api, rendererDir });
});

afterAll(async () => {
  await host?.close();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A customer no other test has written as (the simulator paces sends per recipient). */
function newCustomer(): { waId: string; conversationId: string } {
  const waId = `5215590${String(++customers).padStart(6, '0')}`;
  return { waId, conversationId: conversationId(PHONE_NUMBER_ID, waId) };
}

function callApi(
  method: string,
  body: string | undefined,
  token: string | null = host.token,
): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  return fetch(`${host.origin}/api/call/${method}`, { method: 'POST', headers, body });
}

/** A GET with the path exactly as written: fetch() would normalize the dot segments away. */
function rawGet(
  path: string,
  headers: Record<string, string> = {},
  origin: string = host.origin,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(port), path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the HTTP status that refused the upgrade, or 101 when the socket opened. */
function upgradeStatus(query: string, origin: string | undefined): Promise<number> {
  const ws = new WebSocket(
    `${host.origin.replace('http:', 'ws:')}/api/events${query}`,
    origin ? { origin } : {},
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

describe('web host: API calls', () => {
  it('refuses calls without the token or with a wrong one (401)', async () => {
    const missing = await callApi('listConversations', '{}', null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });

    const wrong = await callApi('listConversations', '{}', `${host.token}x`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('answers an unknown method and invalid input as Result errors with stable codes', async () => {
    const unknown = await callApi('dropAllTables', '{}');
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });

    const invalid = await callApi('getMessages', JSON.stringify({ limit: 'many' }));
    expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const tooLong = await callApi(
      'sendText',
      JSON.stringify({ conversationId: 'x:1', text: 'a'.repeat(4097) }),
    );
    expect(await tooLong.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses a body that is not JSON (400) and one over 1 MiB (413)', async () => {
    const bad = await callApi('listConversations', '{"limit": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'BAD_JSON' } });

    const huge = await callApi(
      'listConversations',
      JSON.stringify({ limit: 1, padding: 'x'.repeat(1024 * 1024) }),
    );
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('runs a real call: a customer who wrote in is listed by listConversations', async () => {
    const customer = newCustomer();
    await demo.simulator.sendInboundText({
      from: customer.waId,
      name: 'Rosa Ibarra',
      text: 'Hola, ¿siguen abiertos?',
    });

    let listed: unknown[] = [];
    while (!listed.some((item) => (item as { id: string }).id === customer.conversationId)) {
      const response = await callApi('listConversations', JSON.stringify({ limit: 500 }));
      expect(response.status).toBe(200);
      const result = (await response.json()) as { ok: boolean; value: { items: unknown[] } };
      expect(result.ok).toBe(true);
      listed = result.value.items;
    }
    expect(listed.find((item) => (item as { id: string }).id === customer.conversationId)).toMatchObject({
      customer: { waId: customer.waId, name: 'Rosa Ibarra' },
      lastMessagePreview: 'Hola, ¿siguen abiertos?',
      unreadCount: 1,
    });
  });

  it('answers only to its own host name (no DNS rebinding)', async () => {
    const response = await rawGet('/', { Host: 'ventana.attacker.example' });
    expect(response.status).toBe(421);
  });
});

describe('web host: the renderer files', () => {
  it('serves index.html with a strict CSP header, and assets with their content type', async () => {
    const page = await fetch(`${host.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ${host.origin}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.text()).toContain('<div id="root"></div>');

    const script = await fetch(`${host.origin}/assets/app-1234.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toBe(csp);
  });

  it('falls back to index.html for app paths, but not for missing files', async () => {
    const deep = await fetch(`${host.origin}/conversations/123`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root"></div>');
    expect((await fetch(`${host.origin}/assets/missing.js`)).status).toBe(404);
  });

  it('refuses every path that climbs out of the renderer folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
    ]) {
      const response = await rawGet(path);
      expect(response.body, path).not.toContain(SECRET);
      expect(response.status, path).toBe(404);
    }
  });
});

describe('web host: the event stream', () => {
  it('refuses a missing or wrong token (401) and a foreign Origin (403)', async () => {
    expect(await upgradeStatus('', host.origin)).toBe(401);
    expect(await upgradeStatus(`?token=${host.token}x`, host.origin)).toBe(401);
    expect(await upgradeStatus(`?token=${host.token}`, 'https://evil.example')).toBe(403);
    expect(await upgradeStatus(`?token=${host.token}`, host.origin)).toBe(101);
  });

  it('delivers the events of an inbound message to a connected page', async () => {
    const customer = newCustomer();
    const ws = new WebSocket(`${host.origin.replace('http:', 'ws:')}/api/events?token=${host.token}`, {
      origin: host.origin,
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const arrived = new Promise<ConsoleEvent>((resolve) => {
      ws.on('message', (data: Buffer) => {
        const event = JSON.parse(data.toString('utf8')) as ConsoleEvent;
        if (event.type === 'messages.changed' && event.conversationId === customer.conversationId)
          resolve(event);
      });
    });
    await demo.simulator.sendInboundText({
      from: customer.waId,
      name: 'Tomás Quiroga',
      text: '¿Hacen envíos a Rosario?',
    });
    expect(await arrived).toEqual({ type: 'messages.changed', conversationId: customer.conversationId });
    ws.close();
  });
});

describe('the renderer web bridge over the web host', () => {
  it('unwraps results, reports refusals with their code and relays live events', async () => {
    const client = createConsoleClient(
      createWebBridge({ origin: host.origin, token: host.token, clock: systemClock }),
    );
    expect((await client.call('getSession', {})).demo).toBe(true);
    await expect(client.call('getMessages', { conversationId: '' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      method: 'getMessages',
    });

    const customer = newCustomer();
    const seen: ConsoleEvent[] = [];
    let notify = () => {};
    const stop = client.onEvent((event) => {
      seen.push(event);
      notify();
    });
    const until = (found: () => boolean) =>
      new Promise<void>((resolve) => {
        notify = () => found() && resolve();
        notify();
      });
    // The bridge announces a live stream with a fresh sync status.
    await until(() => seen.some((event) => event.type === 'sync.status'));
    await demo.simulator.sendInboundText({ from: customer.waId, text: 'Buenas' });
    await until(() =>
      seen.some(
        (event) =>
          event.type === 'conversations.changed' && event.conversationIds.includes(customer.conversationId),
      ),
    );
    stop();
    const thread = await client.call('getMessages', { conversationId: customer.conversationId });
    expect(thread.messages.map((m) => [m.direction, m.text])).toEqual([['in', 'Buenas']]);
  });

  it('says the token is wrong instead of failing silently', async () => {
    const client = createConsoleClient(
      createWebBridge({ origin: host.origin, token: 'not-the-token-of-this-launch', clock: systemClock }),
    );
    await expect(client.call('listConversations', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('starting the web host', () => {
  it('listens on loopback only', async () => {
    await expect(
      startWebHost({ api: demo.api, rendererDir: join(dir, 'renderer'), host: '0.0.0.0' as '127.0.0.1' }),
    ).rejects.toMatchObject({ code: 'WEB_HOST_LOOPBACK_ONLY' });
  });

  it('says the renderer is not built when index.html is missing', async () => {
    await expect(startWebHost({ api: demo.api, rendererDir: join(dir, 'nowhere') })).rejects.toMatchObject({
      code: 'RENDERER_NOT_BUILT',
    });
  });

  it('gives every launch its own token in the URL fragment', async () => {
    const other = await startWebHost({ api: demo.api, rendererDir: join(dir, 'renderer') });
    try {
      expect(other.token).not.toBe(host.token);
      expect(other.url).toBe(`${other.origin}/#token=${other.token}`);
      expect(other.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await other.close();
    }
  });
});

describe('web host: media', () => {
  // A host with a media cache over the demo's relay; the lookup stands in for the console's SQLite cache.
  let mediaHost: WebHost;
  let known: Map<string, MediaLookup>;
  let relayToken: string;
  let cookie: string;

  beforeAll(async () => {
    known = new Map();
    relayToken = demo.relay.createAgent({ name: 'Medios', role: 'supervisor', numbers: 'all' }).token;
    const media = new ConsoleMedia({
      dir: join(dir, 'media-cache'),
      relayUrl: demo.relay.url,
      token: relayToken,
      lookup: (messageId) => known.get(messageId) ?? null,
    });
    mediaHost = await startWebHost({ api: demo.api, rendererDir: join(dir, 'renderer'), media });
    const call = await fetch(`${mediaHost.origin}/api/call/getSyncStatus`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${mediaHost.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    cookie = (call.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  });

  afterAll(async () => {
    await mediaHost?.close();
  });

  /** A customer sends a picture; answers the relay's message once the relay holds the bytes. */
  async function picture(bytes: Buffer): Promise<Message> {
    const customer = newCustomer();
    const mediaId = demo.simulator.addMedia({ bytes, mimeType: 'image/jpeg' });
    const { wamid } = await demo.simulator.sendInbound({
      from: customer.waId,
      phoneNumberId: PHONE_NUMBER_ID,
      message: imageMessage({ id: mediaId }),
    });
    const path = `/v1/conversations/${encodeURIComponent(customer.conversationId)}/messages`;
    const message = await waitFor('the picture on the relay', async () => {
      const response = await fetch(`${demo.relay.url}${path}`, {
        headers: { authorization: `Bearer ${relayToken}` },
      });
      const { messages } = (await response.json()) as { messages: Message[] };
      return messages.find((m) => m.id === wamid && m.media?.state === 'stored') ?? null;
    });
    known.set(message.id, { kind: 'relay', message });
    return message;
  }

  const mediaPath = (id: string) => `/media/${encodeURIComponent(id)}`;

  it('hands the page an HttpOnly, SameSite=Strict media cookie on an authenticated call, never the token', async () => {
    const answered = await fetch(`${mediaHost.origin}/api/call/getSyncStatus`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${mediaHost.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const setCookie = answered.headers.get('set-cookie') ?? '';
    const port = new URL(mediaHost.origin).port;
    expect(setCookie).toMatch(new RegExp(`^ventana_media_${port}=[A-Za-z0-9_-]{43};`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/media/');
    expect(setCookie).not.toContain(mediaHost.token);
    expect(setCookie).not.toContain(relayToken);

    const refused = await fetch(`${mediaHost.origin}/api/call/getSyncStatus`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('set-cookie')).toBeNull();
  });

  it('refuses media requests without the cookie, with a forged one, or with the cookie of another launch (401)', async () => {
    const message = await picture(randomBytes(2048));
    const port = new URL(mediaHost.origin).port;
    const other = await startWebHost({ api: demo.api, rendererDir: join(dir, 'renderer') });
    try {
      const otherCall = await fetch(`${other.origin}/api/call/getSyncStatus`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${other.token}` },
        body: '{}',
      });
      const otherValue = (otherCall.headers.get('set-cookie') ?? '').split(';')[0]?.split('=')[1] ?? '';
      for (const headers of [
        {},
        { Cookie: `ventana_media_${port}=forged` },
        { Cookie: `ventana_media_${port}=${mediaHost.token}` },
        { Cookie: `ventana_media_${port}=${otherValue}` },
        { Authorization: `Bearer ${relayToken}` },
      ]) {
        const response = await fetch(`${mediaHost.origin}${mediaPath(message.id)}`, { headers });
        expect(response.status, JSON.stringify(headers)).toBe(401);
        expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      }
    } finally {
      await other.close();
    }
  });

  it("serves a customer's image with its type, length, nosniff and byte ranges (206, 416)", async () => {
    const bytes = randomBytes(64 * 1024);
    const message = await picture(bytes);
    const whole = await fetch(`${mediaHost.origin}${mediaPath(message.id)}`, { headers: { Cookie: cookie } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('image/jpeg');
    expect(whole.headers.get('content-length')).toBe(String(bytes.length));
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    expect(whole.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);

    const part = await fetch(`${mediaHost.origin}${mediaPath(message.id)}`, {
      headers: { Cookie: cookie, Range: 'bytes=1000-' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-${bytes.length - 1}/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000))).toBe(true);

    const past = await fetch(`${mediaHost.origin}${mediaPath(message.id)}`, {
      headers: { Cookie: cookie, Range: `bytes=${bytes.length}-` },
    });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    expect(await past.json()).toMatchObject({ error: { code: 'RANGE_NOT_SATISFIABLE' } });

    // The launch token as a bearer header works too (tools, tests).
    const byBearer = await fetch(`${mediaHost.origin}${mediaPath(message.id)}`, {
      headers: { Authorization: `Bearer ${mediaHost.token}` },
    });
    expect(byBearer.status).toBe(200);
  });

  it('answers media errors as JSON with their codes, and only GET and HEAD', async () => {
    const unknown = await fetch(`${mediaHost.origin}${mediaPath('wamid.nobody')}`, {
      headers: { Cookie: cookie },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'MEDIA_NOT_FOUND' } });

    const customer = newCustomer();
    const mediaId = demo.simulator.addMedia({ bytes: randomBytes(100), mimeType: 'image/jpeg' });
    demo.simulator.failMediaDownloads({ mediaId, times: 1000, status: 503 });
    const { wamid } = await demo.simulator.sendInbound({
      from: customer.waId,
      phoneNumberId: PHONE_NUMBER_ID,
      message: imageMessage({ id: mediaId }),
    });
    const stub = { kind: 'relay' as const, message: await pendingMessage(customer.conversationId, wamid) };
    known.set(wamid, stub);
    const pending = await fetch(`${mediaHost.origin}${mediaPath(wamid)}`, { headers: { Cookie: cookie } });
    expect(pending.status).toBe(409);
    expect(await pending.json()).toMatchObject({ error: { code: 'MEDIA_PENDING' } });

    const post = await fetch(`${mediaHost.origin}${mediaPath(wamid)}`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(post.status).toBe(405);

    // A host without a media cache says so.
    const bare = await fetch(`${host.origin}${mediaPath(wamid)}`, {
      headers: { Authorization: `Bearer ${host.token}` },
    });
    expect(bare.status).toBe(503);
    expect(await bare.json()).toMatchObject({ error: { code: 'MEDIA_UNAVAILABLE' } });
  });

  async function pendingMessage(conversation: string, wamid: string): Promise<Message> {
    const path = `/v1/conversations/${encodeURIComponent(conversation)}/messages`;
    return waitFor('the pending picture on the relay', async () => {
      const response = await fetch(`${demo.relay.url}${path}`, {
        headers: { authorization: `Bearer ${relayToken}` },
      });
      const { messages } = (await response.json()) as { messages: Message[] };
      return messages.find((m) => m.id === wamid && m.media !== null) ?? null;
    });
  }

  it('lets no media path climb out: traversal ids reach neither files nor the renderer folder', async () => {
    for (const path of [
      '/media/../secret.txt',
      '/media/..%2fsecret.txt',
      '/media/..%2F..%2Fsecret.txt',
      '/media/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/media/a/../../secret.txt',
      '/media/%00',
      '/media/%E0%A4%A',
    ]) {
      const response = await rawGet(path, { Cookie: cookie }, mediaHost.origin);
      expect(response.body, path).not.toContain(SECRET);
      expect(response.status, path).toBe(404);
    }
  });

  it("lets the page show images and play media from the host's own origin (CSP)", async () => {
    const csp = (await fetch(`${mediaHost.origin}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("img-src 'self'");
    expect(csp).toContain("media-src 'self'");
  });

  it('gives the web bridge media URLs on this host, the id percent-encoded', () => {
    const bridge = createWebBridge({ origin: mediaHost.origin, token: mediaHost.token, clock: systemClock });
    expect(bridge.mediaUrl('wamid.HBg/+x=')).toBe(`${mediaHost.origin}/media/wamid.HBg%2F%2Bx%3D`);
    expect(bridge.mediaUrl('../x')).toBe(`${mediaHost.origin}/media/..%2Fx`);
  });
});
