// Paging cursors: opaque text that carries a page edge's sort key back to the relay, and nothing a
// client could make up or damage passes as one.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cursorParam, decodeCursor, encodeCursor } from '../../../src/relay/api/cursor.ts';

const key = z.tuple([z.number(), z.string()]);

describe('paging cursors', () => {
  it('carry a sort key there and back, as URL-safe text', () => {
    const cursor = encodeCursor([1_795_000_000_000, '420000000000001:5215512345678']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, key)).toEqual([1_795_000_000_000, '420000000000001:5215512345678']);
  });

  it('refuse text that is not a cursor of the expected shape', () => {
    for (const text of ['', 'not-a-cursor', encodeCursor([1, 2]), encodeCursor(['a', 'b']), '%%%']) {
      expect(decodeCursor(text, key), text).toBeNull();
    }
  });

  it('as a query parameter, parse to the key or fail with a clear message', () => {
    const param = cursorParam(key, 'the next page');
    expect(param.parse(encodeCursor([5, 'x']))).toEqual([5, 'x']);
    const failed = param.safeParse('bm90LWEtY3Vyc29y');
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]?.message).toBe('is not a cursor from a previous page of this list');
  });
});
