// `npm run -s bench:console [-- --json]`: the console core's budgets (DESIGN.md), measured under
// issue 5's rules, everything on 127.0.0.1 and in one temp dir removed at the end.
//   first sync   100,000 messages in 10,000 conversations, from a running relay (its log filled
//                through the relay's inbound path, see relay-log.ts) into a fresh cache
//   raw insert   the same rows, prepared INSERTs into the same schema in one transaction
//   cold open    a new process to the first inbox page from that cache, relay unreachable
//   search       p95 of searchMessages, once the ConsoleApi has it
// Progress goes to stderr; stdout gets a summary, or with --json exactly one JSON object.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_METHODS } from '../../src/shared/console-api.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { coldOpen, unreachableRelayUrl, type ColdOpenRun } from './cold-open.ts';
import { firstSync } from './first-sync.ts';
import { rawInsert } from './raw-insert.ts';
import { searchP95, type SearchResult } from './search.ts';
import { fillRelayLog } from './relay-log.ts';
import { parseBenchCommandLine } from '../command-line.ts';

const USAGE = `Usage: npm run -s bench:console [-- --json]
  --json   print one JSON object (and nothing else) on stdout
           (-s keeps npm's own banner off stdout)`;

const SHAPE = { messages: 100_000, conversations: 10_000, seed: 5 } as const;
const SYNC_TIMEOUT_MS = 180_000;
const COLD_OPEN_RUNS = 5;
const COLD_OPEN_TIMEOUT_MS = 30_000;

export const BUDGETS = { syncToRawRatio: 0.4, searchP95Ms: 20, coldOpenMs: 1_000 } as const;

const progress = (line: string): void => void process.stderr.write(`[bench:console] ${line}\n`);
const perSecond = (count: number, ms: number): number => Math.round((count * 1000) / Math.max(1, ms));
const round2 = (value: number): number => Math.round(value * 100) / 100;

async function main(): Promise<void> {
  const { json } = parseBenchCommandLine('bench:console', USAGE);
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'ventana-bench-console-'));
  const cleanUp = (): void => rmSync(dir, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  }
  const notes: string[] = [];
  try {
    const relayDbPath = join(dir, 'relay.sqlite');
    const cachePath = join(dir, 'cache.sqlite');
    progress(`filling the relay's log: ${SHAPE.messages} messages in ${SHAPE.conversations} conversations`);
    const headSeq = fillRelayLog(relayDbPath, SHAPE, systemClock);

    progress(`first sync of ${headSeq} events over loopback WebSocket`);
    const sync = await firstSync({
      dir,
      relayDbPath,
      cachePath,
      headSeq,
      clock: systemClock,
      timeoutMs: SYNC_TIMEOUT_MS,
    });
    progress(`first sync: ${Math.round(sync.durationMs)} ms`);

    progress('raw reference: prepared INSERTs of the same rows in one transaction');
    const raw = rawInsert(cachePath, join(dir, 'raw.sqlite'));
    progress(`raw reference: ${Math.round(raw.durationMs)} ms`);
    const rows = raw.rows.messages + raw.rows.conversations;
    if (raw.rows.messages !== SHAPE.messages || raw.rows.conversations !== SHAPE.conversations)
      throw new Error(
        `the sync left ${raw.rows.messages} messages in ${raw.rows.conversations} conversations`,
      );

    const relayUrl = await unreachableRelayUrl();
    const coldRuns: ColdOpenRun[] = [];
    for (let run = 1; run <= COLD_OPEN_RUNS; run++) {
      coldRuns.push(await coldOpen(cachePath, relayUrl, COLD_OPEN_TIMEOUT_MS));
      progress(`cold open ${run}: ${Math.round(coldRuns.at(-1)?.ms ?? 0)} ms`);
    }
    const coldSorted = coldRuns.map((run) => run.ms).sort((a, b) => a - b);
    const coldOpenMs = round2(coldSorted[Math.floor(coldSorted.length / 2)] ?? 0);
    notes.push(
      `coldOpenMs is the median of ${COLD_OPEN_RUNS} runs on a cache the OS has in its page cache (the file was just written)`,
    );

    // Search comes with another part of issue 5: measured once it exists, never invented.
    let search: SearchResult | null = null;
    if ((CONSOLE_METHODS as readonly string[]).includes('searchMessages')) {
      progress('search: building a cache of 1,000,000 messages');
      search = await searchP95(cachePath, join(dir, 'search.sqlite'), relayUrl);
      progress(`search: p95 ${search.p95Ms} ms over ${search.queries} queries`);
    } else {
      notes.push(
        'searchP95Ms: null: the ConsoleApi has no searchMessages yet (FTS search is another part of issue 5)',
      );
    }

    const syncRowsPerSec = perSecond(rows, sync.durationMs);
    const rawInsertRowsPerSec = perSecond(rows, raw.durationMs);
    const result = {
      bench: 'console',
      syncMessagesPerSec: perSecond(raw.rows.messages, sync.durationMs),
      syncRowsPerSec,
      rawInsertRowsPerSec,
      syncToRawRatio: round2(syncRowsPerSec / rawInsertRowsPerSec),
      searchP95Ms: search?.p95Ms ?? null,
      coldOpenMs,
      budgets: BUDGETS,
      withinBudget: {
        syncToRaw: syncRowsPerSec / rawInsertRowsPerSec >= BUDGETS.syncToRawRatio,
        search: search === null ? null : search.p95Ms < BUDGETS.searchP95Ms,
        coldOpen: coldOpenMs < BUDGETS.coldOpenMs,
      },
      counting:
        'rows = message rows + conversation rows in the cache at the end, the same for sync and raw; ' +
        'the sync applies two events per message (message.upserted and conversation.upserted), as webhooks leave them',
      sync: {
        messages: raw.rows.messages,
        conversations: raw.rows.conversations,
        events: sync.events,
        durationMs: round2(sync.durationMs),
        eventsPerSec: perSecond(sync.events, sync.durationMs),
        relayLogFilledThrough:
          'the relay store (recordInbound, the inbound webhook path), before the relay started',
      },
      raw: { rows, durationMs: round2(raw.durationMs) },
      coldOpen: {
        runsMs: coldRuns.map((run) => round2(run.ms)),
        conversationsOnFirstPage: coldRuns[0]?.conversations ?? 0,
      },
      search,
      notes,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGb: round2(totalmem() / 1024 ** 3),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      totalSeconds: round2((performance.now() - started) / 1000),
    };
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : summary(result));
  } finally {
    cleanUp();
  }
}

function summary(result: {
  syncMessagesPerSec: number;
  syncRowsPerSec: number;
  rawInsertRowsPerSec: number;
  syncToRawRatio: number;
  coldOpenMs: number;
  searchP95Ms: number | null;
  notes: string[];
}): string {
  return [
    `first sync         ${result.syncMessagesPerSec} messages/s (${result.syncRowsPerSec} rows/s)`,
    `raw insert         ${result.rawInsertRowsPerSec} rows/s`,
    `sync / raw         ${result.syncToRawRatio} (budget >= ${BUDGETS.syncToRawRatio})`,
    `search p95         ${result.searchP95Ms === null ? 'not measured' : `${result.searchP95Ms} ms`} (budget < ${BUDGETS.searchP95Ms} ms)`,
    `cold open          ${result.coldOpenMs} ms (budget < ${BUDGETS.coldOpenMs} ms)`,
    ...result.notes.map((note) => `note: ${note}`),
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:console failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
