// Windows and relative times are counted on the relay's clock, so a desktop whose clock is off
// still shows the same countdown as every other console.
import type { Clock } from '../../shared/clock.ts';

/** Relay time now: this machine's clock plus the offset the sync client measured at connect. */
export function relayNow(clock: Clock, clockOffsetMs: number): number {
  return clock.now() + clockOffsetMs;
}
