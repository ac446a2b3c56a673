// Every cache migration, in order. A new schema change is a new numbered file appended here;
// a shipped migration is never edited.
import type { Migration } from '../migrate.ts';
import { initialSchema } from './001-initial.ts';
import { inboundSchema } from './002-inbound.ts';
import { searchSchema } from './003-search.ts';
import { searchOrderSchema } from './004-search-order.ts';
import { consoleCatalogsSchema } from './005-console-catalogs.ts';
import { outboxActionsSchema } from './006-outbox-actions.ts';

export const cacheMigrations: readonly Migration[] = [
  initialSchema,
  inboundSchema,
  searchSchema,
  searchOrderSchema,
  consoleCatalogsSchema,
  outboxActionsSchema,
];
