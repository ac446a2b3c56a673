// `npm run -s bench:relay [-- --json]`: the relay's inbound budgets (DESIGN.md), measured under the
// issue's rules. Every program runs in its own process on 127.0.0.1:
//   relay-process.ts      the relay on a fresh SQLite file (WAL, synchronous=FULL before every 200)
//   reference-server.ts   a bare node:http server that only verifies the HMAC: the yardstick
//   load-generator.ts     64 concurrent keep-alive senders, one signed message per POST
//   consoles.ts           200 authenticated WebSocket consoles
// Phases: fan-out (500 msg/s to 200 consoles, after a short warm-up), ack latency (open loop at
// 2,500 POSTs/s), throughput (closed loop, best of two runs) against the relay, then the same for the
// reference. Progress goes to stderr; stdout gets the
// result: a summary, or with --json exactly one JSON object.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { BenchChild, stopAllChildren } from './children.ts';
import {
  consolesReportSchema,
  loadResultSchema,
  serverReadySchema,
  type ConsolesReport,
  type LoadResult,
  type LoadRun,
} from './ipc.ts';
import { parseBenchCommandLine } from '../command-line.ts';

const USAGE = `Usage: npm run -s bench:relay [-- --json]
  --json   print one JSON object (and nothing else) on stdout
           (-s keeps npm's own banner off stdout)`;

const APP_SECRET = 'bench-app-secret';
const SENDERS = 64;
const WARMUP_MESSAGES = 5_000;
const INGEST_MESSAGES = 60_000;
const INGEST_MAX_SECONDS = 20;
const THROUGHPUT_RUNS = 2;
const ACK_RATE = 2_500;
const ACK_SECONDS = 10;
const FANOUT_CONSOLES = 200;
const FANOUT_RATE = 500;
const FANOUT_SECONDS = 10;
const FANOUT_WARMUP_SECONDS = 2;
/** How long the consoles may take, after the last POST was answered, to receive the last message. */
const FANOUT_DRAIN_MS = 15_000;
const START_TIMEOUT_MS = 30_000;

export const BUDGETS = { ingestPerSec: 5_000, ingestAckP99Ms: 50, fanoutP99Ms: 50 } as const;

const progress = (line: string): void => void process.stderr.write(`[bench:relay] ${line}\n`);
const perSecond = (result: LoadResult): number =>
  Math.round((result.acknowledged * 1000) / Math.max(1, result.durationMs));

async function startServers(dir: string) {
  const relayProcess = new BenchChild('relay', 'relay-process.ts');
  const referenceProcess = new BenchChild('reference server', 'reference-server.ts');
  const relay = await relayProcess.ask(
    { type: 'start', dir, appSecret: APP_SECRET },
    serverReadySchema,
    START_TIMEOUT_MS,
  );
  const reference = await referenceProcess.ask(
    { type: 'start', appSecret: APP_SECRET },
    serverReadySchema,
    START_TIMEOUT_MS,
  );
  if (relay.token === undefined) throw new Error('the bench relay gave no console token');
  return { relayUrl: relay.url, token: relay.token, referenceUrl: reference.url };
}

