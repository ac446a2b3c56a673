import { describe, expect, it } from 'vitest';
import { parseByteRange } from '../../../src/shared/byte-range.ts';

describe('Range header of a media request', () => {
  const size = 1000;

  it('serves the whole file without a Range header', () => {
    expect(parseByteRange(undefined, size)).toEqual({ kind: 'whole' });
  });

  it('reads bytes=a-b as both ends inclusive', () => {
    expect(parseByteRange('bytes=0-99', size)).toEqual({ kind: 'part', start: 0, end: 99 });
    expect(parseByteRange('bytes=500-500', size)).toEqual({ kind: 'part', start: 500, end: 500 });
  });

  it('clips an end past the file to the last byte', () => {
    expect(parseByteRange('bytes=900-5000', size)).toEqual({ kind: 'part', start: 900, end: 999 });
  });

  it('reads bytes=a- as from a to the end', () => {
    expect(parseByteRange('bytes=250-', size)).toEqual({ kind: 'part', start: 250, end: 999 });
  });

  it('reads bytes=-n as the last n bytes (the whole file when n is larger)', () => {
    expect(parseByteRange('bytes=-100', size)).toEqual({ kind: 'part', start: 900, end: 999 });
    expect(parseByteRange('bytes=-5000', size)).toEqual({ kind: 'part', start: 0, end: 999 });
  });

  it('tolerates spaces around the numbers', () => {
    expect(parseByteRange('bytes= 10 - 20', size)).toEqual({ kind: 'part', start: 10, end: 20 });
  });

  it('answers unsatisfiable when no byte of the file is in the range', () => {
    expect(parseByteRange('bytes=1000-', size)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=1000-2000', size)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-0', size)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores what it does not serve as one range: other units, several ranges, nonsense', () => {
    for (const header of [
      'items=0-10',
      'bytes=0-10,20-30',
      'bytes=',
      'bytes=-',
      'bytes=abc',
      'bytes=20-10',
      '0-10',
    ]) {
      expect(parseByteRange(header, size), header).toEqual({ kind: 'whole' });
    }
  });
});
