// Inbound media the relay downloads and keeps: one row per message with media, the retry schedule of
// its download, and where its bytes are once stored. (Written by the media work.)
import type { Migration } from '../migrate.ts';

export const mediaSchema: Migration = {
  version: 3,
  name: 'media',
  sql: `
    CREATE TABLE media (
      message_id TEXT PRIMARY KEY,
      -- Meta's media id: what consoles ask for at GET /v1/media/{id}.
      media_id TEXT NOT NULL,
      -- Visibility: only agents of this number may fetch the bytes.
      phone_number_id TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      -- Relay clock (ms) of the next download attempt; NULL once stored or failed.
      next_attempt_at INTEGER,
      -- Meta forgets webhook media ids after 7 days: the relay gives up then.
      expires_at INTEGER NOT NULL,
      mime_type TEXT,
      -- As announced in the webhook (checked after the download when it is a readable digest).
      sha256 TEXT,
      filename TEXT,
      file_size INTEGER,
      -- Relative to the configured media folder, so the folder can move.
      stored_path TEXT,
      last_error TEXT,
      registered_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX media_by_media_id ON media (media_id);
    CREATE INDEX media_due ON media (next_attempt_at) WHERE state = 'pending';

    -- The last event seq the media downloader has looked at: after a crash it rescans the log from
    -- here, so a message committed just before the crash still gets its media.
    CREATE TABLE media_scan (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      seq INTEGER NOT NULL
    ) STRICT;
    INSERT INTO media_scan (id, seq) VALUES (1, 0);
  `,
};
