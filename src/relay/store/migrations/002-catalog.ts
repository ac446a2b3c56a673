// Templates, business phone numbers and admin alerts; media and reply context on messages; the
// referral on conversations. (Written by the inbound-webhooks work.)
import type { Migration } from '../migrate.ts';

export const catalogSchema: Migration = {
  version: 2,
  name: 'catalog',
  sql: ``,
};
