// The outbound dispatcher: sends what commands queued, each message at most once.
//
// - Durable: a command's enqueue commits with its message; the row leaves the queue in the
//   transaction that settles the message. It is marked `sending` (committed) right before its Graph
//   call, so after a crash `sending` rows become `unknown` (never resent) and `queued` ones are sent.
// - Ordered per recipient: a message waits until Meta answered the previous one to the same customer.
//   Different recipients are sent concurrently, up to `concurrency` calls at a time.
// - Paced: a token bucket per business number; 130429 pauses the number, 131056 the recipient
//   (4^n s, shown on the message as `waitingUntil`); a request that never left is tried again.
// - Uploads first: a request naming relay-held uploads gets Meta media ids (MediaUploader), which
//   are written into its queued body before it may be sent.
//
// Waiting is measured on the relay's clock, which tests and the demo move by hand, so due work is
// also looked for on a short real-time poll.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import { CodedError } from '../../shared/result.ts';
import type { GraphClient } from '../graph/graph-client.ts';
import type { SqliteRelayStore } from '../store/sqlite-relay-store.ts';
import type { MediaUploader } from '../uploads/media-uploader.ts';
import { notSentDelayMs, pairLimitDelayMs } from './backoff.ts';
import { markWaiting, settleAccepted, settleFailed, settleUnknown } from './message-settlement.ts';
import { NumberPacing } from './number-pacing.ts';
import {
  DISPATCHER_FIELDS,
  graphBodySchema,
  placeMediaId,
  type OutboundRequest,
} from './outbound-request.ts';
import { createOutboundTable, type OutboundRow } from './outbound-table.ts';
import { decideAfterSend, type RetryScope, type SendDecision } from './send-decision.ts';

export type { OutboundRequest } from './outbound-request.ts';

export interface OutboundDispatcher {
  /**
   * Queues a send. Call it inside the transaction that saves its message (status `queued`): both
   * commit or neither. Nothing is sent before that transaction has committed.
   */
  enqueue(request: OutboundRequest): void;
  /** Settles the sends a stop cut (unknown), then starts sending what is queued. */
  start(): void;
  /** Stops taking sends from the queue and lets the calls in flight finish (cut after a grace: unknown). */
  stop(): Promise<void>;
}

export interface OutboundDispatcherDeps {
  store: SqliteRelayStore;
  graph: GraphClient;
  /** Hands relay-held uploads to Meta before a request naming them is sent (null: none can be). */
  uploader: MediaUploader | null;
  clock: Clock;
  logger: Logger;
  /** Per business number (Meta's default throughput is 80). */
  numberMessagesPerSecond: number;
  /** Graph calls (sends and uploads) at a time. */
  concurrency?: number;
  /** How often (real ms) due work is looked for, since the relay's clock may jump. */
  pollIntervalMs?: number;
  /** How long stop() lets calls in flight finish before cutting them (their outcome is then unknown). */
  stopGraceMs?: number;
}

const DEFAULTS = { concurrency: 16, pollIntervalMs: 200, stopGraceMs: 10_000 };

/** Without an uploader, a request naming uploads fails instead of waiting forever. */
const noUploader: MediaUploader = {
  upload: () =>
    Promise.resolve({
      ok: false,
      retryable: false,
      error: { code: 0, title: 'This relay cannot upload media to WhatsApp' },
    }),
};

type Work = { kind: 'send' | 'upload'; done: Promise<void> };

