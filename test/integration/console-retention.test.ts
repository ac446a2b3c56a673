// Retention on real SQLite files: messages older than the cutoff go, with their search entries and
// the old conversations they leave empty; recent messages and every outbox row stay. The console core
// prunes at open with its `retentionDays`, by relay time.
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheRepository } from '../../src/main/cache/cache-repository.ts';
import { openCacheDatabase } from '../../src/main/cache/open-cache.ts';
import { Retention, retentionCutoff } from '../../src/main/cache/retention.ts';
import { MessageSearch } from '../../src/main/cache/search.ts';
import { openConsoleCore } from '../../src/main/core/console-core.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import { readCacheRows } from '../helpers/console-cache-rows.ts';
import { conversationFixture, inboundFixture, outboundFixture, T0 } from '../helpers/console-fixtures.ts';

const DAY = 24 * 60 * 60 * 1000;
const dir = mkdtempSync(join(tmpdir(), 'ventana-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const OLD = '593991120001';
const MIXED = '593991120002';
const OLD_WITH_OUTBOX = '593991120003';
const EMPTY_NEW = '593991120004';

/**
 * Four conversations: one wholly old; one with old and recent messages; one old with a reply still
 * in the outbox; one new whose messages have not arrived. The cutoff is T0 - 90 days.
 */
function seededCache(): { path: string; db: Database.Database; repo: CacheRepository } {
  const path = join(dir, `cache-${++files}.sqlite`);
  const db = openCacheDatabase(path);
  const repo = new CacheRepository(db);
  const old = T0 - 100 * DAY;
  repo.transaction(() => {
    repo.upsertConversation(conversationFixture(OLD, { lastMessageAt: old + 1, lastInboundAt: old }));
    repo.upsertMessage(inboundFixture(OLD, 'old-1', { text: 'pedido antiguo', timestamp: old }));
    repo.upsertMessage(outboundFixture(OLD, 'old-2', { text: 'respuesta antigua', timestamp: old + 1 }));

    repo.upsertConversation(conversationFixture(MIXED, { lastMessageAt: T0 - DAY }));
    repo.upsertMessage(inboundFixture(MIXED, 'mixed-old', { text: 'pedido de marzo', timestamp: old + 2 }));
    // Exactly at the cutoff: kept (only what is older goes).
    repo.upsertMessage(
      inboundFixture(MIXED, 'mixed-edge', { text: 'pedido límite', timestamp: T0 - 90 * DAY }),
    );
    repo.upsertMessage(inboundFixture(MIXED, 'mixed-new', { text: 'pedido de hoy', timestamp: T0 - DAY }));

    repo.upsertConversation(conversationFixture(OLD_WITH_OUTBOX, { lastMessageAt: old, lastInboundAt: old }));
    repo.upsertMessage(
      inboundFixture(OLD_WITH_OUTBOX, 'outbox-conv-old', { text: 'pedido olvidado', timestamp: old + 3 }),
    );
    repo.outbox.insert({
      mutationId: 'mutation-queued-long-ago',
      conversationId: conversationFixture(OLD_WITH_OUTBOX).id,
      command: {
        kind: 'send_text',
        conversationId: conversationFixture(OLD_WITH_OUTBOX).id,
        text: 'perdón',
        previewUrl: false,
      },
      createdAt: old,
    });

    repo.upsertConversation(conversationFixture(EMPTY_NEW, { lastMessageAt: T0 }));
  });
  return { path, db, repo };
}

const ids = (rows: Record<string, unknown>[]): unknown[] => rows.map((row) => row.id);
const found = (db: Database.Database, query: string): string[] =>
  new MessageSearch(db).search({ query, limit: 50 }).map((hit) => hit.messageId);

describe('retention', () => {
  it('deletes exactly the old messages and the old conversations left empty, never the outbox', () => {
    const { db, repo } = seededCache();
    const outboxBefore = readCacheRows(db).outbox;
    expect(outboxBefore).toHaveLength(1);

    const pruned = new Retention(db).pruneOlderThan(retentionCutoff(T0, 90));

    expect(pruned).toEqual({ messages: 4, conversations: 1 });
    const rows = readCacheRows(db);
    expect(ids(rows.messages)).toEqual(['mixed-edge', 'mixed-new']);
    expect(ids(rows.conversations)).toEqual([
      conversationFixture(MIXED).id,
      conversationFixture(OLD_WITH_OUTBOX).id,
      conversationFixture(EMPTY_NEW).id,
    ]);
    expect(rows.outbox).toEqual(outboxBefore);
    expect(repo.outbox.ofConversation(conversationFixture(OLD_WITH_OUTBOX).id)).toHaveLength(1);
    db.close();
  });

  it('makes search forget what it pruned, and keeps the index in step', () => {
    const { db } = seededCache();
    expect(found(db, 'pedido')).toEqual(['mixed-new', 'mixed-edge', 'outbox-conv-old', 'mixed-old', 'old-1']);
    new Retention(db).pruneOlderThan(retentionCutoff(T0, 90));
    expect(found(db, 'pedido')).toEqual(['mixed-new', 'mixed-edge']);
    expect(found(db, 'antigu')).toEqual([]);
    expect(() =>
      db.exec(`INSERT INTO message_search (message_search, rank) VALUES ('integrity-check', 1)`),
    ).not.toThrow();
    db.close();
  });

  it('changes nothing when run again with the same cutoff', () => {
    const { db } = seededCache();
    const retention = new Retention(db);
    retention.pruneOlderThan(retentionCutoff(T0, 90));
    const after = readCacheRows(db);
    expect(retention.pruneOlderThan(retentionCutoff(T0, 90))).toEqual({ messages: 0, conversations: 0 });
    expect(readCacheRows(db)).toEqual(after);
    db.close();
  });

  it('runs when the console core opens, with its retentionDays, by the relay clock', async () => {
    const { path, db, repo } = seededCache();
    // The desktop clock is 20 days behind the relay: relay time is what dates messages.
    repo.setClockOffsetMs(20 * DAY);
    db.close();
    const core = await openConsoleCore({
      cachePath: path,
      relayUrl: `http://127.0.0.1:${await closedPort()}`,
      token: 'token-unused',
      clientId: 'console-retention',
      demo: false,
      clock: new ManualClock(T0 - 20 * DAY),
      retentionDays: 30,
    });
    await core.close();
    const rows = readCacheRows(path);
    // Relay now is T0: everything before T0 - 30 days goes, the message of yesterday stays.
    expect(ids(rows.messages)).toEqual(['mixed-new']);
    expect(rows.outbox.map((row) => row.mutation_id)).toEqual(['mutation-queued-long-ago']);
  });

  it('keeps 90 days when the core is given no retention', async () => {
    const { path, db } = seededCache();
    db.close();
    const core = await openConsoleCore({
      cachePath: path,
      relayUrl: `http://127.0.0.1:${await closedPort()}`,
      token: 'token-unused',
      clientId: 'console-retention-default',
      demo: false,
      clock: new ManualClock(T0),
    });
    await core.close();
    expect(ids(readCacheRows(path).messages)).toEqual(['mixed-edge', 'mixed-new']);
  });
});

/** A loopback port nothing listens on: the console starts offline and serves from its cache. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
