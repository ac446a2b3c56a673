import { describe, expect, it } from 'vitest';
import { signBody } from '../../../src/simulator/sign.ts';

describe('signBody', () => {
  it('matches the well-known HMAC-SHA256 test vector', () => {
    expect(signBody('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('signs bytes: a Buffer and the same UTF-8 string give the same signature', () => {
    const body = '{"text":"Canci\\u00f3n"}';
    expect(signBody('secret', Buffer.from(body, 'utf8'))).toBe(signBody('secret', body));
  });

  it('changes when one byte of the body changes, or when the secret does', () => {
    const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    const tampered = Buffer.from(body);
    tampered[10] = (tampered[10] ?? 0) ^ 0x01;
    expect(signBody('secret', tampered)).not.toBe(signBody('secret', body));
    expect(signBody('other-secret', body)).not.toBe(signBody('secret', body));
  });
});
