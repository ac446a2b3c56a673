import { describe, expect, it } from 'vitest';
import { newWamid } from '../../../src/simulator/wamid.ts';

describe('newWamid', () => {
  it("looks like Meta's ids: wamid. + base64 of a record carrying the customer's number", () => {
    const wamid = newWamid('+52 1 55 1234 5678');
    expect(wamid).toMatch(/^wamid\.[A-Za-z0-9+/]+=*$/);
    const record = Buffer.from(wamid.slice('wamid.'.length), 'base64').toString('latin1');
    expect(record).toContain('5215512345678');
    expect(record).toMatch(/[0-9A-F]{20}/);
  });

  it('never repeats', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newWamid('5215512345678')));
    expect(ids.size).toBe(5000);
  });
});
