// The messages between the benchmark's orchestrator (run.ts) and its child processes, over Node's IPC
// channel. Both sides validate what they receive: a child that says something unexpected stops the run.
import { z } from 'zod';

export const latencySummarySchema = z.object({
  count: z.number().int().nonnegative(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  max: z.number(),
});
export type LatencySummary = z.infer<typeof latencySummarySchema>;

/** The relay process and the reference server, once listening. */
export const serverReadySchema = z.object({
  type: z.literal('ready'),
  url: z.string(),
  /** A supervisor's token (relay only): the fan-out consoles sign in with it. */
  token: z.string().optional(),
});

export const relayStartSchema = z.object({
  type: z.literal('start'),
  dir: z.string(),
  appSecret: z.string(),
});

// --- load generator --------------------------------------------------------------------------------

export const loadRunSchema = z.object({
  type: z.literal('run'),
  url: z.string(),
  appSecret: z.string(),
  /** Prefix of every wamid in this run, so runs never collide in one relay. */
  runId: z.string(),
  concurrency: z.number().int().positive(),
  pattern: z.discriminatedUnion('kind', [
    /** Each sender posts its next message as soon as the previous one is answered. */
    z.object({
      kind: z.literal('closed'),
      messages: z.number().int().positive(),
      maxSeconds: z.number().positive(),
    }),
    /** Sends scheduled by the clock at `rate` per second, whatever the answers do. */
    z.object({ kind: z.literal('open'), rate: z.number().positive(), seconds: z.number().positive() }),
  ]),
  /** Put the scheduled send time in the text, for the consoles to time the fan-out. */
  marked: z.boolean(),
});
export type LoadRun = z.infer<typeof loadRunSchema>;

export const loadResultSchema = z.object({
  type: z.literal('result'),
  sent: z.number().int().nonnegative(),
  acknowledged: z.number().int().nonnegative(),
  /** Answers other than 200, and requests that failed outright. */
  refused: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  durationMs: z.number(),
  /** From the scheduled send (open loop) or the actual send (closed loop) to the 200. */
  ackLatencyMs: latencySummarySchema,
});
export type LoadResult = z.infer<typeof loadResultSchema>;

// --- fan-out consoles ------------------------------------------------------------------------------

export const consolesCommandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('connect'),
    url: z.string(),
    token: z.string(),
    consoles: z.number().int().positive(),
  }),
  /** Waits until every console received `messages` marked messages (or the timeout), reports, and starts over. */
  z.object({
    type: z.literal('collect'),
    messages: z.number().int().nonnegative(),
    timeoutMs: z.number().positive(),
  }),
]);
export type ConsolesCommand = z.infer<typeof consolesCommandSchema>;

export const consolesReportSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('connected'), consoles: z.number().int() }),
  z.object({
    type: z.literal('collected'),
    expectedReceipts: z.number().int(),
    receipts: z.number().int(),
    /** Consoles that were disconnected during the run. */
    disconnected: z.number().int(),
    latencyMs: latencySummarySchema,
  }),
]);
export type ConsolesReport = z.infer<typeof consolesReportSchema>;
