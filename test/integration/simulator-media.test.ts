// Meta's media download flow on the simulator, over real HTTP (cloud-api.md §6): GET
// /{version}/{media-id} with the Bearer token answers a short-lived URL; GET <url> with the same
// token answers the bytes. Faults make lookups or downloads fail on demand.
import { createHash } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/shared/clock.ts';
import { startSimulator } from '../../src/simulator/index.ts';

const ACCESS_TOKEN = 'test-access-token';
const PHOTO = Buffer.from('\x89PNG\r\n\x1a\n una foto de la blusa', 'latin1');

async function setup() {
  const clock = new ManualClock(Date.UTC(2026, 10, 21, 12, 0, 0));
  const sim = await startSimulator({
    appSecret: 'test-app-secret',
    accessToken: ACCESS_TOKEN,
    wabaId: '102290129340398',
    phoneNumbers: [{ id: '106540352242922', displayPhoneNumber: '15550783881' }],
    clock,
  });
  onTestFinished(() => sim.close());
  const id = sim.addMedia({ bytes: PHOTO, mimeType: 'image/png' });
  return { sim, clock, id };
}

const mediaInfoSchema = z
  .object({
    messaging_product: z.literal('whatsapp'),
    url: z.url(),
    mime_type: z.string(),
    sha256: z.string(),
    file_size: z.number(),
    id: z.string(),
  })
  .strict();

