// Numbered migrations tracked by SQLite's `PRAGMA user_version`: each runs once, in its own
// transaction together with the version bump, so a crash mid-migration leaves the previous schema.
import type { Database } from 'better-sqlite3';
import { CodedError } from '../../shared/result.ts';

export interface Migration {
  /** 1, 2, 3, ... without gaps: becomes `user_version` once applied. */
  version: number;
  name: string;
  up(db: Database): void;
}

export function schemaVersion(db: Database): number {
  const version: unknown = db.pragma('user_version', { simple: true });
  return typeof version === 'number' ? version : 0;
}

/** Brings the database up to the newest migration; returns the versions it applied. */
export function migrate(db: Database, migrations: readonly Migration[]): number[] {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new CodedError(
        'CACHE_MIGRATIONS_INVALID',
        `Cache migration ${migration.name} is numbered ${migration.version}, expected ${index + 1}`,
      );
    }
  });
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new CodedError(
      'CACHE_TOO_NEW',
      `The local cache was written by a newer Ventana (schema ${current}, this one knows ${migrations.length}). Update Ventana or remove the cache file.`,
    );
  }
  const applied: number[] = [];
  for (const migration of migrations.slice(current)) {
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(migration.version);
  }
  return applied;
}
