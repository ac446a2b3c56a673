// The Graph API as the relay uses it: POST /{version}/{phone-number-id}/messages. Outcomes are
// classified for the at-most-once rule: a send is `accepted` (Meta gave a wamid), `rejected` (Meta
// said no, with its error), or `unknown` (timeout, 5xx, connection lost: it may have gone out, so it
// is never retried). Meta can put an error envelope in an HTTP 200, so the body is always checked.
import { z } from 'zod';
import type { WhatsAppError } from '../../shared/domain.ts';

export type SendOutcome =
  | { kind: 'accepted'; waMessageId: string }
  | { kind: 'rejected'; httpStatus: number; error: WhatsAppError }
  | { kind: 'unknown'; reason: string };

export interface GraphClient {
  sendMessage(phoneNumberId: string, body: Record<string, unknown>): Promise<SendOutcome>;
}

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  timeoutMs: number;
}

const graphErrorEnvelopeSchema = z.looseObject({
  error: z.looseObject({
    code: z.number(),
    message: z.string().optional(),
    type: z.string().optional(),
    title: z.string().optional(),
    error_subcode: z.number().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    // An object with `details` for WhatsApp errors, a plain string for some Graph errors.
    error_data: z.union([z.string(), z.looseObject({ details: z.string().optional() })]).optional(),
  }),
});

const sendAcceptedSchema = z.looseObject({
  messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1),
});

/** Meta's error envelope as the domain's WhatsAppError, or null when the body is not one. */
export function parseGraphError(body: unknown): WhatsAppError | null {
  const parsed = graphErrorEnvelopeSchema.safeParse(body);
  if (!parsed.success) return null;
  const { error } = parsed.data;
  const details =
    typeof error.error_data === 'string'
      ? error.error_data
      : (error.error_data?.details ?? error.error_user_msg);
  const result: WhatsAppError = {
    code: error.code,
    title: error.title ?? error.error_user_title ?? error.message ?? error.type ?? `Error ${error.code}`,
  };
  if (error.message !== undefined) result.message = error.message;
  if (details !== undefined) result.details = details;
  return result;
}

function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : null;
  return `connection failed${code === null ? '' : ` (${code})`}`;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async sendMessage(phoneNumberId, body) {
      const url = `${base}/${options.version}/${encodeURIComponent(phoneNumberId)}/messages`;
      let status: number;
      let text: string;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        return { kind: 'unknown', reason: describeFetchFailure(error) };
      }

      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        // Not JSON: classified by the HTTP status below.
      }
      const error = parseGraphError(json);
      if (status >= 500) {
        const what = error === null ? '' : `: ${error.code} ${error.title}`;
        return { kind: 'unknown', reason: `Graph answered HTTP ${status}${what}` };
      }
      if (error !== null) return { kind: 'rejected', httpStatus: status, error };
      const accepted = sendAcceptedSchema.safeParse(json);
      if (status >= 200 && status < 300) {
        return accepted.success
          ? { kind: 'accepted', waMessageId: accepted.data.messages[0]!.id }
          : { kind: 'unknown', reason: `Graph answered HTTP ${status} without a message id` };
      }
      return {
        kind: 'rejected',
        httpStatus: status,
        error: { code: 0, title: `HTTP ${status} from the Graph API`, details: text.slice(0, 500) },
      };
    },
  };
}
