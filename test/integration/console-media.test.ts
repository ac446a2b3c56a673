// The console's media cache against the real system: the Cloud API simulator as Meta, a real relay on
// loopback (test/helpers/console-stack.ts), and ConsoleMedia's folder in a temp dir. A small loopback
// tap sits between the cache and the relay: it records every request (to see Range headers and that
// concurrent views share one download) and can cut one answer short, as a dropped connection would.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleMedia, type MediaLookup } from '../../src/main/media/console-media.ts';
import { answerMediaFetch } from '../../src/main/media/media-fetch-handler.ts';
import { MEDIA_SCHEME } from '../../src/shared/console-api.ts';
import { conversationId, type Message } from '../../src/shared/domain.ts';
import { CodedError } from '../../src/shared/result.ts';
import { documentMessage, imageMessage } from '../../src/simulator/index.ts';
import { STACK_PHONE_NUMBER_ID, startConsoleStack, type ConsoleStack } from '../helpers/console-stack.ts';
import { waitFor } from '../helpers/console-wait.ts';

// ---------------------------------------------------------------------------------------------------
// The tap: a pass-through HTTP proxy to the relay.

interface TappedRequest {
  method: string;
  path: string;
  range: string | null;
}

class RelayTap {
  readonly requests: TappedRequest[] = [];
  /** The next GET of a media path answers only this many body bytes, then drops the connection. */
  cutNextDownloadAfter: number | null = null;
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(target: () => string): Promise<RelayTap> {
    const server = createServer();
    const tap = new RelayTap(server);
    server.on('request', (req, res) => {
      const range = req.headers.range ?? null;
      tap.requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', range });
      const cutAfter = req.method === 'GET' ? tap.cutNextDownloadAfter : null;
      if (cutAfter !== null) tap.cutNextDownloadAfter = null;
      const upstream = new URL(req.url ?? '/', target());
      const forward = httpRequest(
        upstream,
        { method: req.method, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          if (cutAfter === null) {
            answer.pipe(res);
            return;
          }
          let sent = 0;
          answer.on('data', (chunk: Buffer) => {
            if (sent >= cutAfter) return;
            const take = chunk.subarray(0, cutAfter - sent);
            sent += take.length;
            res.write(take);
            if (sent >= cutAfter) {
              // Flushed, then the connection drops mid-body.
              res.socket?.end(() => res.socket?.destroy());
              answer.destroy();
            }
          });
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return tap;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  mediaGets(): TappedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && /^\/v1\/(media|uploads)\//.test(r.path));
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------------------------------

let stack: ConsoleStack;
let tap: RelayTap;
let dir: string;
let known: Map<string, MediaLookup>;
let media: ConsoleMedia;
let customers = 0;

beforeAll(async () => {
  stack = await startConsoleStack();
  tap = await RelayTap.start(() => stack.relayUrl);
});

afterAll(async () => {
  await tap?.close();
  await stack?.close();
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-console-media-'));
  known = new Map();
  media = newMedia(join(dir, 'media'));
  tap.requests.length = 0;
});

afterEach(() => {
  media.close();
  rmSync(dir, { recursive: true, force: true });
});

function newMedia(folder: string): ConsoleMedia {
  return new ConsoleMedia({
    dir: folder,
    relayUrl: tap.url,
    token: stack.token,
    lookup: (messageId) => known.get(messageId) ?? null,
  });
}

function newCustomer(): string {
  return `5215591${String(++customers).padStart(6, '0')}`;
}

async function relayGet(path: string): Promise<Response> {
  return fetch(`${stack.relayUrl}${path}`, { headers: { authorization: `Bearer ${stack.token}` } });
}

/** The relay's version of a message, once `accept` holds for it. */
async function relayMessage(
  customer: string,
  id: string,
  accept: (message: Message) => boolean,
): Promise<Message> {
  const path = `/v1/conversations/${encodeURIComponent(conversationId(STACK_PHONE_NUMBER_ID, customer))}/messages?limit=100`;
  return waitFor(`message ${id} on the relay`, async () => {
    const response = await relayGet(path);
    if (response.status !== 200) return null;
    const { messages } = (await response.json()) as { messages: Message[] };
    const found = messages.find((m) => m.id === id);
    return found !== undefined && accept(found) ? found : null;
  });
}

/** A customer sends a picture; answers the relay's message once the relay has the bytes. */
async function inboundPicture(bytes: Buffer, mimeType = 'image/jpeg'): Promise<Message> {
  const customer = newCustomer();
  const mediaId = stack.simulator.addMedia({ bytes, mimeType });
  const { wamid } = await stack.simulator.sendInbound({
    from: customer,
    name: 'Lucía',
    phoneNumberId: STACK_PHONE_NUMBER_ID,
    message: imageMessage({ id: mediaId, caption: 'la pieza rota' }),
  });
  const message = await relayMessage(customer, wamid, (m) => m.media?.state === 'stored');
  known.set(message.id, { kind: 'relay', message });
  return message;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof CodedError ? error.code : `uncoded: ${String(error)}`;
  }
}

/** Every file in the media folder (empty when it does not exist). */
function filesIn(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

// ---------------------------------------------------------------------------------------------------

describe('ConsoleMedia: inbound media', () => {
  it('fetches an inbound image from the relay once, verifies it, and serves it again with the relay stopped', async () => {
    const bytes = randomBytes(200 * 1024);
    const message = await inboundPicture(bytes);
    expect(message.media?.sha256).toBe(createHash('sha256').update(bytes).digest('base64'));

    const file = await media.file(message.id);
    expect(file).toMatchObject({ size: bytes.length, mimeType: 'image/jpeg', filename: null });
    expect(readFileSync(file.path).equals(bytes)).toBe(true);
    expect(file.path.startsWith(join(dir, 'media'))).toBe(true);
    expect(tap.mediaGets()).toHaveLength(1);

    await stack.stopRelay();
    try {
      const again = await media.file(message.id);
      expect(readFileSync(again.path).equals(bytes)).toBe(true);
      expect(tap.mediaGets()).toHaveLength(1);

      // A message whose media was never fetched cannot be shown offline.
      const other: Message = {
        ...message,
        id: 'wamid.never-fetched',
        media: { ...message.media!, id: 'nope' },
      };
      known.set(other.id, { kind: 'relay', message: other });
      await expect(codeOf(media.file(other.id))).resolves.toBe('MEDIA_OFFLINE');
    } finally {
      await stack.startRelay();
    }
  });

  it('shares one download between concurrent requests for the same message', async () => {
    const bytes = randomBytes(300 * 1024);
    const message = await inboundPicture(bytes);
    const files = await Promise.all([media.file(message.id), media.file(message.id), media.file(message.id)]);
    expect(new Set(files.map((f) => f.path)).size).toBe(1);
    expect(tap.mediaGets()).toHaveLength(1);
  });

  it('resumes an interrupted download with a Range request from the bytes already on disk', async () => {
    const bytes = randomBytes(512 * 1024);
    const message = await inboundPicture(bytes);

    tap.cutNextDownloadAfter = 128 * 1024;
    await expect(codeOf(media.file(message.id))).resolves.toBe('MEDIA_OFFLINE');
    const parts = filesIn(join(dir, 'media')).filter((name) => name.endsWith('.part'));
    expect(parts).toHaveLength(1);
    const kept = statSync(join(dir, 'media', parts[0]!)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(bytes.length);

    const file = await media.file(message.id);
    expect(readFileSync(file.path).equals(bytes)).toBe(true);
    expect(tap.mediaGets().map((r) => r.range)).toEqual([null, `bytes=${kept}-`]);
    expect(filesIn(join(dir, 'media')).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('refuses bytes that do not match the announced sha256 or size (MEDIA_CORRUPT) and keeps nothing', async () => {
    const bytes = randomBytes(64 * 1024);
    const message = await inboundPicture(bytes);
    const otherDigest = createHash('sha256').update('something else').digest('base64');
    known.set(message.id, {
      kind: 'relay',
      message: { ...message, media: { ...message.media!, sha256: otherDigest } },
    });
    await expect(codeOf(media.file(message.id))).resolves.toBe('MEDIA_CORRUPT');
    expect(filesIn(join(dir, 'media'))).toEqual([]);

    // Hex spelling, as Graph's media answers write it, is checked too.
    const hex = createHash('sha256').update('something else').digest('hex');
    known.set(message.id, {
      kind: 'relay',
      message: { ...message, media: { ...message.media!, sha256: hex } },
    });
    await expect(codeOf(media.file(message.id))).resolves.toBe('MEDIA_CORRUPT');

    known.set(message.id, {
      kind: 'relay',
      message: { ...message, media: { ...message.media!, sha256: null, fileSize: bytes.length + 1 } },
    });
    await expect(codeOf(media.file(message.id))).resolves.toBe('MEDIA_CORRUPT');
    expect(filesIn(join(dir, 'media'))).toEqual([]);

    // The true announcement still works afterwards.
    known.set(message.id, { kind: 'relay', message });
    expect(readFileSync((await media.file(message.id)).path).equals(bytes)).toBe(true);
  });

  it('answers MEDIA_PENDING while the relay has not downloaded the media from Meta', async () => {
    const customer = newCustomer();
    const mediaId = stack.simulator.addMedia({ bytes: randomBytes(1024), mimeType: 'image/jpeg' });
    stack.simulator.failMediaDownloads({ mediaId, times: 1000, status: 503 });
    const { wamid } = await stack.simulator.sendInbound({
      from: customer,
      phoneNumberId: STACK_PHONE_NUMBER_ID,
      message: imageMessage({ id: mediaId }),
    });
    const message = await relayMessage(customer, wamid, (m) => m.media?.state === 'pending');
    known.set(message.id, { kind: 'relay', message });
    await expect(codeOf(media.file(message.id))).resolves.toBe('MEDIA_PENDING');
    expect(filesIn(join(dir, 'media')).filter((n) => !n.endsWith('.part'))).toEqual([]);
  });

  it('answers MEDIA_FAILED for media the relay gave up on, and MEDIA_NOT_FOUND for what it does not hold', async () => {
    const bytes = randomBytes(1024);
    const message = await inboundPicture(bytes);
    const failed: Message = { ...message, media: { ...message.media!, state: 'failed', error: 'HTTP 404' } };
    known.set(message.id, { kind: 'relay', message: failed });
    await expect(codeOf(media.file(message.id))).resolves.toBe('MEDIA_FAILED');

    const unknownMedia: Message = {
      ...message,
      id: 'wamid.unknown',
      media: { ...message.media!, id: '999999' },
    };
    known.set(unknownMedia.id, { kind: 'relay', message: unknownMedia });
    await expect(codeOf(media.file(unknownMedia.id))).resolves.toBe('MEDIA_NOT_FOUND');

    const text: Message = { ...message, id: 'wamid.text', type: 'text', media: null };
    known.set(text.id, { kind: 'relay', message: text });
    await expect(codeOf(media.file(text.id))).resolves.toBe('MEDIA_NOT_FOUND');
    await expect(codeOf(media.file('wamid.not-in-the-cache'))).resolves.toBe('MEDIA_NOT_FOUND');
  });

  it('names files from a hash of the message id: path traversal in an id reaches nothing', async () => {
    const folder = join(dir, 'media');
    const hostile = [
      '../../escape',
      '..',
      '/',
      '..\\..\\escape',
      '%2e%2e%2fescape',
      'a\0b',
      'con',
      'x'.repeat(1000),
    ];
    for (const id of hostile) {
      known.set(id, { kind: 'outgoing' });
      await media.storeOutgoing(id, {
        name: '../../evil.txt',
        mimeType: 'text/plain',
        bytes: Buffer.from(id),
      });
      const file = await media.file(id);
      expect(readFileSync(file.path, 'utf8')).toBe(id);
      expect(file.path.startsWith(folder)).toBe(true);
    }
    expect(filesIn(dir)).toEqual(['media']);
    for (const name of filesIn(folder)) expect(name).toMatch(/^[0-9a-f]{64}\.(bin|json)$/);
    expect(filesIn(folder)).toHaveLength(hostile.length * 2);
    await expect(codeOf(media.file(''))).resolves.toBe('MEDIA_NOT_FOUND');
    await expect(codeOf(media.file('y'.repeat(5000)))).resolves.toBe('MEDIA_NOT_FOUND');
  });
});

describe('ConsoleMedia: the agent’s own files', () => {
  it('keeps an outgoing file before the send, uploads it, and serves it from disk once the relay confirms it', async () => {
    const customer = newCustomer();
    await stack.simulator.sendInboundText({
      from: customer,
      name: 'Rosa',
      phoneNumberId: STACK_PHONE_NUMBER_ID,
      text: 'Hola, ¿me manda la factura?',
    });
    await waitForInbound(customer);

    const mutationId = `m-${randomBytes(6).toString('hex')}`;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(20 * 1024)]);
    await media.storeOutgoing(mutationId, {
      name: 'factura 042.pdf',
      mimeType: 'application/pdf',
      bytes: pdf,
    });

    // Readable at once, while only an outbox row knows it (offline sends show what was attached).
    known.set(mutationId, { kind: 'outgoing' });
    const before = await media.file(mutationId);
    expect(before).toMatchObject({
      size: pdf.length,
      mimeType: 'application/pdf',
      filename: 'factura 042.pdf',
    });
    expect(readFileSync(before.path).equals(pdf)).toBe(true);

    const uploadId = await media.upload(mutationId);
    const uploaded = await relayGet(`/v1/uploads/${encodeURIComponent(uploadId)}`);
    expect(uploaded.status).toBe(200);
    expect(Buffer.from(await uploaded.arrayBuffer()).equals(pdf)).toBe(true);
    expect(uploaded.headers.get('content-disposition')).toContain(encodeURIComponent('factura 042.pdf'));

    const command = await fetch(`${stack.relayUrl}/v1/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        mutationId,
        command: {
          kind: 'send_media',
          conversationId: conversationId(STACK_PHONE_NUMBER_ID, customer),
          uploadId,
        },
      }),
    });
    expect(command.status, await command.clone().text()).toBe(200);
    const confirmed = await relayMessage(customer, mutationId, (m) => m.media !== null);
    expect(confirmed.media?.id).toBe(uploadId);

    // Confirmed: served from the same cached bytes, without asking the relay.
    known.set(mutationId, { kind: 'relay', message: confirmed });
    tap.requests.length = 0;
    expect(readFileSync((await media.file(mutationId)).path).equals(pdf)).toBe(true);
    expect(tap.mediaGets()).toEqual([]);

    // Another console (an empty cache) fetches the sent file from the relay's uploads.
    const teammate = newMedia(join(dir, 'teammate'));
    const fetched = await teammate.file(mutationId);
    expect(readFileSync(fetched.path).equals(pdf)).toBe(true);
    expect(fetched).toMatchObject({ mimeType: 'application/pdf', filename: 'factura 042.pdf' });
    expect(tap.mediaGets().map((r) => r.path)).toEqual([`/v1/uploads/${encodeURIComponent(uploadId)}`]);
  });

  it('passes on the relay’s refusal of a file WhatsApp would not take, and MEDIA_OFFLINE without a relay', async () => {
    const mutationId = `m-${randomBytes(6).toString('hex')}`;
    await media.storeOutgoing(mutationId, {
      name: 'x.exe',
      mimeType: 'application/x-msdownload',
      bytes: randomBytes(100),
    });
    await expect(codeOf(media.upload(mutationId))).resolves.toBe('UNSUPPORTED_MEDIA_TYPE');
    await expect(codeOf(media.upload('never-stored'))).resolves.toBe('MEDIA_NOT_FOUND');

    const offline = new ConsoleMedia({
      dir: join(dir, 'media'),
      relayUrl: 'http://127.0.0.1:9',
      token: stack.token,
      lookup: () => ({ kind: 'outgoing' }),
    });
    await expect(codeOf(offline.upload(mutationId))).resolves.toBe('MEDIA_OFFLINE');
  });
});

/** The inbound text a customer just sent, as the relay stored it. */
async function waitForInbound(customer: string): Promise<Message> {
  const path = `/v1/conversations/${encodeURIComponent(conversationId(STACK_PHONE_NUMBER_ID, customer))}/messages?limit=10`;
  return waitFor(`${customer}'s message on the relay`, async () => {
    const response = await relayGet(path);
    if (response.status !== 200) return null;
    const { messages } = (await response.json()) as { messages: Message[] };
    return messages.find((m) => m.direction === 'in') ?? null;
  });
}

describe('ConsoleMedia: prune and wipe', () => {
  it('prune removes entries of messages the cache forgot and stray part files; wipe removes everything', async () => {
    const folder = join(dir, 'media');
    const message = await inboundPicture(randomBytes(256 * 1024));
    tap.cutNextDownloadAfter = 64 * 1024;
    await expect(codeOf(media.file(message.id))).resolves.toBe('MEDIA_OFFLINE');
    expect(filesIn(folder).some((name) => name.endsWith('.part'))).toBe(true);

    known.set('kept', { kind: 'outgoing' });
    await media.storeOutgoing('kept', { name: 'a.jpg', mimeType: 'image/jpeg', bytes: randomBytes(10) });
    known.set('forgotten', { kind: 'outgoing' });
    await media.storeOutgoing('forgotten', { name: 'b.jpg', mimeType: 'image/jpeg', bytes: randomBytes(10) });
    known.delete('forgotten');
    // Written before any outbox row (a crash in between): no message knows it.
    await media.storeOutgoing('never-queued', {
      name: 'c.jpg',
      mimeType: 'image/jpeg',
      bytes: randomBytes(10),
    });

    const { removed } = await media.prune();
    expect(removed).toBe(5);
    expect(filesIn(folder)).toHaveLength(2);
    await expect(media.file('kept')).resolves.toMatchObject({ size: 10 });
    await expect(codeOf(media.file('forgotten'))).resolves.toBe('MEDIA_NOT_FOUND');

    await media.wipe();
    expect(existsSync(folder)).toBe(false);
    await expect(codeOf(media.file('kept'))).resolves.toBe('MEDIA_NOT_FOUND');
    // Still usable after a wipe (the next agent signs in).
    expect((await media.file(message.id)).size).toBe(256 * 1024);
  });
});

describe('ventana-media: answers (what the Electron protocol handler returns)', () => {
  const url = (id: string) => `${MEDIA_SCHEME}://message/${encodeURIComponent(id)}`;

  it('serves the whole file, one byte range (206), and refuses a range past the end (416)', async () => {
    const bytes = randomBytes(10_000);
    const message = await inboundPicture(bytes);

    const whole = await answerMediaFetch(media, new Request(url(message.id)));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('image/jpeg');
    expect(whole.headers.get('content-length')).toBe(String(bytes.length));
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);

    const part = await answerMediaFetch(
      media,
      new Request(url(message.id), { headers: { range: 'bytes=100-199' } }),
    );
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);

    const past = await answerMediaFetch(
      media,
      new Request(url(message.id), { headers: { range: 'bytes=20000-' } }),
    );
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
  });

  it('answers errors as JSON with the media codes, and refuses URLs that are not a message', async () => {
    const notFound = await answerMediaFetch(media, new Request(url('wamid.nobody')));
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ ok: false, error: { code: 'MEDIA_NOT_FOUND' } });

    const otherHost = await answerMediaFetch(media, new Request(`${MEDIA_SCHEME}://file/etc/passwd`));
    expect(otherHost.status).toBe(404);
    const nested = await answerMediaFetch(media, new Request(`${MEDIA_SCHEME}://message/a/../../b`));
    expect(nested.status).toBe(404);
    const post = await answerMediaFetch(media, new Request(url('x'), { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
    const signedOut = await answerMediaFetch(null, new Request(url('x')));
    expect(signedOut.status).toBe(503);
    expect(await signedOut.json()).toMatchObject({ error: { code: 'MEDIA_UNAVAILABLE' } });
  });

  it('offers a document as a download with its file name, never inline', async () => {
    const customer = newCustomer();
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2048)]);
    const mediaId = stack.simulator.addMedia({ bytes, mimeType: 'application/pdf', filename: 'menú.pdf' });
    const { wamid } = await stack.simulator.sendInbound({
      from: customer,
      phoneNumberId: STACK_PHONE_NUMBER_ID,
      message: documentMessage({ id: mediaId, filename: 'menú.pdf' }),
    });
    const message = await relayMessage(customer, wamid, (m) => m.media?.state === 'stored');
    known.set(message.id, { kind: 'relay', message });
    const answer = await answerMediaFetch(media, new Request(url(message.id)));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-disposition')).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent('menú.pdf')}`,
    );
    expect(answer.headers.get('content-security-policy')).toContain('sandbox');
  });
});
