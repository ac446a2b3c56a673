// Media out, end to end: agents upload files to a real relay on loopback (its SQLite file and uploads
// folder in a temp dir), send them with send_media over the sync protocol, and the simulator, as
// Meta, receives the media upload and then the message naming it.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversationId, type Message } from '../../src/shared/domain.ts';
import type { Command, CommandResult } from '../../src/shared/protocol.ts';
import { silentOpusVoiceNote } from '../../src/simulator/demo-media/ogg-opus.ts';
import { encodePng } from '../../src/simulator/demo-media/png.ts';
import { NUMBER_A, NUMBER_B, startRelayStack, type RelayStack } from '../helpers/relay-stack.ts';
import { RelaySyncClient } from '../helpers/relay-sync-client.ts';

const KB = 1024;
const MB = 1024 * KB;
const CUSTOMER = '5215512340001';
const CONVERSATION = conversationId(NUMBER_A, CUSTOMER);

let stack: RelayStack;
/** An agent of number A, one of number B, and a supervisor. */
let ana: string;
let beto: string;
let sara: string;

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** POST /v1/uploads with `body` as the raw file. */
async function upload(
  token: string | null,
  body: Buffer | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${stack.relay.url}/v1/uploads`, {
    method: 'POST',
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  });
  return answerOf(response);
}

/** `size` bytes in 64 KB chunks, without ever holding them all: sent chunked, with no Content-Length. */
function streamOf(size: number, first: Buffer = Buffer.alloc(0)): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = sent === 0 && first.length > 0 ? first : Buffer.alloc(Math.min(64 * KB, size - sent));
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

const jpeg = (size: number): Buffer =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4)]);

function webp(size: number, animated: boolean): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.write('RIFF', 0, 'latin1');
  bytes.writeUInt32LE(size - 8, 4);
  bytes.write('WEBP', 8, 'latin1');
  bytes.write('VP8X', 12, 'latin1');
  bytes.writeUInt32LE(10, 16);
  bytes[20] = animated ? 0x02 : 0x00;
  return bytes;
}

/** Files in the uploads folder, and rows in the uploads table. */
function kept(): { files: string[]; rows: number } {
  const folder = join(stack.config.mediaDir, 'uploads');
  const files = existsSync(folder) ? readdirSync(folder) : [];
  const [row] = stack.query<{ count: number }>('SELECT count(*) AS count FROM uploads');
  return { files, rows: row?.count ?? 0 };
}

async function get(path: string, token: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.relay.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
}

beforeEach(async () => {
  stack = await startRelayStack();
  ana = stack.relay.createAgent({ name: 'Ana', role: 'agent', numbers: [NUMBER_A] }).token;
  beto = stack.relay.createAgent({ name: 'Beto', role: 'agent', numbers: [NUMBER_B] }).token;
  sara = stack.relay.createAgent({ name: 'Sara', role: 'supervisor', numbers: 'all' }).token;
});
afterEach(async () => {
  await stack.close();
});

describe('POST /v1/uploads', () => {
  it('keeps a file WhatsApp can send and says what it will be sent as', async () => {
    const png = encodePng(16, 16, (x, y) => [x * 16, y * 16, 90]);
    const answer = await upload(ana, png, {
      'content-type': 'image/png',
      'x-filename': encodeURIComponent('foto del pedido.png'),
    });
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({
      uploadId: expect.stringMatching(/^upl_/) as unknown,
      mimeType: 'image/png',
      size: png.length,
      kind: 'image',
      filename: 'foto del pedido.png',
    });
    expect(kept()).toEqual({ files: [answer.json.uploadId], rows: 1 });

    const voice = silentOpusVoiceNote(3);
    const audio = await upload(ana, voice, { 'content-type': 'audio/ogg; codecs=opus' });
    expect(audio.json).toMatchObject({
      mimeType: 'audio/ogg',
      kind: 'audio',
      size: voice.length,
      filename: null,
    });

    const pdf = await upload(sara, Buffer.from('%PDF-1.4 cotización'), { 'content-type': 'application/pdf' });
    expect(pdf.json).toMatchObject({ kind: 'document', mimeType: 'application/pdf' });
  });

  it('refuses a file over its kind’s limit with 413 before keeping anything', async () => {
    // Declared too large: refused before a byte is read.
    const image = await upload(ana, jpeg(5 * MB + 1), { 'content-type': 'image/jpeg' });
    expect(image).toEqual({
      status: 413,
      json: {
        error: {
          code: 'MEDIA_TOO_LARGE',
          message: 'This file is over 5 MB: WhatsApp takes images up to 5 MB.',
        },
      },
    });
    const photo = await upload(ana, jpeg(7.5 * MB), { 'content-type': 'image/jpeg' });
    expect(photo.json.error).toMatchObject({
      message: 'This file is 7.5 MB: WhatsApp takes images up to 5 MB.',
    });
    // Streamed without a length: cut off as soon as it passes the limit.
    const video = await upload(ana, streamOf(16 * MB + 1), { 'content-type': 'video/mp4' });
    expect(video.status).toBe(413);
    expect(video.json.error).toEqual({
      code: 'MEDIA_TOO_LARGE',
      message: 'This file is too large: WhatsApp takes videos up to 16 MB.',
    });
    const voice = await upload(ana, streamOf(16 * MB + 1), { 'content-type': 'audio/mpeg' });
    expect(voice.json.error).toMatchObject({
      message: expect.stringContaining('audio files up to 16 MB') as unknown,
    });
    const document = await upload(ana, streamOf(100 * MB + 1), { 'content-type': 'application/pdf' });
    expect(document.json.error).toMatchObject({
      message: expect.stringContaining('documents up to 100 MB') as unknown,
    });
    const sticker = await upload(ana, webp(101 * KB, false), { 'content-type': 'image/webp' });
    expect(sticker).toMatchObject({
      status: 413,
      json: { error: { message: 'This file is too large: WhatsApp takes static stickers up to 100 KB.' } },
    });

    expect(kept()).toEqual({ files: [], rows: 0 });
    // An animated sticker may be five times larger.
    const animated = await upload(ana, webp(400 * KB, true), { 'content-type': 'image/webp' });
    expect(animated.json).toMatchObject({ kind: 'sticker', size: 400 * KB });
  });

  it('refuses a type WhatsApp cannot send with 415, keeping nothing', async () => {
    const gif = await upload(ana, Buffer.from('GIF89a...'), { 'content-type': 'image/gif' });
    expect(gif.status).toBe(415);
    expect(gif.json.error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.stringContaining(
        'WhatsApp cannot send image/gif files. It takes images JPEG or PNG',
      ) as unknown,
    });
    const unlabelled = await upload(ana, Buffer.from('who knows'));
    expect(unlabelled.status).toBe(415);
    expect(unlabelled.json.error).toMatchObject({ code: 'CONTENT_TYPE_REQUIRED' });
    const mislabelled = await upload(
      ana,
      encodePng(2, 2, () => [0, 0, 0]),
      { 'content-type': 'image/jpeg' },
    );
    expect(mislabelled).toMatchObject({
      status: 415,
      json: {
        error: {
          code: 'MEDIA_CONTENT_MISMATCH',
          message: 'This file is labelled image/jpeg but is not a JPEG image.',
        },
      },
    });
    const vorbis = await upload(ana, Buffer.from('OggS'), { 'content-type': 'audio/ogg; codecs=vorbis' });
    expect(vorbis.status).toBe(415);
    expect(kept()).toEqual({ files: [], rows: 0 });
  });

  it('refuses an empty body, a broken filename and a missing token', async () => {
    expect(
      (await upload(ana, Buffer.alloc(0), { 'content-type': 'application/pdf' })).json.error,
    ).toMatchObject({
      code: 'EMPTY_UPLOAD',
    });
    const badName = await upload(ana, Buffer.from('%PDF'), {
      'content-type': 'application/pdf',
      'x-filename': '%E0%A4',
    });
    expect(badName).toMatchObject({ status: 400, json: { error: { code: 'INVALID_FILENAME' } } });
    const anonymous = await upload(null, Buffer.from('%PDF'), { 'content-type': 'application/pdf' });
    expect(anonymous).toMatchObject({ status: 401, json: { error: { code: 'UNAUTHORIZED' } } });
    expect(kept()).toEqual({ files: [], rows: 0 });
  });
});

describe('GET /v1/uploads/{id}', () => {
  it('serves the uploader its file, whole or by range, and hides it from agents of other numbers', async () => {
    const bytes = Buffer.from('%PDF-1.4 presupuesto de la boda');
    const { json } = await upload(ana, bytes, {
      'content-type': 'application/pdf',
      'x-filename': encodeURIComponent('presupuesto boda.pdf'),
    });
    const path = `/v1/uploads/${String(json.uploadId)}`;

    const whole = await get(path, ana);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    expect(whole.headers.get('content-disposition')).toBe(
      `inline; filename*=UTF-8''${encodeURIComponent('presupuesto boda.pdf')}`,
    );
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(bytes);

    const part = await get(path, ana, { range: 'bytes=0-7' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-7/${bytes.length}`);
    expect(await part.text()).toBe('%PDF-1.4');

    expect((await get(path, sara)).status).toBe(200);
    const hidden = await get(path, beto);
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toEqual({ error: { code: 'UPLOAD_NOT_FOUND', message: 'No such upload' } });
    expect((await get('/v1/uploads/upl_nothing', ana)).status).toBe(404);
  });
});

