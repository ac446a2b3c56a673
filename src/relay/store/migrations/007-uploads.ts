// Media agents upload to send (POST /v1/uploads): the files the relay holds for them, the messages
// that carry each one, and Meta's media id per business number once uploaded there.
import type { Migration } from '../migrate.ts';

export const uploadsSchema: Migration = {
  version: 7,
  name: 'uploads',
  sql: `
    CREATE TABLE uploads (
      upload_id TEXT PRIMARY KEY,
      -- The agent who uploaded it (it may always view its own uploads).
      agent_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('image', 'audio', 'video', 'document', 'sticker')),
      mime_type TEXT NOT NULL,
      size INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      filename TEXT,
      -- Relative to the uploads folder, so the folder can move.
      stored_name TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX uploads_by_created_at ON uploads (created_at);

    -- Every message that carries an upload. An upload with a use is kept (consoles show what was
    -- sent) and is visible to whoever sees that message's number; one without is removed after a day.
    CREATE TABLE upload_uses (
      upload_id TEXT NOT NULL REFERENCES uploads (upload_id),
      message_id TEXT NOT NULL,
      phone_number_id TEXT NOT NULL,
      used_at INTEGER NOT NULL,
      PRIMARY KEY (upload_id, message_id)
    ) STRICT;

    -- Meta's media id for an upload, per business number (media ids belong to the number that
    -- uploaded them): a retried send does not upload the bytes twice.
    CREATE TABLE upload_graph_media (
      upload_id TEXT NOT NULL REFERENCES uploads (upload_id) ON DELETE CASCADE,
      phone_number_id TEXT NOT NULL,
      media_id TEXT NOT NULL,
      uploaded_at INTEGER NOT NULL,
      PRIMARY KEY (upload_id, phone_number_id)
    ) STRICT;
  `,
};
