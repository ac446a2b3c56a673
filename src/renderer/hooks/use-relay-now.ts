import { useEffect, useReducer } from 'react';
import { relayNow } from '../format/relay-time.ts';
import { useConsole } from '../store/store-context.tsx';

/** Relay time, re-rendering at least every `intervalMs`: drives countdowns and relative times. */
export function useRelayNow(intervalMs: number): number {
  const clock = useConsole((s) => s.clock);
  const offset = useConsole((s) => s.sync?.clockOffsetMs ?? 0);
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return relayNow(clock, offset);
}
