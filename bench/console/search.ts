// Search p95: searchMessages over a cache of 1,000,000 messages (the synced rows copied ten times,
// FTS triggers firing as for any insert), for a fixed, seeded mix of rare, common and prefix queries,
// each asking for the newest 50 hits with snippets. Called through `dispatch`, as the renderer does.
import Database from 'better-sqlite3';
import { dispatch } from '../../src/main/api/dispatch.ts';
import { openCacheDatabase } from '../../src/main/cache/open-cache.ts';
import { openConsoleCore } from '../../src/main/core/console-core.ts';
import { seededRandom } from './seeded-text.ts';

const COPIES = 10;
const QUERIES = 300;
/** One message in this many carries the rare word. */
const RARE_EVERY = 25_000;
const MIX = {
  rare: ['reembolso', 'REEMBOLSÓ', 'reembolso pedido'],
  common: ['pedido', 'gracias', 'envio', 'cancion', 'hola buenos dias', 'María'],
  prefix: ['fact', 'devol', 'dirección cam', 'habit', 'garan'],
} as const;

export interface SearchResult {
  p95Ms: number;
  p50Ms: number;
  queries: number;
  messages: number;
  buildMs: number;
}

type Row = Record<string, unknown>;

export async function searchP95(
  sourcePath: string,
  targetPath: string,
  relayUrl: string,
): Promise<SearchResult> {
  const buildStarted = performance.now();
  const messages = buildSearchCache(sourcePath, targetPath);
  const buildMs = performance.now() - buildStarted;

  const core = await openConsoleCore({
    cachePath: targetPath,
    relayUrl,
    token: 'bench-token-unused',
    clientId: 'bench-search',
    demo: false,
  });
  try {
    const random = seededRandom(42);
    const kinds = Object.keys(MIX) as (keyof typeof MIX)[];
    const times: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const list = MIX[kinds[Math.floor(random() * kinds.length)] ?? 'common'];
      const query = list[Math.floor(random() * list.length)] ?? 'pedido';
      const started = performance.now();
      const result = await dispatch(core, 'searchMessages', { query, limit: 50 });
      times.push(performance.now() - started);
      if (!result.ok) throw new Error(`searchMessages failed: ${result.error.code}: ${result.error.message}`);
    }
    times.sort((a, b) => a - b);
    const at = (p: number): number => Math.round((times[Math.ceil(p * times.length) - 1] ?? 0) * 100) / 100;
    return { p95Ms: at(0.95), p50Ms: at(0.5), queries: QUERIES, messages, buildMs: Math.round(buildMs) };
  } finally {
    await core.close();
  }
}

/** The synced conversations once, their messages COPIES times with new ids and older timestamps. */
function buildSearchCache(sourcePath: string, targetPath: string): number {
  const source = new Database(sourcePath, { readonly: true });
  let conversations: Row[];
  let messages: Row[];
  try {
    conversations = source.prepare<[], Row>('SELECT * FROM conversations').all();
    messages = source.prepare<[], Row>('SELECT * FROM messages ORDER BY rowid').all();
  } finally {
    source.close();
  }
  const target = openCacheDatabase(targetPath);
  let count = 0;
  try {
    const insertAll = (table: string, rows: Iterable<Row>): void => {
      let insert: Database.Statement<[Row]> | null = null;
      for (const row of rows) {
        insert ??= target.prepare<[Row]>(
          `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
            .map((c) => `@${c}`)
            .join(', ')})`,
        );
        insert.run(row);
      }
    };
    target.transaction(() => {
      insertAll('conversations', conversations);
      insertAll('messages', copies());
    })();
  } finally {
    target.close();
  }
  return count;

  function* copies(): Generator<Row> {
    for (let copy = 0; copy < COPIES; copy++) {
      for (const row of messages) {
        const text = typeof row.text === 'string' ? row.text : '';
        yield {
          ...row,
          id: `${String(row.id)}.${copy}`,
          wa_message_id: `${String(row.id)}.${copy}`,
          timestamp: Number(row.timestamp) - copy * 200_000_000,
          text: count % RARE_EVERY === 0 ? `${text} reembolso` : text,
        };
        count++;
      }
    }
  }
}