async function main(): Promise<void> {
  const { json } = parseBenchCommandLine('bench:relay', USAGE);
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'ventana-bench-relay-'));
  const stopEverything = (): void => {
    stopAllChildren();
    rmSync(dir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopEverything();
      process.exit(130);
    });
  }

  try {
    const { relayUrl, token, referenceUrl } = await startServers(dir);
    progress(`relay at ${relayUrl}, reference at ${referenceUrl}`);
    const generator = new BenchChild('load generator', 'load-generator.ts');
    let runs = 0;
    const load = (url: string, pattern: LoadRun['pattern'], marked = false): Promise<LoadResult> => {
      const seconds = pattern.kind === 'closed' ? pattern.maxSeconds : pattern.seconds;
      const run: LoadRun = {
        type: 'run',
        url,
        appSecret: APP_SECRET,
        runId: `run${++runs}`,
        concurrency: SENDERS,
        pattern,
        marked,
      };
      return generator.ask(run, loadResultSchema, (seconds + 60) * 1000);
    };

    // Fan-out first, while the log is empty: 200 consoles replay nothing and go live at once.
    progress(`fan-out: connecting ${FANOUT_CONSOLES} consoles`);
    const consoles = new BenchChild('consoles', 'consoles.ts');
    await consoles.ask(
      { type: 'connect', url: relayUrl, token, consoles: FANOUT_CONSOLES },
      consolesReportSchema,
      START_TIMEOUT_MS + 5_000,
    );
    const fanoutRun = async (seconds: number) => {
      const sent = await load(relayUrl, { kind: 'open', rate: FANOUT_RATE, seconds }, true);
      const received = await consoles.ask(
        { type: 'collect', messages: sent.acknowledged, timeoutMs: FANOUT_DRAIN_MS },
        consolesReportSchema,
        FANOUT_DRAIN_MS + 10_000,
      );
      if (received.type !== 'collected') throw new Error('the bench consoles did not report receipts');
      return { sent, received };
    };
    // The first messages take the cold paths (JIT) of every process: not what is being measured.
    progress(`fan-out: warm-up, ${FANOUT_WARMUP_SECONDS} s`);
    await fanoutRun(FANOUT_WARMUP_SECONDS);
    progress(`fan-out: ${FANOUT_RATE} messages/s for ${FANOUT_SECONDS} s to ${FANOUT_CONSOLES} consoles`);
    const { sent: fanoutLoad, received: fanout } = await fanoutRun(FANOUT_SECONDS);
    consoles.stop();
    progress(`fan-out: p99 ${fanout.latencyMs.p99} ms over ${fanout.receipts} receipts`);

    progress(`warm-up: ${WARMUP_MESSAGES} messages`);
    await load(relayUrl, { kind: 'closed', messages: WARMUP_MESSAGES, maxSeconds: INGEST_MAX_SECONDS });

    progress(`ack latency: open loop at ${ACK_RATE} POSTs/s for ${ACK_SECONDS} s`);
    const ack = await load(relayUrl, { kind: 'open', rate: ACK_RATE, seconds: ACK_SECONDS });
    progress(`ack latency: p99 ${ack.ackLatencyMs.p99} ms`);

    // Noise on a shared machine only ever lowers throughput: each server gets the best of its runs.
    const throughput = async (name: string, url: string): Promise<Throughput> => {
      const runs: LoadResult[] = [];
      for (let run = 1; run <= THROUGHPUT_RUNS; run++) {
        progress(`${name}: ${INGEST_MESSAGES} messages, ${SENDERS} senders, closed loop (run ${run})`);
        const result = await load(url, {
          kind: 'closed',
          messages: INGEST_MESSAGES,
          maxSeconds: INGEST_MAX_SECONDS,
        });
        progress(`${name}: ${perSecond(result)} messages/s`);
        runs.push(result);
      }
      const best = runs.reduce((a, b) => (perSecond(b) > perSecond(a) ? b : a));
      return { best, runs };
    };
    const ingest = await throughput('ingest', relayUrl);

    progress('reference: warm-up and ack latency');
    await load(referenceUrl, { kind: 'closed', messages: WARMUP_MESSAGES, maxSeconds: INGEST_MAX_SECONDS });
    const referenceAck = await load(referenceUrl, { kind: 'open', rate: ACK_RATE, seconds: ACK_SECONDS / 2 });
    const reference = await throughput('reference', referenceUrl);

    const result = report(
      { ingest, ack, fanoutLoad, fanout, reference, referenceAck },
      performance.now() - started,
    );
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : summary(result));
  } finally {
    stopEverything();
  }
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

