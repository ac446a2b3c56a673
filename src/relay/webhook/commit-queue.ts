// Group commit for verified webhooks. "Durable" means committed with synchronous=FULL before the 200,
// and one transaction (one fsync) per webhook would cap ingest at the disk's fsync rate. So a verified
// body joins a queue, and one committer applies every body waiting (up to `maxBatch`) in ONE
// transaction, then answers them all: nothing is answered before its commit.
//
// Bodies are parsed and normalized when they join (pure work, outside the transaction). If applying a
// batch throws, its bodies are committed one by one, so one bad body never fails the others; a body
// that cannot be applied even alone is kept raw (Meta would otherwise retry it for days).
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { RelayStore } from '../store/relay-store.ts';
import { ingestWebhook, type IngestOutcome } from './ingest.ts';
import { normalizeWebhook, type NormalizedWebhook } from './normalize.ts';

/** What became of a committed body. */
export type WebhookReceipt =
  | { kind: 'ingested'; outcome: IngestOutcome }
  /** Stored raw in unrecognized_webhooks: not JSON, not a known shape, or it could not be applied. */
  | { kind: 'kept_raw'; reason: string };

export interface WebhookCommitQueue {
  /**
   * Queues a body whose size and signature were already checked. Resolves once it is committed;
   * rejects only when the store could not take it at all (the caller must not answer 200 then).
   */
  submit(raw: Buffer): Promise<WebhookReceipt>;
  /** Bodies waiting for their commit. */
  readonly waiting: number;
}

export interface CommitQueueDeps {
  store: RelayStore;
  clock: Clock;
  logger: Logger;
  /** Most bodies per transaction: bounds how long one commit holds the event loop. */
  maxBatch?: number;
}

export const DEFAULT_MAX_BATCH = 256;

type Plan = { kind: 'webhook'; webhook: NormalizedWebhook } | { kind: 'unrecognized'; reason: string };

interface Waiting {
  raw: Buffer;
  receivedAt: number;
  plan: Plan;
  resolve(receipt: WebhookReceipt): void;
  reject(error: unknown): void;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Reads a verified body into what the store will apply; never throws. */
function planFor(raw: Buffer): Plan {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return { kind: 'unrecognized', reason: 'body is not JSON' };
  }
  try {
    const normalized = normalizeWebhook(json);
    return normalized.ok
      ? { kind: 'webhook', webhook: normalized.webhook }
      : { kind: 'unrecognized', reason: normalized.reason };
  } catch (error) {
    // A body that trips the normalizer is still kept (raw), never bounced back to Meta for days.
    return { kind: 'unrecognized', reason: `could not be read: ${errorText(error)}` };
  }
}

// SQLite failures that say nothing about the body (disk full, I/O error, database locked by another
// process...): retrying the batch body by body would only fail again, so the whole batch gets a 500.
const STORE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CORRUPT|NOTADB|NOMEM|CANTOPEN|PERM)/;
const storeUnavailable = (error: unknown): boolean =>
  error instanceof Database.SqliteError && STORE_UNAVAILABLE.test(error.code);

export function createWebhookCommitQueue(deps: CommitQueueDeps): WebhookCommitQueue {
  const { store, clock, logger } = deps;
  const maxBatch = deps.maxBatch ?? DEFAULT_MAX_BATCH;
  let queue: Waiting[] = [];
  let scheduled = false;

  const apply = (item: Waiting): WebhookReceipt => {
    if (item.plan.kind === 'unrecognized') {
      store.saveUnrecognizedWebhook(item.raw, item.plan.reason, item.receivedAt);
      return { kind: 'kept_raw', reason: item.plan.reason };
    }
    return { kind: 'ingested', outcome: ingestWebhook(store, item.plan.webhook, item.raw, item.receivedAt) };
  };

  /** One body in its own transaction; if it cannot be applied, it is kept raw. */
  const commitAlone = (item: Waiting): void => {
    try {
      item.resolve(store.transaction(() => apply(item)));
      return;
    } catch (error) {
      if (storeUnavailable(error) || item.plan.kind === 'unrecognized') {
        item.reject(error);
        return;
      }
      logger.error(
        { err: error, bytes: item.raw.length },
        'a signed webhook could not be applied; keeping it raw',
      );
      const reason = `could not be applied: ${errorText(error)}`;
      try {
        store.transaction(() => store.saveUnrecognizedWebhook(item.raw, reason, item.receivedAt));
        item.resolve({ kind: 'kept_raw', reason });
      } catch (keepError) {
        item.reject(keepError);
      }
    }
  };

  const commitBatch = (batch: Waiting[]): void => {
    let receipts: WebhookReceipt[];
    try {
      receipts = store.transaction(() => batch.map(apply));
    } catch (error) {
      if (storeUnavailable(error)) {
        for (const item of batch) item.reject(error);
        return;
      }
      if (batch.length > 1)
        logger.warn({ err: error, size: batch.length }, 'a webhook batch failed; committing it body by body');
      for (const item of batch) commitAlone(item);
      return;
    }
    batch.forEach((item, i) => item.resolve(receipts[i]!));
  };

  const flush = (): void => {
    scheduled = false;
    const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
    queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
    commitBatch(batch);
    if (queue.length > 0) schedule();
  };

  // setImmediate runs after the I/O callbacks already due: every body that arrived meanwhile joins.
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  return {
    submit(raw) {
      const receivedAt = clock.now();
      const plan = planFor(raw);
      return new Promise<WebhookReceipt>((resolve, reject) => {
        queue.push({ raw, receivedAt, plan, resolve, reject });
        schedule();
      });
    },
    get waiting() {
      return queue.length;
    },
  };
}
