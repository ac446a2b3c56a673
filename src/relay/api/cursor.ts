// Opaque paging cursors: the sort key of a page's edge row, as base64url JSON. Opaque so clients do
// not build them by hand (the key may change), and validated on the way back in like any other input.
import { z } from 'zod';

export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key a cursor carries, or null when the text is not a cursor of this shape. */
export function decodeCursor<T>(cursor: string, keySchema: z.ZodType<T>): T | null {
  try {
    const json: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const parsed = keySchema.safeParse(json);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A query parameter holding a cursor: a string on the wire, its decoded key once parsed. */
export function cursorParam<T>(keySchema: z.ZodType<T>, description: string) {
  return z
    .string()
    .max(512)
    .transform((text, context): T => {
      const key = decodeCursor(text, keySchema);
      if (key !== null) return key;
      context.issues.push({
        code: 'custom',
        input: text,
        message: 'is not a cursor from a previous page of this list',
      });
      return z.NEVER;
    })
    .meta({ description });
}
