// Every mirrored row of a console cache, found from the schema itself, to prove that two consoles
// with the same visibility hold the same data. Tables are compared unless listed below as a console's
// own, so a table added later (notes, quick replies) is compared without anyone remembering to.
import Database from 'better-sqlite3';

/**
 * Tables a console keeps for itself, never compared, and why:
 * - outbox: this console's queued replies. After convergence it must be empty on both, which the
 *   tests assert separately; its rows (created_at, attempts) are per console by nature.
 * - sync_state: cursor, epoch, signed-in agent and clock offset of this console; the cursor is
 *   checked against the relay's head separately, the clock offset differs per machine.
 * - rebuild_unread, rebuild_seen: scratch space of a rebuild in progress (empty once settled).
 */
const LOCAL_TABLES = new Set(['outbox', 'sync_state', 'rebuild_unread', 'rebuild_seen']);
/**
 * Derived tables: the message_search FTS index and its shadow tables are computed from messages,
 * keyed by SQLite rowids that follow each console's insertion order; comparing messages covers them.
 */
const DERIVED_TABLE_PREFIXES = ['message_search'];
/**
 * Columns a console keeps for itself inside mirrored tables: unread counts depend on what this
 * console has shown its agent (and are carried across rebuilds), not on the relay.
 */
const LOCAL_COLUMNS: Record<string, readonly string[]> = { conversations: ['unread_count'] };

export type MirrorRows = Record<string, Record<string, unknown>[]>;

function mirroredTables(db: Database.Database): string[] {
  const names = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
    .map((row) => row.name);
  return names.filter(
    (name) => !LOCAL_TABLES.has(name) && !DERIVED_TABLE_PREFIXES.some((prefix) => name.startsWith(prefix)),
  );
}

/** Ordered by primary key (or by every column for a table without one), so row order is stable. */
function orderBy(db: Database.Database, table: string): string {
  const columns = db
    .prepare<[], { name: string; pk: number }>(`SELECT name, pk FROM pragma_table_info('${table}')`)
    .all();
  const keys = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  return (keys.length > 0 ? keys : columns).map((c) => `"${c.name}"`).join(', ');
}

/** The mirror of a cache file (read-only; the console may be open or closed). */
export function readMirrorRows(cachePath: string): MirrorRows {
  const db = new Database(cachePath, { readonly: true });
  try {
    const rows: MirrorRows = {};
    for (const table of mirroredTables(db)) {
      const local = LOCAL_COLUMNS[table] ?? [];
      rows[table] = db
        .prepare<[], Record<string, unknown>>(`SELECT * FROM "${table}" ORDER BY ${orderBy(db, table)}`)
        .all()
        .map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !local.includes(column))));
    }
    return rows;
  } finally {
    db.close();
  }
}

/** Rows of the console's own tables that must be empty once everything is confirmed. */
export function pendingLocalRows(cachePath: string): { outbox: number; rebuild: number } {
  const db = new Database(cachePath, { readonly: true });
  try {
    const count = (table: string) =>
      db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0;
    return { outbox: count('outbox'), rebuild: count('rebuild_unread') + count('rebuild_seen') };
  } finally {
    db.close();
  }
}

/**
 * The first difference between two mirrors, in words (null when identical): a readable failure
 * instead of a diff of thousands of rows.
 */
export function firstDifference(left: MirrorRows, right: MirrorRows): string | null {
  const tables = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  for (const table of tables) {
    const a = left[table];
    const b = right[table];
    if (!a || !b) return `table ${table} exists in only one cache`;
    if (a.length !== b.length) return `table ${table}: ${a.length} rows against ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const x = JSON.stringify(a[i]);
      const y = JSON.stringify(b[i]);
      if (x !== y) return `table ${table}, row ${i}:\n  ${x}\n  ${y}`;
    }
  }
  return null;
}
