// Reconnect delays: exponential from 0.5 s to 30 s, with jitter so that consoles dropped together
// (a relay restart) do not all come back in the same instant.
export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 30_000;

/** Delay before reconnect attempt `attempt` (0 for the first retry after a loss). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(attempt, 16));
  // "Equal jitter": half the ceiling fixed, half random, never under the minimum.
  return Math.max(BACKOFF_MIN_MS, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}
