// The media download schedule in the relay's real SQLite file (a temp dir): what registering,
// re-registering and recording attempts leave, and the scan cursor a restart resumes from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createMediaTable,
  type MediaTable,
  type NewMediaRecord,
} from '../../../src/relay/media/media-table.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';

const NOW = Date.UTC(2026, 10, 21, 12, 0);
let dir: string;
let store: SqliteRelayStore;
let table: MediaTable;

const picture: NewMediaRecord = {
  messageId: 'wamid.picture',
  mediaId: '1000000000000001',
  phoneNumberId: '420000000000001',
  expiresAt: NOW + 7 * 24 * 3600_000,
  mimeType: 'image/jpeg',
  sha256: null,
  filename: null,
  fileSize: null,
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-media-table-'));
  store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
  table = createMediaTable(store.database);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('media table', () => {
  it('registers a download due at once, and only once per message', () => {
    expect(table.register(picture, NOW)).toBe(true);
    expect(table.register(picture, NOW + 5_000)).toBe(false);
    expect(table.due(NOW, 10)).toMatchObject([
      { messageId: picture.messageId, attempts: 0, state: 'pending' },
    ]);
    expect(table.byMediaId(picture.mediaId)).toHaveLength(1);
  });

  it('keeps a failed attempt out of the due list until its retry time', () => {
    table.register(picture, NOW);
    expect(
      table.markRetrying(picture, { attempts: 1, nextAttemptAt: NOW + 10_000, error: 'HTTP 503' }, NOW),
    ).toBe(true);
    expect(table.due(NOW + 9_999, 10)).toEqual([]);
    expect(table.due(NOW + 10_000, 10)).toMatchObject([{ attempts: 1, lastError: 'HTTP 503' }]);
  });

  it('starts over when the message now carries another media id, and ignores late answers about the old one', () => {
    table.register(picture, NOW);
    table.markRetrying(picture, { attempts: 3, nextAttemptAt: NOW + 60_000, error: 'HTTP 500' }, NOW);
    const replaced = { ...picture, mediaId: '1000000000000002' };
    expect(table.register(replaced, NOW + 1_000)).toBe(true);
    expect(table.get(picture.messageId)).toMatchObject({
      mediaId: replaced.mediaId,
      attempts: 0,
      nextAttemptAt: NOW + 1_000,
      lastError: null,
    });

    const late = { storedPath: 'old', fileSize: 10, mimeType: null, attempts: 4 };
    expect(table.markStored(picture, late, NOW + 2_000)).toBe(false);
    expect(table.get(picture.messageId)?.state).toBe('pending');
    expect(table.markStored(replaced, { ...late, storedPath: 'new' }, NOW + 2_000)).toBe(true);
    expect(table.get(picture.messageId)).toMatchObject({
      state: 'stored',
      storedPath: 'new',
      nextAttemptAt: null,
    });
  });

  it('takes a failed download off the schedule for good', () => {
    table.register(picture, NOW);
    expect(table.markFailed(picture, { attempts: 30, error: 'HTTP 404' }, picture.expiresAt)).toBe(true);
    expect(table.due(picture.expiresAt + 365 * 24 * 3600_000, 10)).toEqual([]);
    expect(table.get(picture.messageId)).toMatchObject({ state: 'failed', lastError: 'HTTP 404' });
  });

  it('moves the scan cursor only forward, and keeps it across a reopen', () => {
    expect(table.scanCursor()).toBe(0);
    table.advanceScanCursor(42);
    table.advanceScanCursor(7);
    expect(table.scanCursor()).toBe(42);
    store.close();
    store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
    table = createMediaTable(store.database);
    expect(table.scanCursor()).toBe(42);
  });
});
