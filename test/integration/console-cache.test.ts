// The console's SQLite cache on real files: migrations, and how pages of relay events land in it
// (idempotent, ticks only forward, unread counts, outbox confirmation, all-or-nothing).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheRepository } from '../../src/main/cache/cache-repository.ts';
import { cacheMigrations } from '../../src/main/cache/migrations/index.ts';
import { schemaVersion } from '../../src/main/cache/migrate.ts';
import { openCacheDatabase } from '../../src/main/cache/open-cache.ts';
import { applyEventsFrame } from '../../src/main/sync/apply-events.ts';
import type { CodedError } from '../../src/shared/result.ts';
import {
  conversationFixture,
  eventsFrame,
  inboundFixture,
  outboundFixture,
} from '../helpers/console-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'ventana-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function freshCache(): { repo: CacheRepository; path: string; close: () => void } {
  const path = join(dir, `cache-${++files}.sqlite`);
  const db = openCacheDatabase(path);
  return { repo: new CacheRepository(db), path, close: () => db.close() };
}

describe('cache migrations', () => {
  it('creates the schema once, in WAL mode, and records its version', () => {
    const { path, close } = freshCache();
    close();
    const db = new Database(path);
    expect(schemaVersion(db)).toBe(cacheMigrations.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual(['conversations', 'messages', 'outbox', 'sync_state']);
    db.close();
    // Reopening runs nothing again (a rerun would fail on CREATE TABLE).
    openCacheDatabase(path).close();
  });

  it('refuses a cache written by a newer schema instead of guessing', () => {
    const path = join(dir, 'from-the-future.sqlite');
    const db = new Database(path);
    db.pragma(`user_version = ${cacheMigrations.length + 1}`);
    db.close();
    expect(() => openCacheDatabase(path)).toThrow(
      expect.objectContaining({ code: 'CACHE_TOO_NEW' }) as CodedError,
    );
  });
});

describe('applying event pages', () => {
  it('applies a replayed page once: same rows, same unread count, same cursor', () => {
    const { repo, close } = freshCache();
    const conversation = conversationFixture('593991110001');
    const frame = eventsFrame(1, [{ conversation }, { message: inboundFixture('593991110001', 'wamid.A1') }]);
    applyEventsFrame(repo, frame);
    applyEventsFrame(repo, frame);
    expect(repo.listMessages(conversation.id, 100)).toHaveLength(1);
    expect(repo.getConversation(conversation.id)?.unreadCount).toBe(1);
    expect(repo.getCursor()).toBe(2);
    close();
  });

  it('counts unread inbound messages even when a page carries the message before its conversation', () => {
    const { repo, close } = freshCache();
    const conversation = conversationFixture('593991110002');
    applyEventsFrame(
      repo,
      eventsFrame(1, [
        { message: inboundFixture('593991110002', 'wamid.B1') },
        {
          message: inboundFixture('593991110002', 'wamid.B2', { timestamp: conversation.lastMessageAt + 1 }),
        },
        { conversation },
        {
          message: outboundFixture('593991110002', 'mutationB3xx', {
            timestamp: conversation.lastMessageAt + 2,
          }),
        },
      ]),
    );
    expect(repo.getConversation(conversation.id)?.unreadCount).toBe(2);
    // A later snapshot of the conversation keeps the count.
    applyEventsFrame(
      repo,
      eventsFrame(5, [{ conversation: { ...conversation, lastMessagePreview: 'Gracias' } }]),
    );
    expect(repo.getConversation(conversation.id)).toMatchObject({
      unreadCount: 2,
      lastMessagePreview: 'Gracias',
    });
    expect(repo.clearUnread(conversation.id)).toBe(true);
    expect(repo.getConversation(conversation.id)?.unreadCount).toBe(0);
    close();
  });

  it('never moves a tick back, whatever order the snapshots come in', () => {
    const { repo, close } = freshCache();
    const conversation = conversationFixture('593991110003');
    const out = (status: 'accepted' | 'sent' | 'delivered' | 'read', statusAt: number) =>
      outboundFixture('593991110003', 'mutationC1xx', { status, statusAt, waMessageId: 'wamid.C1' });
    applyEventsFrame(repo, eventsFrame(1, [{ conversation }, { message: out('read', 30) }]));
    applyEventsFrame(repo, eventsFrame(3, [{ message: out('delivered', 20) }, { message: out('sent', 10) }]));
    expect(repo.getMessage('mutationC1xx')).toMatchObject({ status: 'read', statusAt: 30 });
    expect(repo.getCursor()).toBe(4);
    close();
  });

  it('removes the outbox row in the transaction that applies the confirmed message', () => {
    const { repo, close } = freshCache();
    const conversation = conversationFixture('593991110004');
    applyEventsFrame(repo, eventsFrame(1, [{ conversation }]));
    const command = { kind: 'send_text' as const, conversationId: conversation.id, text: 'Con gusto' };
    repo.insertOutbox({ mutationId: 'mutationD1xx', conversationId: conversation.id, command, createdAt: 1 });
    repo.insertOutbox({ mutationId: 'mutationD2xx', conversationId: conversation.id, command, createdAt: 2 });
    applyEventsFrame(repo, eventsFrame(2, [{ message: outboundFixture('593991110004', 'mutationD1xx') }]));
    expect(repo.pendingOutbox().map((row) => row.mutationId)).toEqual(['mutationD2xx']);
    close();
  });

  it('leaves nothing behind when a page fails half way: no event, no cursor', () => {
    const { repo, path, close } = freshCache();
    const conversation = conversationFixture('593991110005');
    const frame = eventsFrame(1, [{ conversation }, { message: inboundFixture('593991110005', 'wamid.E1') }]);
    const failOnSecond = {
      insideApplyTransaction(applied: number) {
        if (applied === 2) throw new Error('stopped inside the transaction');
      },
    };
    expect(() => applyEventsFrame(repo, frame, failOnSecond)).toThrow('stopped inside the transaction');
    close();
    const db = openCacheDatabase(path);
    const reopened = new CacheRepository(db);
    expect(reopened.getConversation(conversation.id)).toBeNull();
    expect(reopened.getCursor()).toBe(0);
    applyEventsFrame(reopened, frame);
    expect(reopened.getConversation(conversation.id)?.unreadCount).toBe(1);
    db.close();
  });
});
