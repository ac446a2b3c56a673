// Inbound media end to end: the simulator as Meta (media ids, signed download URLs, download
// faults), a real relay on loopback with its SQLite file and media folder in a temp dir, consoles
// played by a WebSocket client (the stream) and plain HTTP (the media route).
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startRelay, type Relay, type RelayConfig } from '../../src/relay/index.ts';
import { openSqliteRelayStore } from '../../src/relay/store/sqlite-relay-store.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import { conversationId, type Message } from '../../src/shared/domain.ts';
import { PROTOCOL_VERSION, SYNC_PATH, parseFrame, serverFrameSchema } from '../../src/shared/protocol.ts';
import { documentMessage, imageMessage, startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { testRelayConfig } from '../helpers/relay-config.ts';

const APP_SECRET = 'media-test-app-secret';
const ACCESS_TOKEN = 'media-test-access-token';
const WABA_ID = '310000000000009';
const NUMBER_A = '420000000000011';
const NUMBER_B = '420000000000012';
const CUSTOMER = '5215512340001';
const SECOND = 1_000;
const DAY = 24 * 60 * 60 * SECOND;

// ---------------------------------------------------------------------------------------------------
// A console's view of the stream: every version of every message it was sent, in order.

class MessageStream {
  readonly versions: Message[] = [];
  readonly #ws: WebSocket;
  #wake: (() => void)[] = [];
  #closed = false;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data: Buffer) => {
      const parsed = parseFrame(serverFrameSchema, data.toString('utf8'));
      if (!parsed.ok) throw new Error(`the relay sent a frame outside the protocol: ${parsed.reason}`);
      const frame = parsed.frame;
      if (frame.type === 'events') {
        for (const event of frame.events)
          if (event.type === 'message.upserted') this.versions.push(event.message);
      } else if (frame.type === 'snapshot') {
        this.versions.push(...frame.messages);
      }
      this.#notify();
    });
    ws.on('close', () => {
      this.#closed = true;
      this.#notify();
    });
  }

  static async open(relay: Relay, token: string): Promise<MessageStream> {
    const ws = new WebSocket(`${relay.url.replace(/^http/, 'ws')}${SYNC_PATH}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await once(ws, 'open');
    const stream = new MessageStream(ws);
    ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, clientId: 'media-test', cursor: 0 }));
    return stream;
  }

  /** The first version of message `id` (from its `from`-th version on) that satisfies `accept`. */
  async waitFor(id: string, accept: (message: Message) => boolean, from = 0): Promise<Message> {
    for (;;) {
      const found = this.of(id).slice(from).find(accept);
      if (found !== undefined) return found;
      if (this.#closed) throw new Error(`stream closed; versions of ${id}: ${JSON.stringify(this.of(id))}`);
      await new Promise<void>((resolve) => this.#wake.push(resolve));
    }
  }

  of(id: string): Message[] {
    return this.versions.filter((m) => m.id === id);
  }

  close(): void {
    this.#ws.close();
  }

  #notify(): void {
    const waiters = this.#wake;
    this.#wake = [];
    for (const wake of waiters) wake();
  }
}

// ---------------------------------------------------------------------------------------------------

let dir: string;
let clock: ManualClock;
let simulator: Simulator;
let config: RelayConfig;
let relay: Relay;
let streams: MessageStream[];
let tokens: { numberA: string; numberB: string; supervisor: string };

async function startTestRelay(): Promise<Relay> {
  const started = await startRelay(config, { clock, autoSyncTemplates: false });
  simulator.setWebhookUrl(`${started.url}/webhook`);
  return started;
}

async function openStream(token = tokens.numberA): Promise<MessageStream> {
  const stream = await MessageStream.open(relay, token);
  streams.push(stream);
  return stream;
}

function fetchMedia(
  mediaId: string,
  headers: Record<string, string> = {},
  token: string | null = tokens.numberA,
) {
  return fetch(`${relay.url}/v1/media/${encodeURIComponent(mediaId)}`, {
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers },
  });
}

async function bodyOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

/** A customer sends a picture; answers its wamid and media id. */
async function sendPicture(
  bytes: Buffer,
  caption = 'the broken part',
): Promise<{ wamid: string; mediaId: string }> {
  const mediaId = simulator.addMedia({ bytes, mimeType: 'image/jpeg' });
  const { wamid, status } = await simulator.sendInbound({
    from: CUSTOMER,
    name: 'Lucía',
    phoneNumberId: NUMBER_A,
    message: imageMessage({ id: mediaId, caption }),
  });
  expect(status).toBe(200);
  return { wamid, mediaId };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-relay-media-'));
  clock = new ManualClock();
  streams = [];
  simulator = await startSimulator({
    appSecret: APP_SECRET,
    accessToken: ACCESS_TOKEN,
    wabaId: WABA_ID,
    phoneNumbers: [
      { id: NUMBER_A, displayPhoneNumber: '+52 55 0000 0011' },
      { id: NUMBER_B, displayPhoneNumber: '+52 55 0000 0012' },
    ],
    autoStatuses: false,
  });
  config = testRelayConfig(dir, {
    appSecret: APP_SECRET,
    accessToken: ACCESS_TOKEN,
    graphBaseUrl: simulator.url,
    graphVersion: simulator.graphVersion,
    wabaId: WABA_ID,
  });
  relay = await startTestRelay();
  tokens = {
    numberA: relay.createAgent({ name: 'Ana', role: 'agent', numbers: [NUMBER_A] }).token,
    numberB: relay.createAgent({ name: 'Beto', role: 'agent', numbers: [NUMBER_B] }).token,
    supervisor: relay.createAgent({ name: 'Sara', role: 'supervisor', numbers: [NUMBER_B] }).token,
  };
});

afterEach(async () => {
  for (const stream of streams) stream.close();
  await relay.close();
  await simulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('inbound media', () => {
  it('downloads an inbound image, keeps its exact bytes and announces it stored', async () => {
    const bytes = randomBytes(300 * 1024);
    const stream = await openStream();
    const { wamid, mediaId } = await sendPicture(bytes);

    const pending = await stream.waitFor(wamid, (m) => m.media !== null);
    expect(pending.media).toMatchObject({ id: mediaId, state: 'pending', mimeType: 'image/jpeg' });
    expect(pending.text).toBe('the broken part');

    const stored = await stream.waitFor(wamid, (m) => m.media?.state === 'stored');
    expect(stored.media).toEqual({
      id: mediaId,
      mimeType: 'image/jpeg',
      sha256: createHash('sha256').update(bytes).digest('base64'),
      fileSize: bytes.length,
      filename: null,
      state: 'stored',
      error: null,
    });
    expect(stored.conversationId).toBe(conversationId(NUMBER_A, CUSTOMER));

    const response = await fetchMedia(mediaId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('cache-control')).toBe('private');
    const served = await bodyOf(response);
    expect(createHash('sha256').update(served).digest('base64')).toBe(stored.media?.sha256);
    expect(served.equals(bytes)).toBe(true);
    // Only the finished file is in the media folder: no temp file is left behind.
    expect(readdirSync(config.mediaDir)).toEqual([mediaId]);
  });

  it('keeps a document under its own name for "save as"', async () => {
    const bytes = Buffer.from('%PDF-1.7 an invoice');
    const mediaId = simulator.addMedia({ bytes, mimeType: 'application/pdf', filename: 'Factura marzo.pdf' });
    const stream = await openStream();
    const { wamid } = await simulator.sendInbound({
      from: CUSTOMER,
      phoneNumberId: NUMBER_A,
      message: documentMessage({ id: mediaId, filename: 'Factura marzo.pdf' }),
    });
    await stream.waitFor(wamid, (m) => m.media?.state === 'stored');

    const response = await fetchMedia(mediaId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''Factura%20marzo.pdf");
    expect((await bodyOf(response)).equals(bytes)).toBe(true);
  });

  it('serves byte ranges (a-b, a-, -n), HEAD, and 416 past the end', async () => {
    const bytes = randomBytes(10_000);
    const stream = await openStream();
    const { wamid, mediaId } = await sendPicture(bytes);
    await stream.waitFor(wamid, (m) => m.media?.state === 'stored');

    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=9000-', 9000, 9999],
      ['bytes=-256', 9744, 9999],
      ['bytes=5000-20000', 5000, 9999],
    ];
    for (const [range, start, end] of cases) {
      const response = await fetchMedia(mediaId, { range });
      expect(response.status, range).toBe(206);
      expect(response.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${bytes.length}`);
      expect(response.headers.get('content-length'), range).toBe(String(end - start + 1));
      expect((await bodyOf(response)).equals(bytes.subarray(start, end + 1)), range).toBe(true);
    }

    const head = await fetch(`${relay.url}/v1/media/${mediaId}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${tokens.numberA}` },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));

    const beyond = await fetchMedia(mediaId, { range: `bytes=${bytes.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    await beyond.arrayBuffer();
  });

  it('answers 401 without a valid token, and 404 to an agent of another number as to an unknown id', async () => {
    const stream = await openStream();
    const { wamid, mediaId } = await sendPicture(randomBytes(2048));
    await stream.waitFor(wamid, (m) => m.media?.state === 'stored');

    const anonymous = await fetchMedia(mediaId, {}, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetchMedia(mediaId, {}, 'vnt_not-a-real-token')).status).toBe(401);

    const otherNumber = await fetchMedia(mediaId, {}, tokens.numberB);
    const unknown = await fetchMedia('999999999999999', {}, tokens.numberA);
    expect(otherNumber.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await otherNumber.json()).toEqual(await unknown.json());

    // Supervisors see every number.
    expect((await fetchMedia(mediaId, {}, tokens.supervisor)).status).toBe(200);
  });

  it('retries a download that fails twice, then stores it; the message is never missing', async () => {
    const bytes = randomBytes(4096);
    const mediaId = simulator.addMedia({ bytes, mimeType: 'image/png' });
    // First the media-URL lookup fails, then the download of the bytes.
    simulator.failMediaDownloads({ mediaId, times: 1, status: 500, step: 'info' });
    simulator.failMediaDownloads({ mediaId, times: 1, status: 503, step: 'download' });
    const stream = await openStream();
    const { wamid } = await simulator.sendInbound({
      from: CUSTOMER,
      phoneNumberId: NUMBER_A,
      message: imageMessage({ id: mediaId }),
    });

    const firstFailure = await stream.waitFor(wamid, (m) => m.media?.error != null);
    expect(firstFailure.media).toMatchObject({ state: 'pending' });
    expect(firstFailure.media?.error).toContain('HTTP 500');
    const whilePending = await fetchMedia(mediaId);
    expect(whilePending.status).toBe(409);
    expect(await whilePending.json()).toMatchObject({ error: { code: 'MEDIA_PENDING' } });

    // Not before its time: the retry waits for the relay clock.
    const seen = stream.of(wamid).length;
    clock.advance(10 * SECOND);
    const secondFailure = await stream.waitFor(wamid, (m) => m.media?.error?.includes('HTTP 503') === true);
    expect(stream.of(wamid).length).toBeGreaterThan(seen);
    expect(secondFailure.media?.state).toBe('pending');

    clock.advance(60 * SECOND);
    const stored = await stream.waitFor(wamid, (m) => m.media?.state === 'stored');
    expect(stored.media?.error).toBeNull();
    expect((await bodyOf(await fetchMedia(mediaId))).equals(bytes)).toBe(true);

    // Every version the console saw is the same message, with the media moving pending -> stored.
    const versions = stream.of(wamid);
    expect(versions.map((m) => m.media?.state)).toEqual(['pending', 'pending', 'pending', 'stored']);
    for (const version of versions) expect(version).toMatchObject({ direction: 'in', type: 'image' });
  });

  it('does not keep bytes that differ from the sha256 the webhook announced', async () => {
    const bytes = randomBytes(1024);
    const mediaId = simulator.addMedia({ bytes, mimeType: 'image/jpeg' });
    const wrong = createHash('sha256').update('some other picture').digest('base64');
    const stream = await openStream();
    const { wamid } = await simulator.sendInbound({
      from: CUSTOMER,
      phoneNumberId: NUMBER_A,
      message: { type: 'image', image: { id: mediaId, mime_type: 'image/jpeg', sha256: wrong } },
    });

    const failed = await stream.waitFor(wamid, (m) => m.media?.error != null);
    expect(failed.media).toMatchObject({ state: 'pending', sha256: wrong });
    expect(failed.media?.error).toContain('sha256');
    expect((await fetchMedia(mediaId)).status).toBe(409);
    expect(readdirSync(config.mediaDir)).toEqual([]);
  });

  it('downloads media left pending by a stopped relay once it starts again', async () => {
    const bytes = randomBytes(8192);
    const mediaId = simulator.addMedia({ bytes, mimeType: 'image/jpeg' });
    simulator.failMediaDownloads({ mediaId, times: 1, status: 503 });
    const stream = await openStream();
    const { wamid } = await simulator.sendInbound({
      from: CUSTOMER,
      phoneNumberId: NUMBER_A,
      message: imageMessage({ id: mediaId }),
    });
    await stream.waitFor(wamid, (m) => m.media?.error != null);
    await relay.close();

    clock.advance(10 * SECOND);
    relay = await startTestRelay();
    const again = await openStream();
    const stored = await again.waitFor(wamid, (m) => m.media?.state === 'stored');
    expect(stored.media?.fileSize).toBe(bytes.length);
    expect((await bodyOf(await fetchMedia(mediaId))).equals(bytes)).toBe(true);
  });

  it('gets the media of a message committed just before a crash, before the downloader saw it', async () => {
    await relay.close();
    // What a webhook commit leaves when the relay dies before its listeners run: the message and its
    // event in the log, nothing else.
    const bytes = randomBytes(5000);
    const mediaId = simulator.addMedia({ bytes, mimeType: 'audio/ogg' });
    const wamid = 'wamid.committed-before-the-crash';
    const store = openSqliteRelayStore(config.dbPath);
    const message: Message = {
      id: wamid,
      conversationId: conversationId(NUMBER_A, CUSTOMER),
      phoneNumberId: NUMBER_A,
      direction: 'in',
      type: 'audio',
      text: null,
      waMessageId: wamid,
      timestamp: clock.now(),
      status: 'received',
      statusAt: null,
      error: null,
      pricing: null,
      authorId: null,
      payload: { audio: { id: mediaId, mime_type: 'audio/ogg' } },
      media: {
        id: mediaId,
        mimeType: 'audio/ogg',
        sha256: null,
        fileSize: null,
        filename: null,
        state: 'pending',
        error: null,
      },
      context: null,
      waitingUntil: null,
    };
    store.transaction(() => {
      store.saveConversation({
        id: message.conversationId,
        phoneNumberId: NUMBER_A,
        customer: { key: CUSTOMER, waId: CUSTOMER, userId: null, name: null },
        status: 'open',
        assigneeId: null,
        lastInboundAt: message.timestamp,
        windowExpiresAt: message.timestamp + DAY,
        lastMessageAt: message.timestamp,
        lastMessagePreview: '[audio]',
        referral: null,
      });
      store.saveMessage(message);
      store.appendEvent({ type: 'message.upserted', at: clock.now(), phoneNumberId: NUMBER_A, message });
    });
    store.close();

    relay = await startTestRelay();
    const stream = await openStream();
    const stored = await stream.waitFor(wamid, (m) => m.media?.state === 'stored');
    expect(stored.media).toMatchObject({ id: mediaId, fileSize: bytes.length, mimeType: 'audio/ogg' });
    expect((await bodyOf(await fetchMedia(mediaId))).equals(bytes)).toBe(true);
  });

  it('gives up once the media id has expired: the message stays, its media is failed (410)', async () => {
    const mediaId = simulator.addMedia({ bytes: randomBytes(512), mimeType: 'image/jpeg' });
    simulator.failMediaDownloads({ mediaId, times: 1000, status: 404 });
    const stream = await openStream();
    const { wamid } = await simulator.sendInbound({
      from: CUSTOMER,
      phoneNumberId: NUMBER_A,
      message: imageMessage({ id: mediaId, caption: 'gone' }),
    });
    await stream.waitFor(wamid, (m) => m.media?.error != null);

    // Still within the 7 days: the relay keeps trying.
    clock.advance(6 * DAY);
    const retried = stream.of(wamid).length;
    await stream.waitFor(wamid, (m) => m.media?.state === 'pending', retried);
    clock.advance(DAY + SECOND);
    const failed = await stream.waitFor(wamid, (m) => m.media?.state === 'failed');
    expect(failed.media?.error).toContain('HTTP 404');
    expect(failed.text).toBe('gone');

    const response = await fetchMedia(mediaId);
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ error: { code: 'MEDIA_FAILED' } });
  });
});