// ---------------------------------------------------------------------------------------------------
// send_media

type MediaCommand = Extract<Command, { kind: 'send_media' }>;

/** Sends a send_media command as console `client` and waits for its result. */
async function sendMedia(
  client: RelaySyncClient,
  mutationId: string,
  command: Omit<MediaCommand, 'kind'>,
): Promise<CommandResult> {
  const from = client.frames.length;
  client.send({ type: 'command', mutationId, command: { kind: 'send_media', ...command } });
  const frame = await client.waitFor('command_result', (f) => f.mutationId === mutationId, from);
  return frame.result;
}

/** Waits until the console's mirror holds message `id` in a state `accept` likes. */
async function messageIn(
  client: RelaySyncClient,
  id: string,
  accept: (message: Message) => boolean,
): Promise<Message> {
  for (;;) {
    const message = client.mirror.messages.get(id);
    if (message !== undefined && accept(message)) return message;
    await client.waitFor('events', () => true, client.frames.length);
  }
}

/** Uploads a PNG as `token`; answers the upload id and the bytes. */
async function uploadedPhoto(token: string): Promise<{ uploadId: string; bytes: Buffer }> {
  const bytes = encodePng(8, 8, (x, y) => [x * 30, y * 30, 120]);
  const answer = await upload(token, bytes, { 'content-type': 'image/png' });
  if (answer.status !== 201) throw new Error(`upload answered ${answer.status}`);
  return { uploadId: String(answer.json.uploadId), bytes };
}

