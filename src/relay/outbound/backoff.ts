// How long a send waits before its next try, by why it is waiting.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** After the n-th consecutive 131056 to a recipient: 4^n seconds (4 s, 16 s, 64 s, ...), as Meta advises. */
export function pairLimitDelayMs(consecutiveHits: number): number {
  // 4^5 s is about 17 minutes; Meta's pair window is seconds long, so waiting longer helps nobody.
  const exponent = Math.min(Math.max(consecutiveHits, 1), 5);
  return 4 ** exponent * SECOND;
}

/** After the n-th consecutive throughput refusal (130429) of a number: 1 s, 2 s, 4 s, ... up to 1 minute. */
export function throughputDelayMs(consecutiveHits: number): number {
  return Math.min(2 ** (Math.max(consecutiveHits, 1) - 1) * SECOND, MINUTE);
}

/** After the n-th attempt that never reached Meta (connection refused, DNS): 1 s, 2 s, 4 s, ... up to 5 minutes. */
export function notSentDelayMs(failedAttempts: number): number {
  return Math.min(2 ** (Math.max(failedAttempts, 1) - 1) * SECOND, 5 * MINUTE);
}
