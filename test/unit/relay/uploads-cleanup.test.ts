// Uploads in the relay's real SQLite file and uploads folder (a temp dir): which ones the daily
// clean-up removes (unused and older than a day) and keeps (carried by a message, or recent), and the
// files a crash left without a row.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMediaFiles, type MediaFiles } from '../../../src/relay/media/media-files.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';
import {
  removeOrphanFiles,
  removeUnusedUploads,
  UNUSED_UPLOAD_LIFETIME_MS,
  type UploadCleanupDeps,
} from '../../../src/relay/uploads/upload-cleanup.ts';
import { createUploadTable, type UploadTable } from '../../../src/relay/uploads/upload-table.ts';
import { ManualClock } from '../../../src/shared/clock.ts';

const HOUR = 3600_000;
const NUMBER = '420000000000001';
let dir: string;
let store: SqliteRelayStore;
let table: UploadTable;
let files: MediaFiles;
let clock: ManualClock;
let deps: UploadCleanupDeps;

/** An upload stored now: its file in the folder and its row in the table. */
function stored(uploadId: string): void {
  writeFileSync(files.pathOf(uploadId), `bytes of ${uploadId}`);
  table.insert({
    uploadId,
    agentId: 'agt_ana',
    kind: 'document',
    mimeType: 'application/pdf',
    size: 20,
    sha256: 'c2hh',
    filename: `${uploadId}.pdf`,
    storedName: uploadId,
    createdAt: clock.now(),
  });
}

const present = (uploadId: string): boolean =>
  table.get(uploadId) !== null && existsSync(files.pathOf(uploadId));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-uploads-'));
  store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
  table = createUploadTable(store.database);
  files = createMediaFiles(join(dir, 'uploads'));
  await files.prepare();
  clock = new ManualClock(Date.UTC(2026, 10, 21, 12, 0));
  deps = { table, files, clock, logger: pino({ level: 'silent' }) };
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('removing unused uploads', () => {
  it('removes an upload nobody sent once it is a day old, row and file', async () => {
    stored('upl_forgotten');
    clock.advance(UNUSED_UPLOAD_LIFETIME_MS - HOUR);
    expect(await removeUnusedUploads(deps)).toBe(0);
    expect(present('upl_forgotten')).toBe(true);

    clock.advance(2 * HOUR);
    expect(await removeUnusedUploads(deps)).toBe(1);
    expect(table.get('upl_forgotten')).toBeNull();
    expect(readdirSync(files.dir)).toEqual([]);
  });

  it('keeps an upload a message carries, however old, and what Meta knows of it', async () => {
    stored('upl_sent');
    table.markUsed('upl_sent', { messageId: 'mut-sent-0001', phoneNumberId: NUMBER }, clock.now());
    table.saveGraphMedia('upl_sent', NUMBER, { mediaId: '9000000001', uploadedAt: clock.now() });
    clock.advance(30 * UNUSED_UPLOAD_LIFETIME_MS);

    expect(await removeUnusedUploads(deps)).toBe(0);
    expect(present('upl_sent')).toBe(true);
    expect(table.usedOnNumbers('upl_sent')).toEqual([NUMBER]);
    expect(table.graphMedia('upl_sent', NUMBER)?.mediaId).toBe('9000000001');
  });

  it('removes the media ids kept for an unused upload with it', async () => {
    stored('upl_uploaded_not_sent');
    table.saveGraphMedia('upl_uploaded_not_sent', NUMBER, { mediaId: '9000000002', uploadedAt: clock.now() });
    clock.advance(UNUSED_UPLOAD_LIFETIME_MS + HOUR);

    expect(await removeUnusedUploads(deps)).toBe(1);
    expect(table.graphMedia('upl_uploaded_not_sent', NUMBER)).toBeNull();
  });
});

describe('files without a row', () => {
  it('are removed at start, and files with a row are left alone', async () => {
    stored('upl_known');
    writeFileSync(files.pathOf('upl_crashed_before_insert'), 'half a story');

    expect(await removeOrphanFiles(deps)).toBe(1);
    expect(readdirSync(files.dir)).toEqual(['upl_known']);
  });
});
