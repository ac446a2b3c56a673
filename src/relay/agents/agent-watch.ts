// Notices agent changes another process (the `agent` CLI) commits while the relay runs. SQLite's
// `PRAGMA data_version` changes only when another connection commits to the file, so polling it
// costs one tiny query per interval and nothing when nobody else writes.
import type Database from 'better-sqlite3';

/** How often the relay looks for changes written by another process. */
export const AGENT_WATCH_INTERVAL_MS = 1_000;

/** Calls `onChange` after another connection committed to `db`; returns the stop function. */
export function watchExternalCommits(
  db: Database.Database,
  onChange: () => void,
  intervalMs: number = AGENT_WATCH_INTERVAL_MS,
): () => void {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let seen = dataVersion.get();
  const timer = setInterval(() => {
    const current = dataVersion.get();
    if (current === seen) return;
    seen = current;
    onChange();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
