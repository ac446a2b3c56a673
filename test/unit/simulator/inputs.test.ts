// The rules both the in-process API and the /_sim endpoints apply to what tests ask for.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  addMediaInputSchema,
  failMediaInputSchema,
  inboundInputSchema,
  statusInputSchema,
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
  it('statuses: played is a status; pricing must name category and type', () => {
    expect(statusInputSchema.parse({ wamid: 'w', status: 'played' }).status).toBe('played');
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
