import { describe, expect, it } from 'vitest';
import { isLoopbackAddress } from '../../../src/relay/control/clock-control.ts';

describe('isLoopbackAddress', () => {
  it('accepts loopback callers only, also as IPv4-mapped IPv6', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])
      expect({ address, loopback: isLoopbackAddress(address) }).toEqual({ address, loopback: true });
    for (const address of [
      '10.0.0.1',
      '192.168.1.127',
      '::ffff:10.0.0.1',
      '1270.0.0.1',
      '::2',
      '',
      undefined,
    ])
      expect({ address, loopback: isLoopbackAddress(address) }).toEqual({ address, loopback: false });
  });
});
