// Results that cross a process boundary (IPC, the web host): never a thrown error, always a value
// the other side can inspect. The shape follows Signal-Desktop's sql channel.
import { z } from 'zod';

export const errorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
});
export type ErrorInfo = z.infer<typeof errorInfoSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});

/** An error with a stable machine-readable code, for the boundaries that turn it into a Result. */
export class CodedError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CodedError';
    this.code = code;
  }
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof CodedError) return { code: error.code, message: error.message };
  if (error instanceof z.ZodError) return { code: 'INVALID_INPUT', message: z.prettifyError(error) };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
