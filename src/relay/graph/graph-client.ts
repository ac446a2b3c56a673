// The Graph API as the relay uses it: sends (POST /{version}/{phone-number-id}/messages), read
// receipts (same endpoint) and authorized reads (template pages). Outcomes are classified for the
// at-most-once rule: a send is `accepted` (Meta gave a wamid), `rejected` (Meta said no, with its
// error), `not_sent` (the connection was never made, so Meta cannot have seen it), or `unknown`
// (timeout, 5xx, connection lost after the request left: it may have gone out). Meta can put an
// error envelope in an HTTP 200, so the body is always checked; error parsing lives only here.
import { z } from 'zod';
import type { WhatsAppError } from '../../shared/domain.ts';

export type SendOutcome =
  | { kind: 'accepted'; waMessageId: string }
  | { kind: 'rejected'; httpStatus: number; error: WhatsAppError }
  /** The request never left this machine (connection refused, DNS failure): safe to send again. */
  | { kind: 'not_sent'; reason: string }
  /** The request may have reached Meta: never sent again automatically. */
  | { kind: 'unknown'; reason: string };

/** The outcome of a call without a message id in its answer (mark read). */
export type CallOutcome =
  | { kind: 'ok' }
  | { kind: 'rejected'; httpStatus: number; error: WhatsAppError }
  | { kind: 'not_sent'; reason: string }
  | { kind: 'unknown'; reason: string };

export type ReadOutcome =
  | { kind: 'ok'; json: unknown }
  | {
      kind: 'failed';
      /** Null when no answer came. */
      httpStatus: number | null;
      /** Meta's error, when the answer carried one. */
      error: WhatsAppError | null;
      reason: string;
    };

export interface GraphClient {
  /**
   * Posts a message body as given (the caller sets messaging_product, to, type, ...). `signal` lets
   * a shutdown cut a call that takes too long: its outcome is then `unknown`.
   */
  sendMessage(
    phoneNumberId: string,
    body: Record<string, unknown>,
    options?: { signal?: AbortSignal },
  ): Promise<SendOutcome>;
  /** Marks an inbound message (and the ones before it) read, showing blue ticks to the customer. */
  markRead(phoneNumberId: string, waMessageId: string): Promise<CallOutcome>;
  /**
   * An authorized GET: `pathOrUrl` is a Graph path under the version (`/{waba-id}/message_templates`)
   * or a full URL Meta handed out (`paging.next`), which must point at the configured Graph host:
   * the access token is never sent anywhere else.
   */
  getJson(pathOrUrl: string, query?: Record<string, string>): Promise<ReadOutcome>;
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

/**
 * Socket errors raised before a connection exists: the request cannot have reached anyone.
 * (ECONNRESET, EPIPE and timeouts are missing on purpose: they can happen after the body left.)
 */
const NOT_CONNECTED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

type FetchFailure = { kind: 'not_sent' | 'unknown'; reason: string };

function errorCodes(cause: unknown): string[] {
  if (!(cause instanceof Error)) return [];
  // Dual-stack connects fail with an AggregateError holding one error per address tried.
  if (cause instanceof AggregateError) return cause.errors.flatMap(errorCodes);
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' ? [code] : [];
}

export function classifyFetchFailure(error: unknown): FetchFailure {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return { kind: 'unknown', reason: 'timed out' };
  const codes = errorCodes(error instanceof Error ? error.cause : undefined);
  const reason = `connection failed${codes.length === 0 ? '' : ` (${[...new Set(codes)].join(', ')})`}`;
  const neverConnected = codes.length > 0 && codes.every((code) => NOT_CONNECTED_CODES.has(code));
  return { kind: neverConnected ? 'not_sent' : 'unknown', reason };
}

type Answer = { kind: 'answered'; status: number; text: string; json: unknown } | FetchFailure;

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The HTTP status as an error when the body says nothing useful. */
function httpError(status: number, text: string): WhatsAppError {
  return { code: 0, title: `HTTP ${status} from the Graph API`, details: text.slice(0, 500) };
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const versionRoot = `${base}/${options.version}`;

  async function call(
    method: 'GET' | 'POST',
    url: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<Answer> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    try {
      const response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${options.accessToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]),
      });
      const text = await response.text();
      return { kind: 'answered', status: response.status, text, json: parseJsonOrNull(text) };
    } catch (error) {
      return classifyFetchFailure(error);
    }
  }

  /** What an answer without a wamid means: ok, Meta's refusal, or (5xx) an unknown outcome. */
  function callOutcome(answer: Answer): CallOutcome {
    if (answer.kind !== 'answered') return answer;
    const error = parseGraphError(answer.json);
    if (answer.status >= 500) {
      const what = error === null ? '' : `: ${error.code} ${error.title}`;
      return { kind: 'unknown', reason: `Graph answered HTTP ${answer.status}${what}` };
    }
    if (error !== null) return { kind: 'rejected', httpStatus: answer.status, error };
    if (answer.status >= 200 && answer.status < 300) return { kind: 'ok' };
    return { kind: 'rejected', httpStatus: answer.status, error: httpError(answer.status, answer.text) };
  }

  function messagesUrl(phoneNumberId: string): string {
    return `${versionRoot}/${encodeURIComponent(phoneNumberId)}/messages`;
  }

  function readUrl(pathOrUrl: string, query: Record<string, string>): URL | null {
    let url: URL;
    if (/^https?:\/\//i.test(pathOrUrl)) {
      url = new URL(pathOrUrl);
      if (!url.href.startsWith(`${base}/`)) return null;
    } else {
      url = new URL(`${versionRoot}/${pathOrUrl.replace(/^\/+/, '')}`);
    }
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url;
  }

  return {
    async sendMessage(phoneNumberId, body, callOptions = {}) {
      const answer = await call('POST', messagesUrl(phoneNumberId), body, callOptions.signal);
      if (answer.kind !== 'answered') return answer;
      const outcome = callOutcome(answer);
      if (outcome.kind !== 'ok') return outcome;
      const accepted = sendAcceptedSchema.safeParse(answer.json);
      return accepted.success
        ? { kind: 'accepted', waMessageId: accepted.data.messages[0]!.id }
        : { kind: 'unknown', reason: `Graph answered HTTP ${answer.status} without a message id` };
    },

    async markRead(phoneNumberId, waMessageId) {
      const body = { messaging_product: 'whatsapp', status: 'read', message_id: waMessageId };
      return callOutcome(await call('POST', messagesUrl(phoneNumberId), body, undefined));
    },

    async getJson(pathOrUrl, query = {}) {
      const url = readUrl(pathOrUrl, query);
      if (url === null) {
        return {
          kind: 'failed',
          httpStatus: null,
          error: null,
          reason: `refused to send the access token outside ${base}: ${pathOrUrl}`,
        };
      }
      const answer = await call('GET', url.href, undefined, undefined);
      if (answer.kind !== 'answered')
        return { kind: 'failed', httpStatus: null, error: null, reason: answer.reason };
      const error = parseGraphError(answer.json);
      if (error === null && answer.status >= 200 && answer.status < 300)
        return { kind: 'ok', json: answer.json };
      return {
        kind: 'failed',
        httpStatus: answer.status,
        error: error ?? httpError(answer.status, answer.text),
        reason: `Graph answered HTTP ${answer.status}${error === null ? '' : `: ${error.code} ${error.title}`}`,
      };
    },
  };
}
