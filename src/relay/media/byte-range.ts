// The `Range` header of a media request (RFC 9110 §14): one byte range, in any of its three forms.
// Like Express's `send`, anything the relay does not serve as one range (another unit, several
// ranges, a malformed header) is ignored and the whole file is sent; a range past the end is 416.

export type ByteRange =
  /** Serve the whole file (no Range header, or one the relay ignores). */
  | { kind: 'whole' }
  /** Serve bytes start..end, both inclusive. */
  | { kind: 'part'; start: number; end: number }
  /** No byte of the file falls in the requested range. */
  | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

export function parseByteRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return { kind: 'whole' };
  const match = SINGLE_RANGE.exec(header.replace(/\s+/g, ''));
  if (match === null) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };

  if (first === '') {
    // bytes=-n: the last n bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(size - suffix, 0), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (end < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', start, end: Math.min(end, size - 1) };
}
