// Opens (creating if needed) the console's SQLite cache file and brings its schema up to date.
import Database from 'better-sqlite3';
import { cacheMigrations } from './migrations/index.ts';
import { migrate } from './migrate.ts';

export function openCacheDatabase(path: string): Database.Database {
  const db = new Database(path);
  try {
    // WAL: readers never block the sync writer. FULL: an outbox row is on disk before it is sent,
    // even across a power cut, and each applied page of events is durable with its cursor.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    migrate(db, cacheMigrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
