// Templates, business phone numbers and admin alerts; media and reply context on messages; the
// referral on conversations; and what keeps duplicate deliveries from being kept twice.
import type { Migration } from '../migrate.ts';

export const catalogSchema: Migration = {
  version: 2,
  name: 'catalog',
  sql: `
    ALTER TABLE conversations ADD COLUMN referral_json TEXT;
    -- Customers are found by either id: a username hides the phone number, a later message may reveal it.
    CREATE INDEX conversations_by_customer_wa_id ON conversations (phone_number_id, customer_wa_id);
    CREATE INDEX conversations_by_customer_user_id ON conversations (phone_number_id, customer_user_id);

    ALTER TABLE messages ADD COLUMN media_json TEXT;
    ALTER TABLE messages ADD COLUMN context_json TEXT;

    -- Keyed by name and language (domain templateKey).
    CREATE TABLE templates (
      key TEXT PRIMARY KEY,
      template_json TEXT NOT NULL
    ) STRICT;

    CREATE TABLE phone_numbers (
      id TEXT PRIMARY KEY,
      -- Digits only, to match phone_number_quality_update (which names the number only by its display).
      display_digits TEXT,
      phone_number_json TEXT NOT NULL
    ) STRICT;
    CREATE INDEX phone_numbers_by_display ON phone_numbers (display_digits);

    -- Alert ids derive from the delivery that raised them: a duplicate delivery raises nothing new.
    CREATE TABLE alerts (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      at INTEGER NOT NULL,
      alert_json TEXT NOT NULL
    ) STRICT;

    -- The same raw body delivered twice is kept once.
    ALTER TABLE unrecognized_webhooks ADD COLUMN body_sha256 TEXT;
    CREATE UNIQUE INDEX unrecognized_webhooks_by_body ON unrecognized_webhooks (body_sha256);
  `,
};