interface Throughput {
  /** The run with the highest rate. */
  best: LoadResult;
  runs: LoadResult[];
}

const describeThroughput = ({ best, runs }: Throughput) => ({
  senders: SENDERS,
  pattern: `closed loop, best of ${runs.length} runs`,
  runsPerSec: runs.map(perSecond),
  ...best,
});

function report(
  runs: {
    ingest: Throughput;
    ack: LoadResult;
    fanoutLoad: LoadResult;
    fanout: Extract<ConsolesReport, { type: 'collected' }>;
    reference: Throughput;
    referenceAck: LoadResult;
  },
  durationMs: number,
) {
  const { ingest, ack, fanoutLoad, fanout, reference, referenceAck } = runs;
  const ingestPerSec = perSecond(ingest.best);
  const referenceIngestPerSec = perSecond(reference.best);
  const figures = {
    ingestPerSec,
    ingestAckP99Ms: ack.ackLatencyMs.p99,
    fanoutP99Ms: fanout.latencyMs.p99,
    referenceIngestPerSec,
    ingestToReferenceRatio: round2(ingestPerSec / Math.max(1, referenceIngestPerSec)),
    referenceAckP99Ms: referenceAck.ackLatencyMs.p99,
  };
  return {
    benchmark: 'relay',
    ...figures,
    budgets: BUDGETS,
    withinBudget: {
      ingestPerSec: ingestPerSec >= BUDGETS.ingestPerSec,
      ingestAckP99Ms: figures.ingestAckP99Ms < BUDGETS.ingestAckP99Ms,
      fanoutP99Ms: figures.fanoutP99Ms < BUDGETS.fanoutP99Ms,
    },
    /** Every loss would show here: a benchmark run with failures measures the wrong thing. */
    allAcknowledged: [...ingest.runs, ack, fanoutLoad, ...reference.runs, referenceAck].every(
      (r) => r.acknowledged === r.sent,
    ),
    ingest: describeThroughput(ingest),
    ack: { senders: SENDERS, pattern: `open loop at ${ACK_RATE} POSTs/s`, ...ack },
    fanout: {
      consoles: FANOUT_CONSOLES,
      pattern: `open loop at ${FANOUT_RATE} messages/s, timed from each scheduled POST to each console's receipt`,
      load: fanoutLoad,
      ...fanout,
    },
    reference: describeThroughput(reference),
    referenceAck: { senders: SENDERS, pattern: `open loop at ${ACK_RATE} POSTs/s`, ...referenceAck },
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      totalMemoryMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    durationMs: Math.round(durationMs),
  };
}

function summary(result: ReturnType<typeof report>): string {
  const mark = (ok: boolean): string => (ok ? 'ok' : 'OVER BUDGET');
  return [
    `relay ingest        ${result.ingestPerSec} messages/s (budget >= ${BUDGETS.ingestPerSec}: ${mark(result.withinBudget.ingestPerSec)})`,
    `reference           ${result.referenceIngestPerSec} messages/s (relay = ${result.ingestToReferenceRatio} x reference)`,
    `ack p99 @ ${ACK_RATE}/s   ${result.ingestAckP99Ms} ms (budget < ${BUDGETS.ingestAckP99Ms}: ${mark(result.withinBudget.ingestAckP99Ms)}; reference ${result.referenceAckP99Ms} ms)`,
    `fan-out p99         ${result.fanoutP99Ms} ms to ${FANOUT_CONSOLES} consoles at ${FANOUT_RATE}/s (budget < ${BUDGETS.fanoutP99Ms}: ${mark(result.withinBudget.fanoutP99Ms)}; ${result.fanout.receipts}/${result.fanout.expectedReceipts} receipts)`,
    `all acknowledged    ${result.allAcknowledged}`,
    `machine             ${result.machine.cpus} x ${result.machine.cpuModel}, Node ${result.machine.node}; ${Math.round(result.durationMs / 1000)} s`,
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:relay failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
