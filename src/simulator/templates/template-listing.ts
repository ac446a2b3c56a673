// GET /{version}/{waba-id}/message_templates, paged as Graph pages: {data, paging: {cursors:
// {before, after}, previous?, next?}} where `next` and `previous` are full URLs and the cursors are
// opaque. The page holds at most the configured page size, fewer when `limit` asks for fewer.
import { invalidParameter } from '../graph-errors.ts';
import type { GraphErrorResponse } from '../graph-errors.ts';
import { toMetaTemplate } from './template-store.ts';
import type { MetaTemplate, TemplateStore } from './template-store.ts';

export interface TemplateListing {
  data: MetaTemplate[];
  paging?: { cursors: { before: string; after: string }; previous?: string; next?: string };
}

export interface ListingRequest {
  /** Where the listing lives: `${simulator url}/${version}/${waba id}/message_templates`. */
  endpoint: string;
  query: URLSearchParams;
  /** The largest page the simulator answers. */
  pageSize: number;
}

const encodeCursor = (templateId: string): string => Buffer.from(`tpl:${templateId}`).toString('base64url');

function decodeCursor(cursor: string): string | null {
  const match = /^tpl:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match?.[1] ?? null;
}

function pageUrl(endpoint: string, limit: number, cursor: { after: string } | { before: string }): string {
  const url = new URL(endpoint);
  url.searchParams.set('limit', String(limit));
  if ('after' in cursor) url.searchParams.set('after', cursor.after);
  else url.searchParams.set('before', cursor.before);
  return url.toString();
}

export function listTemplates(
  store: TemplateStore,
  request: ListingRequest,
): { ok: true; listing: TemplateListing } | { ok: false; error: GraphErrorResponse } {
  const { query } = request;
  const rawLimit = query.get('limit');
  let limit = request.pageSize;
  if (rawLimit !== null) {
    if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1) {
      return { ok: false, error: invalidParameter(`limit must be a positive integer, got '${rawLimit}'`) };
    }
    limit = Math.min(Number(rawLimit), request.pageSize);
  }
  const cursors: { after?: string; before?: string } = {};
  for (const key of ['after', 'before'] as const) {
    const raw = query.get(key);
    if (raw === null) continue;
    const id = decodeCursor(raw);
    if (id === null) return { ok: false, error: invalidParameter(`the ${key} cursor '${raw}' is not valid`) };
    cursors[key] = id;
  }
  const page = store.page({ limit, ...cursors });
  if (page === undefined) return { ok: false, error: invalidParameter('the paging cursor is not valid') };

  const first = page.templates[0];
  const last = page.templates.at(-1);
  if (first === undefined || last === undefined) return { ok: true, listing: { data: [] } };
  const before = encodeCursor(first.id);
  const after = encodeCursor(last.id);
  return {
    ok: true,
    listing: {
      data: page.templates.map(toMetaTemplate),
      paging: {
        cursors: { before, after },
        ...(page.hasPrevious ? { previous: pageUrl(request.endpoint, limit, { before }) } : {}),
        ...(page.hasNext ? { next: pageUrl(request.endpoint, limit, { after }) } : {}),
      },
    },
  };
}
