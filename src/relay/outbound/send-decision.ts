// What the relay does after a Graph send, decided in one place from Meta's answer. Meta's send API
// has no idempotency key, so a send is tried again only where Meta documents that it did not take
// it; an answer that may hide an accepted send is `unknown` and left for a status webhook to settle.
import type { WhatsAppError } from '../../shared/domain.ts';
import type { SendOutcome } from '../graph/graph-client.ts';

/**
 * Who waits before the next try: the recipient's queue (pair rate limit), the whole number (its
 * throughput), or just this request (it never left the relay).
 */
export type RetryScope = 'recipient' | 'number' | 'request';

export type SendDecision =
  | { kind: 'accepted'; waMessageId: string }
  /** Meta refused it for good: the message fails with Meta's code, title, message and details. */
  | { kind: 'failed'; error: WhatsAppError }
  /** It may have gone out: marked unknown, never retried (a status webhook carrying the tracker settles it). */
  | { kind: 'unknown'; reason: string }
  | { kind: 'retry'; scope: RetryScope; reason: string };

/**
 * Meta's errors that mean "not taken, try later" (cloud-api.md §3.9): the throughput of the number
 * (130429) and the app- and account-wide call-rate limits (4, 80007) hold the number back; the pair
 * rate limit (131056) holds back that one recipient. Every other error is final.
 */
export const RETRY_SCOPE_BY_CODE: ReadonlyMap<number, RetryScope> = new Map<number, RetryScope>([
  [130429, 'number'],
  [4, 'number'],
  [80007, 'number'],
  [131056, 'recipient'],
]);

/** HTTP 429 without an error Meta named: a rate limit in front of the API; the send was not taken. */
const TOO_MANY_REQUESTS = 429;

export function decideAfterSend(outcome: SendOutcome): SendDecision {
  switch (outcome.kind) {
    case 'accepted':
      return { kind: 'accepted', waMessageId: outcome.waMessageId };
    case 'not_sent':
      return { kind: 'retry', scope: 'request', reason: outcome.reason };
    case 'unknown':
      return { kind: 'unknown', reason: outcome.reason };
    case 'rejected': {
      const { error, httpStatus } = outcome;
      const scope =
        RETRY_SCOPE_BY_CODE.get(error.code) ?? (httpStatus === TOO_MANY_REQUESTS ? 'number' : null);
      if (scope !== null) return { kind: 'retry', scope, reason: `${error.code} ${error.title}` };
      return { kind: 'failed', error };
    }
  }
}
