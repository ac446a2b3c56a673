// Pacing on an injected clock: the token bucket per number, the throughput pause, and the backoffs.
import { describe, expect, it } from 'vitest';
import { notSentDelayMs, pairLimitDelayMs, throughputDelayMs } from '../../../src/relay/outbound/backoff.ts';
import { NumberPacing } from '../../../src/relay/outbound/number-pacing.ts';
import { TokenBucket } from '../../../src/relay/outbound/token-bucket.ts';

const T0 = 1_000_000;

function takeAll(bucket: TokenBucket, now: number): number {
  let taken = 0;
  while (bucket.tryTake(now)) taken += 1;
  return taken;
}

describe('TokenBucket', () => {
  it('allows a burst of one second, then exactly the rate', () => {
    const bucket = new TokenBucket(80, T0);
    expect(takeAll(bucket, T0)).toBe(80);
    expect(bucket.nextTokenAt(T0)).toBe(T0 + 13); // 12.5 ms per token, rounded up
    expect(takeAll(bucket, T0 + 500)).toBe(40);
    expect(takeAll(bucket, T0 + 1_500)).toBe(80);
    // Idle time never stores more than the burst.
    expect(takeAll(bucket, T0 + 60_000)).toBe(80);
  });

  it('adds whole tokens for whole seconds at small rates', () => {
    const bucket = new TokenBucket(5, T0);
    expect(takeAll(bucket, T0)).toBe(5);
    for (let second = 1; second <= 10; second++) expect(takeAll(bucket, T0 + second * 1_000)).toBe(5);
  });

  it('gives nothing for a clock that goes back', () => {
    const bucket = new TokenBucket(10, T0);
    takeAll(bucket, T0);
    expect(takeAll(bucket, T0 - 5_000)).toBe(0);
    expect(takeAll(bucket, T0 + 100)).toBe(1);
  });

  it('can be emptied', () => {
    const bucket = new TokenBucket(10, T0);
    bucket.empty(T0);
    expect(bucket.tryTake(T0)).toBe(false);
    expect(bucket.nextTokenAt(T0)).toBe(T0 + 100);
  });

  it('refuses a rate that would never send', () => {
    expect(() => new TokenBucket(0, T0)).toThrow(RangeError);
  });
});

describe('NumberPacing', () => {
  it('keeps a bucket per number: one number out of tokens does not hold back another', () => {
    const pacing = new NumberPacing(2);
    expect([pacing.tryTake('A', T0), pacing.tryTake('A', T0), pacing.tryTake('A', T0)]).toEqual([
      true,
      true,
      false,
    ]);
    expect(pacing.blockedNumbers(T0)).toEqual(['A']);
    expect(pacing.tryTake('B', T0)).toBe(true);
    expect(pacing.nextReadyAt(T0)).toBe(T0 + 500);
    expect(pacing.blockedNumbers(T0 + 500)).toEqual([]);
  });

  it('pauses a number Meta called over its throughput, longer each time, until a send goes through', () => {
    const pacing = new NumberPacing(80);
    expect(pacing.throttled('A', T0)).toBe(T0 + 1_000);
    expect(pacing.tryTake('A', T0 + 999)).toBe(false);
    expect(pacing.blockedNumbers(T0 + 999)).toEqual(['A']);
    expect(pacing.tryTake('A', T0 + 1_000)).toBe(true);
    expect(pacing.throttled('A', T0 + 1_000)).toBe(T0 + 3_000);
    expect(pacing.throttled('A', T0 + 3_000)).toBe(T0 + 7_000);
    pacing.accepted('A');
    expect(pacing.throttled('A', T0 + 7_000)).toBe(T0 + 8_000);
  });
});

describe('backoff', () => {
  it('waits 4^n seconds after the n-th consecutive 131056, capped', () => {
    expect([1, 2, 3, 4, 5, 6].map(pairLimitDelayMs)).toEqual([
      4_000, 16_000, 64_000, 256_000, 1_024_000, 1_024_000,
    ]);
  });

  it('doubles throughput and not-sent waits from one second, capped', () => {
    expect([1, 2, 3, 7, 20].map(throughputDelayMs)).toEqual([1_000, 2_000, 4_000, 60_000, 60_000]);
    expect([1, 2, 3, 9, 20].map(notSentDelayMs)).toEqual([1_000, 2_000, 4_000, 256_000, 300_000]);
  });
});