async function get(url: string, token: string | null = ACCESS_TOKEN) {
  const response = await fetch(url, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

const jsonOf = (answer: { bytes: Buffer }): unknown => JSON.parse(answer.bytes.toString('utf8'));

async function mediaUrl(sim: { url: string; graphVersion: string }, id: string): Promise<string> {
  return mediaInfoSchema.parse(jsonOf(await get(`${sim.url}/${sim.graphVersion}/${id}`))).url;
}

describe('GET /{version}/{media-id}', () => {
  it("describes registered media like Meta: a URL, the MIME type, the bytes' SHA-256 in hex and their size", async () => {
    const { sim, id } = await setup();
    expect(id).toMatch(/^\d{15}$/);
    const answer = await get(`${sim.url}/${sim.graphVersion}/${id}?phone_number_id=106540352242922`);
    expect(answer.status).toBe(200);
    expect(mediaInfoSchema.parse(jsonOf(answer))).toEqual({
      messaging_product: 'whatsapp',
      url: expect.stringContaining(`${sim.url}/whatsapp_business/attachments/?mid=${id}`) as unknown,
      mime_type: 'image/png',
      sha256: createHash('sha256').update(PHOTO).digest('hex'),
      file_size: PHOTO.length,
      id,
    });
  });

  it('requires the Bearer token, and answers an unknown media id with subcode 33', async () => {
    const { sim, id } = await setup();
    for (const token of [null, 'wrong-token']) {
      const answer = await get(`${sim.url}/${sim.graphVersion}/${id}`, token);
      expect(answer.status).toBe(401);
      expect(jsonOf(answer)).toMatchObject({ error: { code: 190, type: 'OAuthException' } });
    }
    const unknown = await get(`${sim.url}/${sim.graphVersion}/123456789012345`);
    expect(unknown.status).toBe(400);
    expect(jsonOf(unknown)).toMatchObject({ error: { code: 100, error_subcode: 33 } });
  });
});

describe('GET <media url>', () => {
  it('serves the bytes with their MIME type, only with the same Bearer token', async () => {
    const { sim, id } = await setup();
    const url = await mediaUrl(sim, id);
    const answer = await get(url);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('image/png');
    expect(answer.bytes).toEqual(PHOTO);
    for (const token of [null, 'wrong-token']) {
      const refused = await get(url, token);
      expect(refused.status).toBe(401);
      expect(refused.bytes).not.toEqual(PHOTO);
    }
  });

  it('expires five minutes after it was given, on the simulator clock; a fresh lookup gives a new one', async () => {
    const { sim, id } = await setup();
    const url = await mediaUrl(sim, id);
    sim.advanceClock(5 * 60_000 - 1_000);
    expect((await get(url)).status).toBe(200);
    sim.advanceClock(1_000);
    const expired = await get(url);
    expect(expired.status).toBe(404);
    expect(JSON.stringify(jsonOf(expired))).toContain('expired');
    const fresh = await mediaUrl(sim, id);
    expect(fresh).not.toBe(url);
    expect((await get(fresh)).bytes).toEqual(PHOTO);
  });

  it('refuses a URL pointed at other media', async () => {
    const { sim, id } = await setup();
    const other = sim.addMedia({ bytes: Buffer.from('otra cosa'), mimeType: 'text/plain' });
    const url = new URL(await mediaUrl(sim, id));
    url.searchParams.set('mid', other);
    expect((await get(url.toString())).status).toBe(404);
  });
});

describe('failMediaDownloads', () => {
  it('makes the next downloads answer the status asked for, then serves the bytes', async () => {
    const { sim, id } = await setup();
    sim.failMediaDownloads({ mediaId: id, times: 2, status: 503 });
    const url = await mediaUrl(sim, id);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(url)).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('fails the lookup instead with step info, with the Graph error a relay would see', async () => {
    const { sim, id } = await setup();
    sim.failMediaDownloads({ mediaId: id, times: 1, status: 500, step: 'info' });
    const failed = await get(`${sim.url}/${sim.graphVersion}/${id}`);
    expect(failed.status).toBe(500);
    expect(jsonOf(failed)).toMatchObject({ error: { code: 2, is_transient: true } });
    expect((await get(`${sim.url}/${sim.graphVersion}/${id}`)).status).toBe(200);
  });

  it('refuses an unknown media id, and is cleared by clearFaults', async () => {
    const { sim, id } = await setup();
    expect(() => sim.failMediaDownloads({ mediaId: '1', times: 1, status: 500 })).toThrow(
      expect.objectContaining({ code: 'SIM_UNKNOWN_MEDIA' }) as Error,
    );
    sim.failMediaDownloads({ mediaId: id, times: 5, status: 404, step: 'info' });
    sim.clearFaults();
    expect((await get(`${sim.url}/${sim.graphVersion}/${id}`)).status).toBe(200);
  });
});

describe('media controls over HTTP', () => {
  it('POST /_sim/media registers base64 bytes; POST /_sim/faults/fail-media arms a failure', async () => {
    const { sim } = await setup();
    const voice = Buffer.from('OggS una nota de voz');
    const added = await fetch(`${sim.url}/_sim/media`, {
      method: 'POST',
      body: JSON.stringify({ base64: voice.toString('base64'), mimeType: 'audio/ogg; codecs=opus' }),
    });
    expect(added.status).toBe(200);
    const { id } = z.object({ id: z.string() }).parse(await added.json());

    const armed = await fetch(`${sim.url}/_sim/faults/fail-media`, {
      method: 'POST',
      body: JSON.stringify({ mediaId: id, times: 1, status: 429, step: 'info' }),
    });
    expect(armed.status).toBe(200);
    const limited = await get(`${sim.url}/${sim.graphVersion}/${id}`);
    expect(limited.status).toBe(429);
    expect(jsonOf(limited)).toMatchObject({ error: { code: 4 } });

    const info = mediaInfoSchema.parse(jsonOf(await get(`${sim.url}/${sim.graphVersion}/${id}`)));
    expect(info.mime_type).toBe('audio/ogg; codecs=opus');
    expect((await get(info.url)).bytes).toEqual(voice);

    const unknown = await fetch(`${sim.url}/_sim/faults/fail-media`, {
      method: 'POST',
      body: JSON.stringify({ mediaId: '42', times: 1, status: 500 }),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'SIM_UNKNOWN_MEDIA' } });
  });
});
