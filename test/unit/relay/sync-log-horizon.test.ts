// The log horizon on a real SQLite store: what is pruned (a prefix of old events, never the newest),
// what is remembered across restarts, and that the log's seq goes on after pruning.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/shared/clock.ts';
import type { Template } from '../../../src/shared/domain.ts';
import { createLogHorizon, type LogHorizon } from '../../../src/relay/sync/log-horizon.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
let dir: string;
let store: SqliteRelayStore;
let clock: ManualClock;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-horizon-'));
  store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
  clock = new ManualClock(Date.UTC(2026, 10, 1));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const horizonOf = (days = 30): LogHorizon =>
  createLogHorizon({ store, clock, logger: pino({ level: 'silent' }), horizonDays: days });

/** Appends an account-wide event logged at `at`. */
function logAt(at: number, name = 't'): number {
  const template: Template = {
    key: `${name}:es`,
    id: null,
    name,
    language: 'es',
    status: 'APPROVED',
    category: null,
    quality: null,
    reason: null,
    updatedAt: at,
    parameterFormat: null,
    components: [],
  };
  return store.appendEvent({ type: 'template.upserted', at, phoneNumberId: null, template }).seq;
}

const seqs = () => store.readEvents(0, 1000).map((event) => event.seq);

describe('log horizon', () => {
  it('prunes the events older than the horizon and remembers the last one', () => {
    const start = clock.now();
    for (let day = 0; day < 5; day++) logAt(start + day * DAY_MS);
    clock.set(start + 32 * DAY_MS); // days 0 and 1 are older than 30 days
    const horizon = horizonOf();
    expect(horizon.prunedThroughSeq()).toBe(0);
    expect(horizon.pruneAll()).toBe(2);
    expect(horizon.prunedThroughSeq()).toBe(2);
    expect(seqs()).toEqual([3, 4, 5]);
    expect(horizon.pruneAll()).toBe(0);
    // The next horizon (after a restart) knows where the log was cut.
    expect(horizonOf().prunedThroughSeq()).toBe(2);
  });

  it('never prunes the newest event, so the next seq follows on', () => {
    logAt(clock.now());
    logAt(clock.now());
    clock.advance(365 * DAY_MS);
    const horizon = horizonOf();
    expect(horizon.pruneAll()).toBe(1);
    expect(seqs()).toEqual([2]);
    expect(logAt(clock.now())).toBe(3);
  });

  it('prunes a prefix only: an old event after a recent one waits (the clock stepped back)', () => {
    const start = clock.now();
    logAt(start);
    logAt(start + 40 * DAY_MS);
    logAt(start);
    logAt(start + 40 * DAY_MS);
    clock.set(start + 40 * DAY_MS);
    expect(horizonOf().pruneAll()).toBe(1);
    expect(seqs()).toEqual([2, 3, 4]);
  });

  it('prunes in batches of the given size', () => {
    for (let i = 0; i < 10; i++) logAt(clock.now());
    clock.advance(31 * DAY_MS);
    logAt(clock.now());
    const horizon = horizonOf();
    expect(horizon.pruneBatch(4)).toBe(4);
    expect(horizon.prunedThroughSeq()).toBe(4);
    expect(horizon.pruneBatch(4)).toBe(4);
    expect(horizon.pruneBatch(4)).toBe(2);
    expect(horizon.pruneBatch(4)).toBe(0);
    expect(seqs()).toEqual([11]);
  });

  it('prunes periodically once started', async () => {
    logAt(clock.now());
    logAt(clock.now());
    const horizon = horizonOf(1);
    horizon.start(5);
    clock.advance(2 * DAY_MS);
    while (horizon.prunedThroughSeq() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await horizon.stop();
    expect(seqs()).toEqual([2]);
  });
});
