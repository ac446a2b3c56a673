// The physical reference for sync speed: the rows the sync produced, inserted again with prepared
// INSERTs into a fresh cache of the same schema (the console's own migrations, so every index and
// trigger, FTS included once it exists, does its work) in one transaction.
import Database from 'better-sqlite3';
import { openCacheDatabase } from '../../src/main/cache/open-cache.ts';

const TABLES = ['conversations', 'messages'] as const;
type Row = Record<string, unknown>;

export interface RawInsertResult {
  durationMs: number;
  rows: { conversations: number; messages: number };
}

/** Reads the synced rows (untimed), then times their insertion into a new cache at `targetPath`. */
export function rawInsert(sourcePath: string, targetPath: string): RawInsertResult {
  const source = new Database(sourcePath, { readonly: true });
  let data: Record<(typeof TABLES)[number], Row[]>;
  try {
    const all = (table: string): Row[] =>
      source.prepare<[], Row>(`SELECT * FROM ${table} ORDER BY rowid`).all();
    data = { conversations: all('conversations'), messages: all('messages') };
  } finally {
    source.close();
  }

  const target = openCacheDatabase(targetPath);
  try {
    const started = performance.now();
    target.transaction(() => {
      for (const table of TABLES) {
        const first = data[table][0];
        if (!first) continue;
        const columns = Object.keys(first);
        const insert = target.prepare<[Row]>(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
        );
        for (const row of data[table]) insert.run(row);
      }
    })();
    return {
      durationMs: performance.now() - started,
      rows: { conversations: data.conversations.length, messages: data.messages.length },
    };
  } finally {
    target.close();
  }
}
