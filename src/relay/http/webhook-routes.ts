// GET /webhook (Meta's subscription handshake) and POST /webhook (deliveries). The POST order is
// fixed: size, then signature over the raw bytes, then parsing. A correctly signed body the relay
// cannot read is still kept (raw) and answered 200: Meta retries anything else for days.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { RelayStore } from '../store/relay-store.ts';
import { ingestWebhook } from '../webhook/ingest.ts';
import { normalizeWebhook } from '../webhook/normalize.ts';
import { SIGNATURE_HEADER, checkWebhookSignature } from '../webhook/signature.ts';
import { readBoundedBody } from './read-body.ts';
import { sendError, sendJson, sendText } from './respond.ts';

export interface WebhookDeps {
  store: RelayStore;
  clock: Clock;
  logger: Logger;
  appSecret: string;
  verifyToken: string;
  maxWebhookBytes: number;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Meta's handshake: echo hub.challenge as plain text when the verify token matches. */
export function handleWebhookVerification(url: URL, response: ServerResponse, deps: WebhookDeps): void {
  const mode = url.searchParams.get('hub.mode');
  const token = url.searchParams.get('hub.verify_token') ?? '';
  const challenge = url.searchParams.get('hub.challenge');
  if (mode === 'subscribe' && challenge !== null && sameSecret(token, deps.verifyToken)) {
    deps.logger.info('webhook subscription verified');
    sendText(response, 200, challenge);
    return;
  }
  deps.logger.warn({ mode }, 'webhook verification refused');
  sendError(
    response,
    403,
    'VERIFICATION_FAILED',
    'hub.mode must be "subscribe" and hub.verify_token must match',
  );
}

function tooLarge(response: ServerResponse, max: number): void {
  sendError(response, 413, 'PAYLOAD_TOO_LARGE', `Webhook bodies are limited to ${max} bytes`, {
    connection: 'close',
  });
}

export async function handleWebhookDelivery(
  request: IncomingMessage,
  response: ServerResponse,
  deps: WebhookDeps,
): Promise<void> {
  const { store, clock, logger, maxWebhookBytes } = deps;
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxWebhookBytes) return tooLarge(response, maxWebhookBytes);
  const read = await readBoundedBody(request, maxWebhookBytes);
  if (!read.ok) {
    if (read.reason === 'too_large') tooLarge(response, maxWebhookBytes);
    return;
  }
  const raw = read.body;

  const signature = checkWebhookSignature(
    raw,
    request.headers[SIGNATURE_HEADER] as string | undefined,
    deps.appSecret,
  );
  if (signature !== 'valid') {
    logger.warn({ signature, bytes: raw.length }, 'webhook refused: bad signature');
    sendError(response, 401, 'BAD_SIGNATURE', `X-Hub-Signature-256 is ${signature}`);
    return;
  }

  const now = clock.now();
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    store.saveUnrecognizedWebhook(raw, 'body is not JSON', now);
    logger.warn({ bytes: raw.length }, 'signed webhook is not JSON; kept raw');
    sendJson(response, 200, { received: true });
    return;
  }
  const normalized = normalizeWebhook(json);
  if (!normalized.ok) {
    store.saveUnrecognizedWebhook(raw, normalized.reason, now);
    logger.warn({ bytes: raw.length }, 'signed webhook of an unknown shape; kept raw');
    sendJson(response, 200, { received: true });
    return;
  }
  const outcome = ingestWebhook(store, normalized.webhook, raw, now);
  logger.debug({ ...outcome }, 'webhook ingested');
  if (outcome.keptRaw)
    logger.warn(
      { unhandled: normalized.webhook.unhandled.length },
      'webhook had parts the relay does not apply; kept raw',
    );
  sendJson(response, 200, { received: true });
}
