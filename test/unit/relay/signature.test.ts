import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkWebhookSignature } from '../../../src/relay/webhook/signature.ts';

const secret = 'app-secret-for-tests';
const sign = (body: Buffer, key = secret) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

describe('webhook signature', () => {
  it('accepts the HMAC of the raw body keyed with the app secret', () => {
    expect(checkWebhookSignature(body, sign(body), secret)).toBe('valid');
  });

  it('refuses a signature made with another secret', () => {
    expect(checkWebhookSignature(body, sign(body, 'another-secret'), secret)).toBe('mismatch');
  });

  it('refuses a body with one byte changed', () => {
    const tampered = Buffer.from(body);
    tampered[10] = tampered[10]! ^ 0x01;
    expect(checkWebhookSignature(tampered, sign(body), secret)).toBe('mismatch');
  });

  it('refuses a missing header', () => {
    expect(checkWebhookSignature(body, undefined, secret)).toBe('missing');
    expect(checkWebhookSignature(body, '', secret)).toBe('missing');
  });

  it('refuses malformed headers', () => {
    const hex = sign(body).slice('sha256='.length);
    for (const header of [
      hex,
      `sha1=${hex}`,
      `sha256=${hex.slice(2)}`,
      `sha256=${'z'.repeat(64)}`,
      'sha256=',
    ]) {
      expect(checkWebhookSignature(body, header, secret)).toBe('malformed');
    }
  });

  it('verifies over the raw bytes when Meta escapes non-ASCII characters as \\uXXXX', () => {
    // Meta sends "Canción 👍" escaped; the signature covers these exact bytes.
    const raw = Buffer.from('{"text":{"body":"Canci\\u00f3n \\ud83d\\udc4d"}}', 'utf8');
    const header = sign(raw);
    expect(checkWebhookSignature(raw, header, secret)).toBe('valid');
    // Re-serializing the parsed JSON writes the characters themselves: different bytes, no match.
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))), 'utf8');
    expect(reserialized.toString('utf8')).toContain('Canción');
    expect(checkWebhookSignature(reserialized, header, secret)).toBe('mismatch');
  });
});
