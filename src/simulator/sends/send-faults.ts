// Answers armed for the next Graph requests (failNextSends, failNextUploads): a WhatsApp error with
// Meta's envelope, a 5xx, an error body with HTTP 200, a request that is never answered (the caller
// times out) or a connection reset before the request is read. A fault may be scoped to one
// recipient; faults are used in the order they were armed, each `count` times.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serverError, whatsAppError } from '../graph-errors.ts';
import type { WhatsAppErrorRequest } from '../graph-errors.ts';
import { sendJson } from '../http.ts';

export type FaultOutcome =
  | { kind: 'error'; error: WhatsAppErrorRequest }
  /** A 5xx from Graph; `accepted`: Meta carried the send out anyway (statuses will follow). */
  | { kind: 'server-error'; httpStatus: number; accepted: boolean }
  /** Never answered; `accepted`: Meta carried the send out anyway. */
  | { kind: 'hang'; accepted: boolean }
  | { kind: 'refuse' }
  /** Meta's error body with HTTP 200: callers must look for `error` whatever the status. */
  | { kind: 'error-with-200'; error: WhatsAppErrorRequest };

export interface ArmedFault {
  outcome: FaultOutcome;
  remaining: number;
  /** Only sends to this recipient (digits) meet it; null: any request. */
  to: string | null;
}

const digits = (to: string): string => to.replace(/\D/g, '');

/** A fault as tests describe it (see failSendsInputSchema in inputs.ts), already validated. */
export type FaultSpec =
  | { code: number; httpStatus?: number; title?: string; details?: string; subcode?: number }
  | { httpStatus: number; accepted?: boolean }
  | { hang: true; accepted?: boolean }
  | { refuse: true }
  | { errorWith200: true; code: number; title?: string; details?: string };

export function faultOutcome(spec: FaultSpec): FaultOutcome {
  if ('refuse' in spec) return { kind: 'refuse' };
  if ('hang' in spec) return { kind: 'hang', accepted: spec.accepted ?? true };
  if ('errorWith200' in spec) {
    const { errorWith200: _, ...error } = spec;
    return { kind: 'error-with-200', error };
  }
  if ('code' in spec) return { kind: 'error', error: spec };
  return { kind: 'server-error', httpStatus: spec.httpStatus, accepted: spec.accepted ?? false };
}

export class ArmedFaults {
  readonly #armed: ArmedFault[] = [];

  arm(outcome: FaultOutcome, count: number, to: string | null = null): void {
    this.#armed.push({ outcome, remaining: count, to: to === null ? null : digits(to) });
  }

  /**
   * Whether to reset the connection before reading the request: only when the next fault is an
   * unscoped refusal and no scoped fault could claim this request first.
   */
  takeRefusalBeforeBody(): boolean {
    if (this.#armed.some((fault) => fault.to !== null)) return false;
    const next = this.#armed[0];
    if (next?.outcome.kind !== 'refuse') return false;
    this.#use(next);
    return true;
  }

  /** The fault the request to `to` (null: no recipient, e.g. mark-read) meets, if any. */
  take(to: string | null): FaultOutcome | null {
    const recipient = to === null ? null : digits(to);
    const fault = this.#armed.find((f) => f.to === null || f.to === recipient);
    if (fault === undefined) return null;
    this.#use(fault);
    return fault.outcome;
  }

  state(): ArmedFault[] {
    return this.#armed.map((fault) => structuredClone(fault));
  }

  clear(): void {
    this.#armed.length = 0;
  }

  #use(fault: ArmedFault): void {
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#armed.splice(this.#armed.indexOf(fault), 1);
  }
}

/** What the caller was answered: for the request log. */
export interface FaultAnswer {
  httpStatus: number | null;
  errorCode: number | null;
}

/**
 * Answers a request with a fault that did not let Meta carry it out: an error body (with its
 * status, or 200), a 5xx, no answer at all, or a reset connection.
 */
export async function answerFault(
  req: IncomingMessage,
  res: ServerResponse,
  outcome: FaultOutcome,
): Promise<FaultAnswer> {
  switch (outcome.kind) {
    case 'refuse':
      req.socket.resetAndDestroy();
      return { httpStatus: null, errorCode: null };
    case 'hang':
      // Never answered: the caller's timeout decides. Closing the simulator ends the connection.
      return { httpStatus: null, errorCode: null };
    case 'server-error': {
      const error = serverError(outcome.httpStatus);
      await sendJson(res, error.status, error.body);
      return { httpStatus: error.status, errorCode: error.body.error.code };
    }
    case 'error': {
      const error = whatsAppError(outcome.error);
      await sendJson(res, error.status, error.body);
      return { httpStatus: error.status, errorCode: error.body.error.code };
    }
    case 'error-with-200': {
      const error = whatsAppError(outcome.error);
      await sendJson(res, 200, error.body);
      return { httpStatus: 200, errorCode: error.body.error.code };
    }
  }
}
