// Whether the relay should be sent traffic (GET /readyz): not shutting down, and its database takes
// writes. A load balancer that sees 503 stops routing to this relay while it finishes what it has.
import type Database from 'better-sqlite3';
import type { ErrorInfo } from '../../shared/result.ts';

/** How long the probe waits for another writer (the agent CLI) before calling the database busy. */
const PROBE_BUSY_TIMEOUT_MS = 200;

export interface Readiness {
  /** Called first thing by a graceful shutdown: from then on the relay answers not ready. */
  beginShutdown(): void;
  readonly shuttingDown: boolean;
  /** null when ready, else why not. */
  check(): ErrorInfo | null;
}

export function createReadiness(db: Database.Database): Readiness {
  let shuttingDown = false;

  /**
   * Takes the write lock and lets it go (BEGIN IMMEDIATE; ROLLBACK): proves the file is open for
   * writing and no one holds it, without writing anything. The wait is kept short because
   * better-sqlite3 waits on the event loop's thread.
   */
  const probeWrite = (): string | null => {
    if (!db.open) return 'the database is closed';
    if (db.readonly) return 'the database is open read-only';
    if (db.inTransaction) return null;
    const busyTimeout = Number(db.pragma('busy_timeout', { simple: true }));
    try {
      db.pragma(`busy_timeout = ${PROBE_BUSY_TIMEOUT_MS}`);
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      db.pragma(`busy_timeout = ${busyTimeout}`);
    }
  };

  return {
    beginShutdown() {
      shuttingDown = true;
    },
    get shuttingDown() {
      return shuttingDown;
    },
    check() {
      if (shuttingDown)
        return {
          code: 'SHUTTING_DOWN',
          message: 'The relay is shutting down: it finishes what it has and takes nothing new.',
        };
      const problem = probeWrite();
      return problem === null
        ? null
        : { code: 'DATABASE_UNAVAILABLE', message: `The relay cannot write to its database: ${problem}` };
    },
  };
}
