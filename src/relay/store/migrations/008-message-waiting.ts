// Keeps Message.waitingUntil (pacing) with the message, so a snapshot or a restart still shows a
// message held back by Meta's per-recipient limit as waiting.
import type { Migration } from '../migrate.ts';

export const messageWaitingSchema: Migration = {
  version: 8,
  name: 'message-waiting',
  sql: `ALTER TABLE messages ADD COLUMN waiting_until INTEGER;`,
};
