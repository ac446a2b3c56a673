import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../../src/simulator/http.ts';

describe('isLoopback (who may use the /_sim controls)', () => {
  it('accepts IPv4, IPv6 and IPv4-mapped loopback callers', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(address), address).toBe(true);
  });

  it('refuses every other address, and an unknown one', () => {
    for (const address of ['10.0.0.5', '192.168.1.20', '::ffff:10.0.0.5', 'fe80::1', undefined]) {
      expect(isLoopback(address), String(address)).toBe(false);
    }
  });
});
