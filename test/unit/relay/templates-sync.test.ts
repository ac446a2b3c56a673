// Meta's template list read page by page, and applied to a real SQLite store: merged with what
// webhooks already said (newer word wins, components come from the list), an event only for a real
// change, and templates Meta no longer lists kept but marked DELETED.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Template } from '../../../src/shared/domain.ts';
import type { RelayEvent } from '../../../src/shared/protocol.ts';
import {
  applyTemplateChange,
  applyTemplateListing,
  templateFromListing,
} from '../../../src/relay/catalog/templates.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';
import { readTemplatePage, type ListedTemplate } from '../../../src/relay/templates/template-listing.ts';
import { nextPageUrl, templateListUrl } from '../../../src/relay/templates/template-source.ts';

const readFixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/templates', name), 'utf8'));

const listed = (extra: Partial<ListedTemplate> = {}): ListedTemplate => ({
  id: '948201736451120',
  name: 'order_update',
  language: 'en_US',
  status: 'APPROVED',
  category: 'UTILITY',
  quality: null,
  reason: null,
  parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is {{3}}.' }],
  ...extra,
});

describe('readTemplatePage', () => {
  it('reads each entry in the relay’s words and points at the next page by cursor', () => {
    const page = readTemplatePage(readFixture('page-with-next.json'));
    expect(page.templates).toEqual([
      listed({ quality: 'GREEN' }),
      listed({
        id: '948201736451135',
        name: 'mega_sale',
        status: 'REJECTED',
        category: 'MARKETING',
        reason: 'INVALID_FORMAT',
        parameterFormat: null,
        components: [{ type: 'BODY', text: 'Only today: {{1}}{{2}} off' }],
      }),
    ]);
    expect(page.unreadable).toEqual([
      {
        key: { name: 'welcome_back', language: 'en_US' },
        problem: expect.stringContaining('status') as unknown,
      },
      { key: null, problem: expect.stringContaining('name') as unknown },
    ]);
    expect(page.next).toEqual({ after: 'QVFIUkVaNTBxNXl3cWpDY2kwOGxKOFpD' });
  });

  it('knows the last page by its missing `next`, even with cursors', () => {
    const page = readTemplatePage(readFixture('account-templates.json'));
    expect(page.next).toBeNull();
    expect(page.templates).toHaveLength(17);
    expect(page.unreadable).toEqual([]);
  });

  it('follows the `next` URL when Meta gives no cursor', () => {
    expect(readTemplatePage({ data: [], paging: { next: 'https://graph.example/next' } }).next).toEqual({
      url: 'https://graph.example/next',
    });
  });

  it('refuses an answer that is not a page, with a code', () => {
    expect(() => readTemplatePage({ templates: [] })).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_SYNC_FAILED' }),
    );
  });
});

describe('the template list’s pages', () => {
  const first = templateListUrl({
    baseUrl: 'https://graph.facebook.com/',
    version: 'v23.0',
    wabaId: '102290129340398',
    pageSize: 50,
  });

  it('asks for the fields the relay keeps, a page size, and the next page by cursor', () => {
    expect(first.origin + first.pathname).toBe(
      'https://graph.facebook.com/v23.0/102290129340398/message_templates',
    );
    expect(first.searchParams.get('limit')).toBe('50');
    expect(first.searchParams.get('fields')?.split(',')).toEqual(
      expect.arrayContaining(['name', 'language', 'status', 'components', 'parameter_format']),
    );
    const next = nextPageUrl(first, { after: 'QVFIUk' });
    expect(next.searchParams.get('after')).toBe('QVFIUk');
    expect(next.searchParams.get('fields')).toBe(first.searchParams.get('fields'));
  });

  it('follows Meta’s own link only on the Graph host, so the token never leaves for another server', () => {
    const link = 'https://graph.facebook.com/v23.0/102290129340398/message_templates?after=X&limit=25';
    expect(nextPageUrl(first, { url: link }).href).toBe(link);
    expect(() => nextPageUrl(first, { url: 'https://collector.example/steal?after=X' })).toThrow(
      /points its next page at https:\/\/collector\.example/,
    );
    expect(() => nextPageUrl(first, { url: 'not a url' })).toThrow(/not a URL/);
  });
});