const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('send_media', () => {
  let console_: RelaySyncClient;

  beforeEach(async () => {
    await stack.customerWrites(CUSTOMER, 'Hola, ¿me mandan la foto del vestido?');
    console_ = await RelaySyncClient.connect(stack.relay.url, ana);
  });
  afterEach(() => {
    console_.close();
  });

  it('uploads the file to Meta, then sends a message naming its media id with the caption, once however often it is repeated', async () => {
    const { uploadId, bytes } = await uploadedPhoto(ana);
    const command = { conversationId: CONVERSATION, uploadId, caption: 'Así quedó el vestido' };
    const results = await Promise.all([
      sendMedia(console_, 'mut-photo-0001', command),
      sendMedia(console_, 'mut-photo-0001', command),
      sendMedia(console_, 'mut-photo-0001', command),
    ]);
    expect(results).toEqual(Array(3).fill({ ok: true, messageId: 'mut-photo-0001' }));

    const sent = await messageIn(console_, 'mut-photo-0001', (m) => m.status === 'accepted');
    const [uploaded, ...moreUploads] = stack.simulator.uploads();
    expect(moreUploads).toEqual([]);
    expect(uploaded).toMatchObject({ phoneNumberId: NUMBER_A, mimeType: 'image/png', size: bytes.length });
    expect(uploaded?.sha256).toBe(sha256Hex(bytes));
    const [send, ...moreSends] = stack.simulator.sends();
    expect(moreSends).toEqual([]);
    expect(send?.body).toMatchObject({
      to: CUSTOMER,
      type: 'image',
      image: { id: uploaded?.id, caption: 'Así quedó el vestido' },
      biz_opaque_callback_data: 'mut-photo-0001',
    });
    expect(sent).toMatchObject({
      type: 'image',
      direction: 'out',
      text: 'Así quedó el vestido',
      waMessageId: send?.wamid,
      media: { id: uploadId, mimeType: 'image/png', fileSize: bytes.length, state: 'stored' },
    });
    expect(console_.mirror.conversations.get(CONVERSATION)?.lastMessagePreview).toBe(
      '📷 Así quedó el vestido',
    );

    // After a restart the relay still remembers: the same answer, and Meta hears nothing more.
    console_.close();
    await stack.restartRelay();
    console_ = await RelaySyncClient.connect(stack.relay.url, ana);
    expect(await sendMedia(console_, 'mut-photo-0001', command)).toEqual({
      ok: true,
      messageId: 'mut-photo-0001',
    });
    expect(stack.simulator.uploads()).toHaveLength(1);
    expect(stack.simulator.sends()).toHaveLength(1);
  });

  it('sends a document with its filename, an audio without caption, and quotes a message', async () => {
    const pdf = await upload(ana, Buffer.from('%PDF-1.4 catálogo'), {
      'content-type': 'application/pdf',
      'x-filename': encodeURIComponent('catálogo 2026.pdf'),
    });
    const quoted = [...console_.mirror.messages.values()].find((m) => m.direction === 'in');
    expect(
      await sendMedia(console_, 'mut-doc-0001', {
        conversationId: CONVERSATION,
        uploadId: String(pdf.json.uploadId),
        caption: 'El catálogo',
        replyTo: quoted!.id,
      }),
    ).toEqual({ ok: true, messageId: 'mut-doc-0001' });
    const document = await messageIn(console_, 'mut-doc-0001', (m) => m.status === 'accepted');
    expect(document.context).toEqual({
      replyTo: quoted!.waMessageId,
      forwarded: false,
      frequentlyForwarded: false,
    });

    const voice = await upload(ana, silentOpusVoiceNote(2), { 'content-type': 'audio/ogg' });
    await sendMedia(console_, 'mut-voice-0001', {
      conversationId: CONVERSATION,
      uploadId: String(voice.json.uploadId),
    });
    await messageIn(console_, 'mut-voice-0001', (m) => m.status === 'accepted');

    const [documentSend, voiceSend] = stack.simulator.sends();
    expect(documentSend?.body).toMatchObject({
      type: 'document',
      document: { caption: 'El catálogo', filename: 'catálogo 2026.pdf' },
      context: { message_id: quoted!.waMessageId },
    });
    expect(voiceSend?.body).toMatchObject({ type: 'audio' });
    expect(Object.keys((voiceSend?.body as { audio: object }).audio)).toEqual(['id']);
  });

  it('uploads a file once per number, however many conversations it is sent to', async () => {
    const others = ['5215512340002', '5215512340003'];
    for (const other of others) await stack.customerWrites(other, 'Yo también quiero la foto');
    const { uploadId } = await uploadedPhoto(ana);
    // Two sends at once share one upload; a later one reuses the media id Meta gave.
    await Promise.all([
      sendMedia(console_, 'mut-photo-a001', { conversationId: CONVERSATION, uploadId }),
      sendMedia(console_, 'mut-photo-b001', {
        conversationId: conversationId(NUMBER_A, others[0]!),
        uploadId,
      }),
    ]);
    await messageIn(console_, 'mut-photo-a001', (m) => m.status === 'accepted');
    await messageIn(console_, 'mut-photo-b001', (m) => m.status === 'accepted');
    await sendMedia(console_, 'mut-photo-c001', {
      conversationId: conversationId(NUMBER_A, others[1]!),
      uploadId,
    });
    await messageIn(console_, 'mut-photo-c001', (m) => m.status === 'accepted');

    const [uploaded, ...more] = stack.simulator.uploads();
    expect(more).toEqual([]);
    const mediaIds = stack.simulator.sends().map((send) => (send.body as { image: { id: string } }).image.id);
    expect(mediaIds).toEqual([uploaded?.id, uploaded?.id, uploaded?.id]);
  });

  it('retries an upload Meta could not take just now, then sends', async () => {
    stack.simulator.failNextUploads({ error: { httpStatus: 500 } });
    stack.simulator.failNextUploads({ error: { code: 130429 } });
    const { uploadId } = await uploadedPhoto(ana);
    await sendMedia(console_, 'mut-retry-0001', {
      conversationId: CONVERSATION,
      uploadId,
      caption: 'Va de nuevo',
    });

    // Each failure holds the message back a little longer; moving the clock there lets it try again.
    let waitedUntil = 0;
    for (let attempt = 0; attempt < 2; attempt++) {
      const waiting = await messageIn(
        console_,
        'mut-retry-0001',
        (m) => m.waitingUntil !== null && m.waitingUntil > waitedUntil,
      );
      expect(waiting.status).toBe('queued');
      waitedUntil = waiting.waitingUntil!;
      stack.clock.set(waitedUntil);
    }
    const sent = await messageIn(console_, 'mut-retry-0001', (m) => m.status === 'accepted');
    expect(sent.waitingUntil).toBeNull();
    expect(stack.simulator.graphFaults().uploads).toEqual([]);
    expect(stack.simulator.uploads()).toHaveLength(1);
    expect(stack.simulator.sends()).toHaveLength(1);
  });

  it('fails the message with Meta’s error when Meta refuses the upload for good, and sends nothing', async () => {
    stack.simulator.failNextUploads({
      error: { code: 131053, title: 'Media upload error', details: 'Unsupported image dimensions' },
    });
    const { uploadId } = await uploadedPhoto(ana);
    await sendMedia(console_, 'mut-refused-001', { conversationId: CONVERSATION, uploadId });

    const failed = await messageIn(console_, 'mut-refused-001', (m) => m.status === 'failed');
    expect(failed.error).toMatchObject({ code: 131053, details: 'Unsupported image dimensions' });
    expect(stack.simulator.uploads()).toEqual([]);
    expect(stack.simulator.sends()).toEqual([]);
  });

  it('refuses what cannot be sent, with a reason, and Meta hears nothing', async () => {
    const { uploadId } = await uploadedPhoto(ana);
    const refusal = async (mutationId: string, command: Omit<MediaCommand, 'kind'>, client = console_) => {
      const result = await sendMedia(client, mutationId, command);
      return result.ok ? null : result.error.code;
    };

    expect(await refusal('mut-ghost-0001', { conversationId: CONVERSATION, uploadId: 'upl_gone' })).toBe(
      'UPLOAD_NOT_FOUND',
    );
    const sticker = await upload(ana, webp(50 * KB, false), { 'content-type': 'image/webp' });
    expect(
      await refusal('mut-caption-01', {
        conversationId: CONVERSATION,
        uploadId: String(sticker.json.uploadId),
        caption: '¡Listo!',
      }),
    ).toBe('CAPTION_NOT_SUPPORTED');
    const outsider = await RelaySyncClient.connect(stack.relay.url, beto);
    expect(await refusal('mut-outsider-1', { conversationId: CONVERSATION, uploadId }, outsider)).toBe(
      'CONVERSATION_NOT_FOUND',
    );
    outsider.close();

    stack.clock.advance(24 * 3600_000 + 1);
    const closed = await sendMedia(console_, 'mut-late-00001', { conversationId: CONVERSATION, uploadId });
    expect(closed).toMatchObject({ ok: false, error: { code: 'WINDOW_CLOSED' } });
    if (!closed.ok) expect(closed.error.message).toContain('only an approved template can be sent');

    expect(stack.simulator.uploads()).toEqual([]);
    expect(stack.simulator.sends()).toEqual([]);
    expect(console_.mirror.messages.has('mut-late-00001')).toBe(false);
  });

  it('shows a sent file to every agent of its number, and removes only uploads nobody sent after a day', async () => {
    const sent = await uploadedPhoto(ana);
    const unsent = await uploadedPhoto(ana);
    await sendMedia(console_, 'mut-shown-0001', { conversationId: CONVERSATION, uploadId: sent.uploadId });
    const colleague = stack.relay.createAgent({ name: 'Carla', role: 'agent', numbers: [NUMBER_A] }).token;

    const viewed = await get(`/v1/uploads/${sent.uploadId}`, colleague);
    expect(viewed.status).toBe(200);
    expect(Buffer.from(await viewed.arrayBuffer())).toEqual(sent.bytes);
    expect((await get(`/v1/uploads/${unsent.uploadId}`, colleague)).status).toBe(404);
    expect((await get(`/v1/uploads/${sent.uploadId}`, beto)).status).toBe(404);

    console_.close();
    stack.clock.advance(24 * 3600_000 + 60_000);
    await stack.restartRelay();
    console_ = await RelaySyncClient.connect(stack.relay.url, ana);
    expect((await get(`/v1/uploads/${sent.uploadId}`, ana)).status).toBe(200);
    expect((await get(`/v1/uploads/${unsent.uploadId}`, ana)).status).toBe(404);
    expect(kept()).toEqual({ files: [sent.uploadId], rows: 1 });
  });
});
