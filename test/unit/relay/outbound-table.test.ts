// The outbound queue's table in a real SQLite file: which sends may leave next.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboundTable, type OutboundTable } from '../../../src/relay/outbound/outbound-table.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';

let dir: string;
let store: SqliteRelayStore;
let table: OutboundTable;
const T0 = 1_000_000;
const NONE: { phoneNumberIds: string[]; messageIds: string[] } = { phoneNumberIds: [], messageIds: [] };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-outbound-table-'));
  store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
  table = createOutboundTable(store.database);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const enqueue = (messageId: string, recipient: string, phoneNumberId = 'N1') =>
  table.insert(
    { messageId, phoneNumberId, recipient, body: { type: 'text', text: { body: messageId } }, uploads: [] },
    T0,
  );
const ids = (now: number, limit = 10, skip = NONE) =>
  table.dueHeads(now, limit, skip).map((row) => row.messageId);

describe('outbound table', () => {
  it('offers only the oldest send of each recipient, oldest first', () => {
    enqueue('m1', 'A');
    enqueue('m2', 'A');
    enqueue('m3', 'B');
    enqueue('m4', 'A', 'N2');
    expect(ids(T0)).toEqual(['m1', 'm3', 'm4']);
    expect(ids(T0, 2)).toEqual(['m1', 'm3']);
  });

  it('holds a recipient back while its head is being sent or waits, and moves on once it is gone', () => {
    enqueue('m1', 'A');
    enqueue('m2', 'A');
    table.markSending('m1');
    expect(ids(T0)).toEqual([]);
    table.reschedule('m1', { notBefore: T0 + 4_000, attempts: 1, pairLimitHits: 1, lastError: '131056' });
    expect(ids(T0 + 3_999)).toEqual([]);
    expect(table.nextDueAfter(T0)).toBe(T0 + 4_000);
    expect(ids(T0 + 4_000)).toEqual(['m1']);
    expect(table.get('m1')).toMatchObject({
      state: 'queued',
      attempts: 1,
      pairLimitHits: 1,
      lastError: '131056',
    });
    table.remove('m1');
    expect(ids(T0)).toEqual(['m2']);
  });

  it('leaves out numbers that may not send and rows already being worked on', () => {
    enqueue('m1', 'A');
    enqueue('m2', 'B', 'N2');
    enqueue('m3', 'C');
    expect(ids(T0, 10, { phoneNumberIds: ['N1'], messageIds: [] })).toEqual(['m2']);
    expect(ids(T0, 10, { phoneNumberIds: [], messageIds: ['m1'] })).toEqual(['m2', 'm3']);
  });

  it('keeps uploads until their media ids are in the body, and lists rows cut mid-send', () => {
    table.insert(
      {
        messageId: 'm1',
        phoneNumberId: 'N1',
        recipient: 'A',
        body: { type: 'image', image: { caption: 'x' } },
        uploads: [{ uploadId: 'up-1', path: ['image'] }],
      },
      T0,
    );
    expect(table.get('m1')?.uploads).toEqual([{ uploadId: 'up-1', path: ['image'] }]);
    table.resolveUploads('m1', { type: 'image', image: { caption: 'x', id: 'media-1' } });
    expect(table.get('m1')).toMatchObject({ uploads: [], body: { image: { id: 'media-1' } } });
    table.markSending('m1');
    expect(table.listSending().map((row) => [row.messageId, row.attempts])).toEqual([['m1', 1]]);
    expect(table.count()).toBe(1);
  });

  it('refuses a second row for the same message', () => {
    enqueue('m1', 'A');
    expect(() => enqueue('m1', 'A')).toThrow(/UNIQUE/);
  });
});
