// Readiness against a real SQLite file: ready while the relay can take the write lock, not ready
// while another process holds it, once the database is closed, or once shutdown began.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReadiness } from '../../../src/relay/api/readiness.ts';

let dir: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-readiness-'));
  db = new Database(join(dir, 'relay.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE t (x INTEGER)');
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('readiness', () => {
  it('is ready while the database takes writes, and leaves the busy timeout as it was', () => {
    const readiness = createReadiness(db);
    expect(readiness.check()).toBeNull();
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.inTransaction).toBe(false);
  });

  it('is not ready while another connection holds the write lock, and ready again after', () => {
    const readiness = createReadiness(db);
    const other = new Database(join(dir, 'relay.sqlite'));
    try {
      other.exec('BEGIN IMMEDIATE');
      expect(readiness.check()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      other.exec('ROLLBACK');
      expect(readiness.check()).toBeNull();
    } finally {
      other.close();
    }
  });

  it('is not ready once the database is closed or shutdown began', () => {
    const readiness = createReadiness(db);
    expect(readiness.shuttingDown).toBe(false);
    readiness.beginShutdown();
    expect(readiness.shuttingDown).toBe(true);
    expect(readiness.check()).toMatchObject({ code: 'SHUTTING_DOWN' });

    const afterClose = createReadiness(db);
    db.close();
    expect(afterClose.check()).toEqual({
      code: 'DATABASE_UNAVAILABLE',
      message: 'The relay cannot write to its database: the database is closed',
    });
  });
});