export function createOutboundDispatcher(deps: OutboundDispatcherDeps): OutboundDispatcher {
  const { store, graph, clock } = deps;
  const logger = deps.logger.child({ component: 'outbound' });
  const concurrency = deps.concurrency ?? DEFAULTS.concurrency;
  const pollIntervalMs = deps.pollIntervalMs ?? DEFAULTS.pollIntervalMs;
  const table = createOutboundTable(store.database);
  const uploader = deps.uploader ?? noUploader;
  const pacing = new NumberPacing(deps.numberMessagesPerSecond);
  const inFlight = new Map<string, Work>();
  const cut = new AbortController();
  let started = false;
  let stopRequested = false;
  let stopping: Promise<void> | null = null;
  let pumpQueued = false;
  let poll: NodeJS.Timeout | null = null;
  let wake: NodeJS.Timeout | null = null;

  function safely(step: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      logger.error({ err: error }, `outbound ${step} failed`);
    }
  }

  /** Pumps once the current synchronous work (e.g. the enqueuing transaction) is over. */
  function schedulePump(): void {
    if (!started || stopRequested || pumpQueued) return;
    pumpQueued = true;
    setImmediate(() => {
      pumpQueued = false;
      safely('pump', pump);
    });
  }

  /** A precise wake-up for waits shorter than the poll (a token due in 12 ms at 80/s). */
  function scheduleWake(now: number): void {
    const soonest = [pacing.nextReadyAt(now), table.nextDueAfter(now)]
      .filter((at): at is number => at !== null && at > now)
      .reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    const delay = soonest - now;
    if (wake !== null || !(delay < pollIntervalMs)) return;
    wake = setTimeout(() => {
      wake = null;
      schedulePump();
    }, delay);
    wake.unref();
  }

  function pump(): void {
    if (stopRequested) return;
    const now = clock.now();
    const free = concurrency - inFlight.size;
    if (free > 0) {
      const heads = table.dueHeads(now, free, {
        phoneNumberIds: pacing.blockedNumbers(now),
        messageIds: [...inFlight.keys()],
      });
      for (const row of heads) {
        if (row.uploads.length > 0) track(row, 'upload', prepareUploads(row));
        // A number can run out of tokens within one round: its other heads wait for the next.
        else if (pacing.tryTake(row.phoneNumberId, now)) track(row, 'send', send(row));
      }
    }
    scheduleWake(now);
  }

  function track(row: OutboundRow, kind: Work['kind'], work: Promise<void>): void {
    const done = work
      .catch((error: unknown) => {
        logger.error({ err: error, messageId: row.messageId }, `outbound ${kind} could not be recorded`);
      })
      .finally(() => {
        inFlight.delete(row.messageId);
        schedulePump();
      });
    inFlight.set(row.messageId, { kind, done });
  }

  async function send(row: OutboundRow): Promise<void> {
    // Committed before the call: from here on a crash means "may have gone out", never a resend.
    store.transaction(() => table.markSending(row.messageId));
    const body = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: row.recipient,
      ...row.body,
      // The tracker Meta echoes in every status: it settles a message whose answer was lost.
      biz_opaque_callback_data: row.messageId,
    };
    const outcome = await graph.sendMessage(row.phoneNumberId, body, { signal: cut.signal });
    record(row, decideAfterSend(outcome));
  }

  function record(row: OutboundRow, decision: SendDecision): void {
    const now = clock.now();
    const { messageId, phoneNumberId } = row;
    const context = { messageId, phoneNumberId, attempt: row.attempts + 1 };
    if (decision.kind === 'retry') {
      const retryAt = retryTime(row, decision.scope, now);
      store.transaction(() => {
        table.reschedule(messageId, {
          notBefore: retryAt,
          pairLimitHits: decision.scope === 'recipient' ? row.pairLimitHits + 1 : row.pairLimitHits,
          attempts: row.attempts + 1,
          lastError: decision.reason,
        });
        markWaiting(store, messageId, retryAt, now);
      });
      logger.warn(
        { ...context, scope: decision.scope, retryAt },
        `send not taken (${decision.reason}); will retry`,
      );
      return;
    }
    store.transaction(() => {
      table.remove(messageId);
      if (decision.kind === 'accepted') settleAccepted(store, messageId, decision.waMessageId, now);
      else if (decision.kind === 'failed') settleFailed(store, messageId, decision.error, now);
      else settleUnknown(store, messageId, now);
    });
    if (decision.kind === 'accepted') {
      pacing.accepted(phoneNumberId);
      logger.info(context, 'send accepted');
    } else if (decision.kind === 'failed') {
      logger.warn({ ...context, code: decision.error.code }, `send refused: ${decision.error.title}`);
    } else {
      logger.warn({ ...context, reason: decision.reason }, 'send outcome unknown; it will not be retried');
    }
  }

  function retryTime(row: OutboundRow, scope: RetryScope, now: number): number {
    switch (scope) {
      case 'recipient':
        return now + pairLimitDelayMs(row.pairLimitHits + 1);
      case 'number':
        return pacing.throttled(row.phoneNumberId, now);
      case 'request':
        return now + notSentDelayMs(row.attempts + 1);
    }
  }

  async function prepareUploads(row: OutboundRow): Promise<void> {
    let body = row.body;
    for (const { uploadId, path } of row.uploads) {
      const result = await uploader.upload(row.phoneNumberId, uploadId);
      if (!result.ok) {
        if (result.retryable) {
          const now = clock.now();
          const retryAt = now + notSentDelayMs(row.attempts + 1);
          store.transaction(() => {
            table.reschedule(row.messageId, {
              notBefore: retryAt,
              pairLimitHits: row.pairLimitHits,
              attempts: row.attempts + 1,
              lastError: `upload: ${result.error.code} ${result.error.title}`,
            });
            markWaiting(store, row.messageId, retryAt, now);
          });
          logger.warn({ messageId: row.messageId, uploadId, retryAt }, 'media upload failed; will retry');
        } else {
          store.transaction(() => {
            table.remove(row.messageId);
            settleFailed(store, row.messageId, result.error, clock.now());
          });
          logger.warn({ messageId: row.messageId, uploadId }, `media upload refused: ${result.error.title}`);
        }
        return;
      }
      body = placeMediaId(body, path, result.mediaId);
    }
    // The media ids are kept with the request: a restart sends it without uploading again.
    store.transaction(() => table.resolveUploads(row.messageId, body));
  }

  /** Sends a stop cut mid-call may have reached Meta: unknown, settled later by a status webhook. */
  function settleInterrupted(): number {
    const interrupted = table.listSending();
    for (const row of interrupted) {
      store.transaction(() => {
        table.remove(row.messageId);
        settleUnknown(store, row.messageId, clock.now());
      });
    }
    return interrupted.length;
  }

  async function shutDown(): Promise<void> {
    stopRequested = true;
    if (poll !== null) clearInterval(poll);
    if (wake !== null) clearTimeout(wake);
    const all = () => Promise.all([...inFlight.values()].map((work) => work.done));
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      all(),
      new Promise<void>((resolve) => {
        grace = setTimeout(resolve, deps.stopGraceMs ?? DEFAULTS.stopGraceMs);
      }),
    ]);
    clearTimeout(grace);
    if (inFlight.size === 0) return;
    // Cut sends settle as unknown at once; an upload still running is simply done again after a restart.
    cut.abort();
    await Promise.all([...inFlight.values()].filter((work) => work.kind === 'send').map((work) => work.done));
  }

  return {
    enqueue(request) {
      const body = graphBodySchema.parse(request.body);
      const taken = DISPATCHER_FIELDS.filter((field) => field in body);
      if (taken.length > 0) {
        throw new CodedError(
          'OUTBOUND_BODY_INVALID',
          `An outbound body may not set ${taken.join(', ')}: the dispatcher does.`,
        );
      }
      table.insert(
        {
          messageId: request.messageId,
          phoneNumberId: request.phoneNumberId,
          recipient: request.to,
          body,
          uploads: request.uploads ?? [],
        },
        clock.now(),
      );
      schedulePump();
    },

    start() {
      if (started) return;
      const interrupted = settleInterrupted();
      if (interrupted > 0)
        logger.warn({ interrupted }, 'sends cut by the last stop are marked unknown (never resent)');
      const queued = table.count();
      if (queued > 0) logger.info({ queued }, 'sending what was queued before the last stop');
      started = true;
      poll = setInterval(() => safely('pump', pump), pollIntervalMs);
      poll.unref();
      schedulePump();
    },

    stop() {
      stopping ??= shutDown();
      return stopping;
    },
  };
}
