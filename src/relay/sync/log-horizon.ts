// The event log's horizon: events older than `eventHorizonDays` on the relay's clock are pruned, at
// startup and periodically, always as a prefix of the log and never the newest event (the next seq
// is the newest + 1). The highest pruned seq is kept: a console whose cursor is below it cannot be
// brought up to date by replay and rebuilds from a snapshot instead.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { SqliteRelayStore } from '../store/sqlite-relay-store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How often the relay prunes. */
export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;
/** Events deleted per transaction: a long prune never holds the writer for long. */
export const PRUNE_BATCH = 5_000;

export interface LogHorizon {
  /** Every event with seq <= this has been pruned (0: none). */
  prunedThroughSeq(): number;
  /** Prunes at most `limit` events older than the horizon, in one transaction; returns how many. */
  pruneBatch(limit?: number): number;
  /** Prunes every event older than the horizon, batch after batch; returns how many. */
  pruneAll(): number;
  /** Prunes every `intervalMs` (yielding between batches) until stop(). */
  start(intervalMs?: number): void;
  /** Stops pruning; resolves once a prune in progress has finished its batch. */
  stop(): Promise<void>;
}

export interface LogHorizonDeps {
  store: SqliteRelayStore;
  clock: Clock;
  logger: Logger;
  horizonDays: number;
}

export function createLogHorizon(deps: LogHorizonDeps): LogHorizon {
  const { store, clock, logger } = deps;
  const db = store.database;
  const sql = {
    prunedThrough: db.prepare<[], number>('SELECT pruned_through_seq FROM log_horizon WHERE id = 1').pluck(),
    oldest: db.prepare<[number], { seq: number; at: number }>(
      'SELECT seq, at FROM events ORDER BY seq LIMIT ?',
    ),
    delete: db.prepare<[number]>('DELETE FROM events WHERE seq <= ?'),
    remember: db.prepare<[number, number]>(
      'UPDATE log_horizon SET pruned_through_seq = ?, pruned_at = ? WHERE id = 1',
    ),
  };
  // Only this relay prunes, so the value read at startup stays right while it runs.
  let prunedThrough = sql.prunedThrough.get() ?? 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;

  const pruneBatch = (limit: number = PRUNE_BATCH): number =>
    store.transaction(() => {
      const now = clock.now();
      const cutoff = now - deps.horizonDays * DAY_MS;
      const headSeq = store.headSeq();
      let through = prunedThrough;
      for (const event of sql.oldest.all(limit)) {
        // A prefix only: the first recent event ends it, even if older ones follow (clock steps back).
        if (event.at >= cutoff || event.seq >= headSeq) break;
        through = event.seq;
      }
      if (through === prunedThrough) return 0;
      const pruned = sql.delete.run(through).changes;
      sql.remember.run(through, now);
      prunedThrough = through;
      return pruned;
    });

  const pruneAll = (): number => {
    let total = 0;
    for (let pruned = pruneBatch(); pruned > 0; pruned = pruneBatch()) total += pruned;
    if (total > 0) logger.info({ pruned: total, prunedThrough }, 'pruned events beyond the log horizon');
    return total;
  };

  const pruneInBackground = async (): Promise<void> => {
    let total = 0;
    while (!stopped) {
      const pruned = pruneBatch();
      if (pruned === 0) break;
      total += pruned;
      // Webhooks and consoles get their turn between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (total > 0) logger.info({ pruned: total, prunedThrough }, 'pruned events beyond the log horizon');
  };

  return {
    prunedThroughSeq: () => prunedThrough,
    pruneBatch,
    pruneAll,
    start(intervalMs = PRUNE_INTERVAL_MS) {
      timer = setInterval(() => {
        running ??= pruneInBackground()
          .catch((error: unknown) => logger.error({ err: error }, 'pruning the event log failed'))
          .finally(() => (running = null));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
