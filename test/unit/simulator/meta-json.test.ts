import { describe, expect, it } from 'vitest';
import { metaJson } from '../../../src/simulator/meta-json.ts';

describe('metaJson', () => {
  it('escapes every non-ASCII character as \\uXXXX, emoji as surrogate pairs, like Meta', () => {
    expect(metaJson({ name: 'María 😀', text: '¿Qué tal?' })).toBe(
      '{"name":"Mar\\u00eda \\ud83d\\ude00","text":"\\u00bfQu\\u00e9 tal?"}',
    );
  });

  it('produces pure ASCII that parses back to the same value', () => {
    const value = { body: 'São Paulo — “entrega” 🚚', n: 1, nested: [{ ok: true }] };
    const text = metaJson(value);
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(JSON.parse(text)).toEqual(value);
  });
});
