// The webhook commit queue on a real SQLite store: bodies that arrive together are committed in one
// transaction (one fsync, one fan-out) and each is answered only once committed; one bad body never
// fails the others; a database that cannot take the batch refuses all of it and stores nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.ts';
import { relayEventSchema } from '../../src/shared/protocol.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../src/relay/store/sqlite-relay-store.ts';
import { createWebhookCommitQueue, type WebhookReceipt } from '../../src/relay/webhook/commit-queue.ts';

const NUMBER = '420000000000003';

function textWebhook(wamid: string): Buffer {
  const customer = '5215512340000';
  return Buffer.from(
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '310000000000003',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550003333', phone_number_id: NUMBER },
                contacts: [{ profile: { name: 'Ana' }, wa_id: customer }],
                messages: [
                  { from: customer, id: wamid, timestamp: '1790000000', type: 'text', text: { body: wamid } },
                ],
              },
            },
          ],
        },
      ],
    }),
  );
}

let dir: string;
let dbPath: string;
let store: SqliteRelayStore;
/** The messages of each commit, as the sync server is told about them. */
let commits: string[][];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-commit-queue-'));
  dbPath = join(dir, 'relay.sqlite');
  store = openSqliteRelayStore(dbPath);
  commits = [];
  store.onEvents((events) =>
    commits.push(
      events.flatMap((event) => {
        const parsed = relayEventSchema.parse(JSON.parse(event.json));
        return parsed.type === 'message.upserted' ? [parsed.message.id] : [];
      }),
    ),
  );
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const queueOn = (maxBatch?: number) =>
  createWebhookCommitQueue({
    store,
    clock: new ManualClock(),
    logger: pino({ level: 'silent' }),
    ...(maxBatch === undefined ? {} : { maxBatch }),
  });

/** What another process reading the file sees: only committed rows. */
function committedMessageIds(): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare<[], string>('SELECT id FROM messages ORDER BY id').pluck().all();
  } finally {
    db.close();
  }
}

function unrecognizedReasons(): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare<[], string>('SELECT reason FROM unrecognized_webhooks ORDER BY id').pluck().all();
  } finally {
    db.close();
  }
}

describe('webhook commit queue', () => {
  it('commits bodies that arrive together in one transaction, answering each only after the commit', async () => {
    const queue = queueOn();
    const wamids = ['wamid.q1', 'wamid.q2', 'wamid.q3', 'wamid.q4', 'wamid.q5'];
    const seenAtAnswer: string[][] = [];
    await Promise.all(
      wamids.map((wamid) =>
        queue.submit(textWebhook(wamid)).then((receipt) => {
          expect(receipt.kind).toBe('ingested');
          seenAtAnswer.push(committedMessageIds());
        }),
      ),
    );
    // One commit carried all five, and every answer came after it: each body was already readable
    // by another connection when it was answered.
    expect(commits).toEqual([wamids]);
    expect(seenAtAnswer).toEqual(wamids.map(() => wamids));
    expect(queue.waiting).toBe(0);
  });

  it('bounds a batch: more bodies than maxBatch take several commits', async () => {
    const queue = queueOn(2);
    const receipts = await Promise.all(
      ['wamid.b1', 'wamid.b2', 'wamid.b3', 'wamid.b4', 'wamid.b5'].map((wamid) =>
        queue.submit(textWebhook(wamid)),
      ),
    );
    expect(receipts.map((r) => r.kind)).toEqual(['ingested', 'ingested', 'ingested', 'ingested', 'ingested']);
    expect(commits).toEqual([['wamid.b1', 'wamid.b2'], ['wamid.b3', 'wamid.b4'], ['wamid.b5']]);
    expect(committedMessageIds()).toHaveLength(5);
  });

  it('keeps unreadable bodies raw in the same batch as readable ones', async () => {
    const queue = queueOn();
    const receipts = await Promise.all([
      queue.submit(textWebhook('wamid.good1')),
      queue.submit(Buffer.from('not json at all')),
      queue.submit(Buffer.from(JSON.stringify({ object: 'page', entry: [] }))),
      queue.submit(textWebhook('wamid.good2')),
    ]);
    expect(receipts.map((r) => r.kind)).toEqual(['ingested', 'kept_raw', 'kept_raw', 'ingested']);
    expect(committedMessageIds()).toEqual(['wamid.good1', 'wamid.good2']);
    expect(unrecognizedReasons()).toEqual([
      'body is not JSON',
      expect.stringContaining('not a WhatsApp webhook'),
    ]);
  });

  it('does not let one body that fails to apply fail the others of its batch: that one is kept raw', async () => {
    // A real SQLite failure on one row only.
    store.database.exec(`CREATE TRIGGER poison BEFORE INSERT ON messages WHEN NEW.id = 'wamid.poison'
      BEGIN SELECT RAISE(ABORT, 'poisoned row'); END`);
    const queue = queueOn();
    const receipts: WebhookReceipt[] = await Promise.all(
      ['wamid.p1', 'wamid.poison', 'wamid.p2'].map((wamid) => queue.submit(textWebhook(wamid))),
    );
    expect(receipts.map((r) => r.kind)).toEqual(['ingested', 'kept_raw', 'ingested']);
    expect(receipts[1]).toMatchObject({ reason: expect.stringContaining('poisoned row') as unknown });
    expect(committedMessageIds()).toEqual(['wamid.p1', 'wamid.p2']);
    expect(unrecognizedReasons()).toEqual([expect.stringContaining('could not be applied: poisoned row')]);
  });

  it('refuses the whole batch, storing nothing, when the database is locked by another writer', async () => {
    store.database.pragma('busy_timeout = 20');
    const other = new Database(dbPath);
    other.exec('BEGIN IMMEDIATE');
    const queue = queueOn();
    const outcomes = await Promise.allSettled(
      ['wamid.l1', 'wamid.l2'].map((wamid) => queue.submit(textWebhook(wamid))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(outcomes[0]).toMatchObject({ reason: { code: 'SQLITE_BUSY' } });
    other.exec('ROLLBACK');
    other.close();
    expect(committedMessageIds()).toEqual([]);
    expect(unrecognizedReasons()).toEqual([]);

    // Meta redelivers: now it goes through.
    const retried = await Promise.all(
      ['wamid.l1', 'wamid.l2'].map((wamid) => queue.submit(textWebhook(wamid))),
    );
    expect(retried.map((r) => r.kind)).toEqual(['ingested', 'ingested']);
    expect(committedMessageIds()).toEqual(['wamid.l1', 'wamid.l2']);
  });
});
