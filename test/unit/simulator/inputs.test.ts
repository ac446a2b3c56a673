// The rules both the in-process API and the /_sim endpoints apply to what tests ask for.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  addMediaInputSchema,
  addTemplateInputSchema,
  failMediaInputSchema,
  failSendsInputSchema,
  failUploadsInputSchema,
  inboundInputSchema,
  pairRateLimitInputSchema,
  statusInputSchema,
  templateStatusInputSchema,
  webhookInputSchema,
} from '../../../src/simulator/inputs.ts';

function problem(schema: z.ZodType, input: unknown): string {
  const parsed = schema.safeParse(input);
  expect(parsed.success, JSON.stringify(input)).toBe(false);
  return parsed.success ? '' : z.prettifyError(parsed.error);
}

describe('inboundInputSchema', () => {
  const location = { type: 'location', location: { latitude: 1, longitude: 2 } };

  it('accepts any Meta-shaped message, a referral and a reply context', () => {
    expect(
      inboundInputSchema.parse({
        from: '5215512345678',
        message: location,
        referral: { source_type: 'ad', ctwa_clid: 'x' },
        context: { id: 'wamid.Q' },
      }),
    ).toMatchObject({ message: location, context: { id: 'wamid.Q' } });
    expect(inboundInputSchema.parse({ from: '', userId: 'US.1', message: { type: 'mystery' } }).from).toBe(
      '',
    );
  });

  it('refuses what the simulator sets itself, a username-only customer without user id, and a message without type', () => {
    expect(
      problem(inboundInputSchema, { from: '5215512345678', message: { ...location, id: 'wamid.X' } }),
    ).toContain('must not carry from, id or timestamp');
    expect(problem(inboundInputSchema, { from: '', message: location })).toContain('needs a userId');
    expect(problem(inboundInputSchema, { from: '5215512345678', message: { location: {} } })).toContain(
      'type',
    );
    expect(problem(inboundInputSchema, { from: '+52 55', message: location })).toContain('E.164');
  });
});

describe('other inputs', () => {
  it('statuses: played is a status; an error may give only its code; pricing must name category and type', () => {
    expect(statusInputSchema.parse({ wamid: 'w', status: 'played' }).status).toBe('played');
    expect(statusInputSchema.parse({ wamid: 'w', status: 'failed', error: { code: 131026 } }).error).toEqual({
      code: 131026,
    });
    expect(
      problem(statusInputSchema, { wamid: 'w', status: 'read', pricing: { category: 'service' } }),
    ).toContain('type');
  });

  it('media: bytes must be a non-empty Buffer with a MIME type; faults need an HTTP error status', () => {
    expect(
      addMediaInputSchema.parse({ bytes: Buffer.from('x'), mimeType: 'audio/ogg; codecs=opus' }),
    ).toBeTruthy();
    expect(problem(addMediaInputSchema, { bytes: Buffer.alloc(0), mimeType: 'image/png' })).toContain(
      'bytes',
    );
    expect(problem(addMediaInputSchema, { bytes: 'abc', mimeType: 'image/png' })).toContain('Buffer');
    expect(problem(addMediaInputSchema, { bytes: Buffer.from('x'), mimeType: 'png' })).toContain('MIME');
    expect(failMediaInputSchema.parse({ mediaId: '1', times: 2, status: 503 }).step).toBe('download');
    expect(problem(failMediaInputSchema, { mediaId: '1', times: 2, status: 200 })).toContain('status');
  });

  it('webhooks: an envelope or raw text, with a signature mode', () => {
    expect(webhookInputSchema.parse({ raw: 'not json' })).toEqual({ raw: 'not json', signature: 'valid' });
    expect(webhookInputSchema.parse({ envelope: { a: 1 }, signature: 'missing' })).toEqual({
      envelope: { a: 1 },
      signature: 'missing',
    });
    problem(webhookInputSchema, { raw: 'x', signature: 'forged' });
    problem(webhookInputSchema, { raw: 'x', envelope: {} });
  });
});

describe('Graph fault inputs', () => {
  it('take one shape each: a code, a 5xx, a hang, a refusal or an error with HTTP 200', () => {
    expect(failSendsInputSchema.parse({ error: { code: 130429 } })).toEqual({
      count: 1,
      error: { code: 130429 },
    });
    expect(failSendsInputSchema.parse({ count: 3, to: '5215512345678', error: { httpStatus: 503 } })).toEqual(
      {
        count: 3,
        to: '5215512345678',
        error: { httpStatus: 503, accepted: false },
      },
    );
    expect(failSendsInputSchema.parse({ error: { hang: true } }).error).toEqual({
      hang: true,
      accepted: true,
    });
    expect(failSendsInputSchema.parse({ error: { errorWith200: true, code: 190 } }).error).toEqual({
      errorWith200: true,
      code: 190,
    });
    for (const error of [
      { httpStatus: 404 },
      { code: 1, httpStatus: 200 },
      { hang: false },
      { code: 1, refuse: true },
      {},
    ]) {
      problem(failSendsInputSchema, { error });
    }
    expect(problem(failSendsInputSchema, { to: 'Ana', error: { code: 1 } })).toContain('E.164');
    expect(problem(failUploadsInputSchema, { error: { hang: true, accepted: true } })).toBeTruthy();
    expect(problem(failUploadsInputSchema, { to: '5215512345678', error: { code: 1 } })).toBeTruthy();
  });

  it('pair rate limit: enabled, with the 6 s window by default', () => {
    expect(pairRateLimitInputSchema.parse({ enabled: true })).toEqual({ enabled: true, windowMs: 6000 });
    problem(pairRateLimitInputSchema, { enabled: 'yes' });
  });
});

describe('template inputs', () => {
  const body = [{ type: 'BODY', text: 'Hola {{1}}' }];

  it('take Meta names, locales, categories and statuses, approved and positional by default', () => {
    expect(
      addTemplateInputSchema.parse({
        name: 'aviso_1',
        language: 'es_MX',
        category: 'UTILITY',
        components: body,
      }),
    ).toEqual({
      name: 'aviso_1',
      language: 'es_MX',
      category: 'UTILITY',
      status: 'APPROVED',
      parameterFormat: 'POSITIONAL',
      components: body,
    });
    expect(
      problem(addTemplateInputSchema, {
        name: 'Aviso',
        language: 'es_MX',
        category: 'UTILITY',
        components: body,
      }),
    ).toContain('lower-case');
    expect(
      problem(addTemplateInputSchema, {
        name: 'a',
        language: 'Spanish',
        category: 'UTILITY',
        components: body,
      }),
    ).toContain('locale');
    problem(addTemplateInputSchema, {
      name: 'a',
      language: 'es',
      category: 'SHIPPING_UPDATE',
      components: body,
    });
    problem(addTemplateInputSchema, { name: 'a', language: 'es', category: 'UTILITY', components: [] });
    problem(templateStatusInputSchema, { name: 'a', language: 'es', status: 'ARCHIVED' });
  });
});
