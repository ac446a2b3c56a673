// How customers are named in the inbox and the header.
import { describe, expect, it } from 'vitest';
import { customerLabel, formatPhone } from '../../../src/renderer/format/phone.ts';

describe('phone numbers', () => {
  it('formats WhatsApp ids (E.164 digits without +) in international format', () => {
    expect(formatPhone('5491123456789')).toBe('+54 9 11 2345 6789');
    expect(formatPhone('5215512345678')).toBe('+52 55 1234 5678');
    expect(formatPhone('34612345678')).toBe('+34 612 34 56 78');
    expect(formatPhone('5511987654321')).toBe('+55 11 98765 4321');
  });

  it('keeps what it cannot read instead of inventing a number', () => {
    expect(formatPhone('12')).toBe('12');
    expect(formatPhone('AR.13491208655302741918')).toBe('AR.13491208655302741918');
    expect(formatPhone('999999999999')).toBe('+999999999999');
  });
});

describe('customer labels', () => {
  const base = { key: '5491123456789', waId: '5491123456789', userId: null, name: null };

  it('leads with the profile name and keeps the number beside it', () => {
    expect(customerLabel({ ...base, name: '  María José  ' })).toEqual({
      title: 'María José',
      subtitle: '+54 9 11 2345 6789',
    });
  });

  it('falls back to the number, then to the user id of a customer with no number', () => {
    expect(customerLabel({ ...base, name: ' ' })).toEqual({ title: '+54 9 11 2345 6789', subtitle: null });
    expect(customerLabel({ key: 'AR.1349', waId: null, userId: 'AR.1349', name: null })).toEqual({
      title: 'AR.1349',
      subtitle: null,
    });
    expect(customerLabel({ key: 'k-1', waId: '', userId: null, name: null })).toEqual({
      title: 'k-1',
      subtitle: null,
    });
  });
});
