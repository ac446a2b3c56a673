// JSON columns are an edge like any other: what comes back out of SQLite is validated before use.
import type { z } from 'zod';
import { CodedError } from '../../shared/result.ts';

export function toJsonColumn(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function fromJsonColumn<T>(schema: z.ZodType<T>, text: string | null, column: string): T | null {
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CodedError('CACHE_CORRUPT', `The cache column ${column} holds text that is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new CodedError('CACHE_CORRUPT', `The cache column ${column} holds an unexpected value`);
  return parsed.data;
}
