// GET /webhook (Meta's subscription handshake) and POST /webhook (deliveries). The POST order is
// fixed: size, then signature over the raw bytes, then parsing. A verified body joins the commit queue
// (group commit) and is answered 200 only once committed; a correctly signed body the relay cannot
// read is still kept (raw) and answered 200: Meta retries anything else for days.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { RelayStore } from '../store/relay-store.ts';
import { createWebhookCommitQueue, type WebhookCommitQueue } from '../webhook/commit-queue.ts';
import { SIGNATURE_HEADER, checkWebhookSignature } from '../webhook/signature.ts';
import { readBoundedBody } from './read-body.ts';
import { sendError, sendText } from './respond.ts';

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

// One committer per store: SQLite has one writer, and every body of a batch shares its transaction.
const commitQueues = new WeakMap<RelayStore, WebhookCommitQueue>();

function commitQueueFor(deps: WebhookDeps): WebhookCommitQueue {
  let queue = commitQueues.get(deps.store);
  if (queue === undefined) {
    queue = createWebhookCommitQueue({ store: deps.store, clock: deps.clock, logger: deps.logger });
    commitQueues.set(deps.store, queue);
  }
  return queue;
}

// Every accepted delivery gets the same answer: serialized once.
const RECEIVED = JSON.stringify({ received: true });

function received(response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': RECEIVED.length,
    'cache-control': 'no-store',
  });
  response.end(RECEIVED);
}

export async function handleWebhookDelivery(
  request: IncomingMessage,
  response: ServerResponse,
  deps: WebhookDeps,
): Promise<void> {
  const { logger, maxWebhookBytes } = deps;
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

  // Rejects only when the store could not take the body: the server answers 500 and Meta redelivers.
  const receipt = await commitQueueFor(deps).submit(raw);
  if (receipt.kind === 'kept_raw') {
    logger.warn({ bytes: raw.length, reason: receipt.reason }, 'signed webhook kept raw');
  } else {
    logger.debug({ ...receipt.outcome }, 'webhook ingested');
    if (receipt.outcome.keptRaw) logger.warn('webhook had parts the relay does not apply; kept raw');
  }
  received(response);
}
