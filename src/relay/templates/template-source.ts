// Fetches every page of the account's templates from the Graph API with the access token:
// `GET /{version}/{waba-id}/message_templates?limit=N`, then the next page by Meta's cursor (or its
// `next` URL, followed only on the Graph host itself so the token never leaves for another server).
// Failures are CodedErrors whose message is safe to log and show (never the token).
import { z } from 'zod';
import { CodedError } from '../../shared/result.ts';
import { readTemplatePage, type ListedTemplate, type UnreadableTemplate } from './template-listing.ts';

export interface TemplateListing {
  templates: ListedTemplate[];
  unreadable: UnreadableTemplate[];
  pages: number;
}

export interface TemplateSource {
  /** Every template of the account, across every page. */
  listAll(signal: AbortSignal): Promise<TemplateListing>;
}

export interface TemplateSourceOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  wabaId: string;
  /** Limit per Graph call. */
  timeoutMs: number;
  /** Templates asked for per page (Meta's default is 25; fewer calls count against the rate limit). */
  pageSize?: number;
}

const DEFAULT_PAGE_SIZE = 100;
/** A safety stop against a paging loop: 1,000 pages is far beyond any real account. */
const MAX_PAGES = 1_000;
const FIELDS = 'id,name,language,status,category,parameter_format,components,rejected_reason,quality_score';

function fail(message: string): CodedError {
  return new CodedError('TEMPLATE_SYNC_FAILED', message);
}

function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? `connection failed (${cause.code})` : 'connection failed';
}

const graphErrorSchema = z.looseObject({
  error: z.looseObject({ code: z.number().optional(), message: z.string().optional() }),
});

/** "HTTP 401 (190: Invalid OAuth access token)" from a Graph error answer, or just "HTTP 401". */
function describeHttpFailure(status: number, json: unknown): string {
  const parsed = graphErrorSchema.safeParse(json);
  if (!parsed.success) return `HTTP ${status}`;
  const { code, message } = parsed.data.error;
  const detail = [code, message].filter((part) => part !== undefined).join(': ');
  return detail === '' ? `HTTP ${status}` : `HTTP ${status} (${detail.slice(0, 200)})`;
}

/** The first page of the account's template list. */
export function templateListUrl(
  options: Pick<TemplateSourceOptions, 'baseUrl' | 'version' | 'wabaId' | 'pageSize'>,
): URL {
  const base = options.baseUrl.replace(/\/+$/, '');
  const url = new URL(`${base}/${options.version}/${encodeURIComponent(options.wabaId)}/message_templates`);
  url.searchParams.set('fields', FIELDS);
  url.searchParams.set('limit', String(options.pageSize ?? DEFAULT_PAGE_SIZE));
  return url;
}

/**
 * The page after one whose answer pointed at `next`: by cursor on the first page's URL (same fields
 * and size), else Meta's own link, but only on the Graph host the token belongs to.
 */
export function nextPageUrl(firstPage: URL, next: { after: string } | { url: string }): URL {
  if ('after' in next) {
    const url = new URL(firstPage);
    url.searchParams.set('after', next.after);
    return url;
  }
  if (!URL.canParse(next.url)) throw fail('Meta answered a next-page link that is not a URL; stopped.');
  const url = new URL(next.url);
  if (url.origin !== firstPage.origin)
    throw fail(`The template list points its next page at ${url.origin}, not the Graph API; stopped.`);
  return url;
}

export function createTemplateSource(options: TemplateSourceOptions): TemplateSource {
  const firstPage = templateListUrl(options);

  async function fetchPage(url: URL, pageNumber: number, signal: AbortSignal): Promise<unknown> {
    const what = `Fetching page ${pageNumber} of the template list`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${options.accessToken}` },
        signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw error;
      throw fail(`${what}: ${describeFetchFailure(error)}`);
    }
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Described by the status below.
    }
    // Meta can answer an error envelope with HTTP 200.
    if (!response.ok || graphErrorSchema.safeParse(json).success)
      throw fail(`${what}: ${describeHttpFailure(response.status, json)}`);
    if (json === null) throw fail(`${what}: the answer is not JSON`);
    return json;
  }

  return {
    async listAll(signal) {
      const templates: ListedTemplate[] = [];
      const unreadable: UnreadableTemplate[] = [];
      const seen = new Set<string>();
      let url: URL | null = firstPage;
      let pages = 0;
      while (url !== null) {
        pages += 1;
        if (pages > MAX_PAGES) throw fail(`The template list has more than ${MAX_PAGES} pages; stopped.`);
        const page = readTemplatePage(await fetchPage(url, pages, signal));
        templates.push(...page.templates);
        unreadable.push(...page.unreadable);
        seen.add(url.href);
        url = page.next === null ? null : nextPageUrl(firstPage, page.next);
        if (url !== null && seen.has(url.href))
          throw fail('Meta pointed the template list back at a page already read; stopped.');
      }
      return { templates, unreadable, pages };
    },
  };
}
