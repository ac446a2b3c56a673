// Small readers shared by every webhook shape. Meta's payloads are read leniently: unknown keys are
// kept, optional objects may be missing, and a wrong type in one place never hides the rest.
import { z } from 'zod';
import type { WhatsAppError } from '../../../shared/domain.ts';

/** Where a change sits in the body, and what its entry says about it. */
export interface ChangeContext {
  /** `entry[0].changes[1]`: names the part in reasons and alert ids. */
  where: string;
  /** entry.time (ms), present on account-level fields. */
  entryTime: number | null;
}

/** Unix seconds as a string (Meta) or a number (some payloads), to ms. */
export const timestampSchema = z
  .union([z.string().regex(/^\d+$/), z.number().nonnegative()])
  .transform((seconds) => Number(seconds) * 1000);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const nonEmpty = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value === '' ? null : value;

/** The string at `path` inside `value`, or null when any step is missing or not of that type. */
export function stringAt(value: unknown, ...path: string[]): string | null {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return null;
    current = current[key];
  }
  return typeof current === 'string' ? current : null;
}

/** Meta ids arrive as numbers in some fields (message_template_id) and strings in others. */
export const idSchema = z.union([z.string().min(1), z.number()]).transform(String);

const metaErrorSchema = z.looseObject({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  details: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

/** Meta's error object (`errors[i]`) as the domain keeps it; null when it is not one. */
export function whatsAppErrorOf(item: unknown): WhatsAppError | null {
  const parsed = metaErrorSchema.safeParse(item);
  if (!parsed.success) return null;
  const error = parsed.data;
  const result: WhatsAppError = {
    code: error.code,
    title: error.title ?? error.message ?? `Error ${error.code}`,
  };
  if (error.message !== undefined) result.message = error.message;
  const details = error.error_data?.details ?? error.details;
  if (details !== undefined) result.details = details;
  return result;
}

/** The first readable error of an `errors` array. */
export const firstErrorOf = (errors: unknown[] | undefined): WhatsAppError | null =>
  whatsAppErrorOf(errors?.[0]);
