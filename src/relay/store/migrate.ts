// Numbered migrations tracked by `PRAGMA user_version`: each runs once, in its own transaction,
// together with the version bump, so a crash leaves the schema at a whole version.
import type Database from 'better-sqlite3';
import { CodedError } from '../../shared/result.ts';
import { initialSchema } from './migrations/001-initial.ts';
import { catalogSchema } from './migrations/002-catalog.ts';
import { mediaSchema } from './migrations/003-media.ts';
import { agentsHorizonSchema } from './migrations/004-agents-horizon.ts';
import { outboundSchema } from './migrations/005-outbound.ts';
import { teamSchema } from './migrations/006-team.ts';
import { uploadsSchema } from './migrations/007-uploads.ts';
import { messageWaitingSchema } from './migrations/008-message-waiting.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** In order; append new files here, never edit a released one. */
export const migrations: readonly Migration[] = [
  initialSchema,
  catalogSchema,
  mediaSchema,
  agentsHorizonSchema,
  outboundSchema,
  teamSchema,
  uploadsSchema,
  messageWaitingSchema,
];

export function migrate(db: Database.Database, list: readonly Migration[] = migrations): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  const latest = list.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new CodedError(
      'DB_TOO_NEW',
      `The relay database is at schema version ${current}, newer than this relay knows (${latest}). Run a newer relay.`,
    );
  }
  for (const migration of list) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      if (migration.sql.trim() !== '') db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