describe('templateFromListing', () => {
  const paused: Template = {
    key: 'order_update:en_US',
    id: '948201736451120',
    name: 'order_update',
    language: 'en_US',
    status: 'PAUSED',
    category: 'UTILITY',
    quality: 'RED',
    reason: 'Customers blocked it',
    updatedAt: 2_000,
    parameterFormat: null,
    components: [],
  };

  it('a list newer than the webhook sets the status; the content always comes from the list', () => {
    expect(templateFromListing(paused, listed(), 3_000)).toEqual({
      ...paused,
      status: 'APPROVED',
      reason: null,
      updatedAt: 3_000,
      parameterFormat: 'POSITIONAL',
      components: listed().components,
    });
  });

  it('a webhook newer than the start of the list keeps its word, and its reason', () => {
    expect(templateFromListing(paused, listed({ quality: 'GREEN' }), 1_500)).toEqual({
      ...paused,
      parameterFormat: 'POSITIONAL',
      components: listed().components,
    });
  });

  it('keeps the webhook’s reason while the status stands', () => {
    expect(templateFromListing(paused, listed({ status: 'PAUSED' }), 3_000).reason).toBe(
      'Customers blocked it',
    );
  });

  it('a template first heard of by its quality gets its status from the list', () => {
    const qualityOnly = { ...paused, status: 'UNKNOWN', reason: null, updatedAt: 5_000 };
    expect(templateFromListing(qualityOnly, listed(), 3_000).status).toBe('APPROVED');
  });
});

describe('applyTemplateListing on a SQLite store', () => {
  let dir: string;
  let store: SqliteRelayStore;
  let events: RelayEvent[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ventana-template-sync-'));
    store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
    events = [];
    store.onEvents((stored) => events.push(...stored.map((e) => JSON.parse(e.json) as RelayEvent)));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const apply = (
    templates: ListedTemplate[],
    at: number,
    extra: { alsoListed?: string[]; complete?: boolean } = {},
  ) =>
    store.transaction(() =>
      applyTemplateListing(
        store,
        { templates, alsoListed: extra.alsoListed ?? [], complete: extra.complete ?? true },
        at,
      ),
    );

  const coupon = listed({ id: '948201736451128', name: 'autumn_coupon', category: 'MARKETING' });

  it('stores each template with its components and logs one event per real change', () => {
    expect(apply([listed(), coupon], 1_000)).toEqual({ changed: 2, delisted: 0 });
    expect(events.map((e) => e.type === 'template.upserted' && e.template.key)).toEqual([
      'order_update:en_US',
      'autumn_coupon:en_US',
    ]);
    expect(store.getTemplate('order_update:en_US')).toMatchObject({
      status: 'APPROVED',
      parameterFormat: 'POSITIONAL',
      components: listed().components,
      updatedAt: 1_000,
    });
    events = [];
    expect(apply([listed(), coupon], 2_000)).toEqual({ changed: 0, delisted: 0 });
    expect(events).toEqual([]);
    expect(store.getTemplate('order_update:en_US')?.updatedAt).toBe(1_000);
  });

  it('marks a template Meta no longer lists DELETED (kept), and brings it back when it returns', () => {
    apply([listed(), coupon], 1_000);
    events = [];
    expect(apply([listed()], 2_000)).toEqual({ changed: 1, delisted: 1 });
    expect(store.getTemplate('autumn_coupon:en_US')).toMatchObject({
      status: 'DELETED',
      reason: 'No longer in the account’s template list at Meta.',
      components: coupon.components,
      updatedAt: 2_000,
    });
    expect(events).toHaveLength(1);
    expect(apply([listed()], 3_000)).toEqual({ changed: 0, delisted: 0 });
    expect(apply([listed(), coupon], 4_000)).toEqual({ changed: 1, delisted: 0 });
    expect(store.getTemplate('autumn_coupon:en_US')).toMatchObject({ status: 'APPROVED', reason: null });
  });

  it('delists nothing from an incomplete list, nor entries it could not read, nor templates only a webhook named', () => {
    apply([listed(), coupon], 1_000);
    applyTemplateChange(
      store,
      { name: 'brand_new', language: 'en_US', id: '1', at: 1_500, status: 'APPROVED', reason: null },
      1_500,
    );
    expect(apply([], 2_000, { complete: false })).toEqual({ changed: 0, delisted: 0 });
    expect(apply([listed()], 2_000, { alsoListed: ['autumn_coupon:en_US'] })).toEqual({
      changed: 0,
      delisted: 0,
    });
    expect(store.getTemplate('autumn_coupon:en_US')?.status).toBe('APPROVED');
    expect(store.getTemplate('brand_new:en_US')?.status).toBe('APPROVED');
  });

  it('a webhook after the sync changes the status and keeps the synced components', () => {
    apply([listed()], 1_000);
    applyTemplateChange(
      store,
      {
        name: 'order_update',
        language: 'en_US',
        id: null,
        at: 5_000,
        status: 'PAUSED',
        reason: 'Low quality',
      },
      5_000,
    );
    expect(store.getTemplate('order_update:en_US')).toMatchObject({
      status: 'PAUSED',
      reason: 'Low quality',
      components: listed().components,
    });
    // A sync that started before the pause does not undo it.
    apply([listed()], 4_000);
    expect(store.getTemplate('order_update:en_US')?.status).toBe('PAUSED');
  });
});
