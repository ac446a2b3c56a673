// Inbound media the relay downloads and keeps. (Written by the media work.)
import type { Migration } from '../migrate.ts';

export const mediaSchema: Migration = {
  version: 3,
  name: 'media',
  sql: ``,
};
