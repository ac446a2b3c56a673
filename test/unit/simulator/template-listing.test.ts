// The template listing's paging: pages of at most the page size (or a smaller limit), opaque
// cursors, `next`/`previous` only when there is more, and clear refusals of bad paging input.
import { describe, expect, it } from 'vitest';
import { SEED_TEMPLATES } from '../../../src/simulator/templates/catalog.ts';
import { listTemplates } from '../../../src/simulator/templates/template-listing.ts';
import type { TemplateListing } from '../../../src/simulator/templates/template-listing.ts';
import { TemplateStore, toMetaTemplate } from '../../../src/simulator/templates/template-store.ts';
import type { StoredTemplate } from '../../../src/simulator/templates/template-store.ts';

const ENDPOINT = 'http://127.0.0.1:9/v23.0/102290129340398/message_templates';

function seed(name: string, language = 'es_MX'): StoredTemplate {
  const template = SEED_TEMPLATES.find((t) => t.name === name && t.language === language);
  if (template === undefined) throw new Error(`no seed template ${name}`);
  return template;
}

function list(store: TemplateStore, query: string, pageSize = 25): TemplateListing {
  const answer = listTemplates(store, { endpoint: ENDPOINT, query: new URLSearchParams(query), pageSize });
  if (!answer.ok) throw new Error(answer.error.body.error.message);
  return answer.listing;
}

function follow(link: string | undefined): string {
  return new URL(link ?? '').search;
}

describe('listTemplates', () => {
  it('answers everything in one page when it fits, with cursors and no links', () => {
    const store = new TemplateStore(SEED_TEMPLATES);
    const page = list(store, '');
    expect(page.data).toEqual(SEED_TEMPLATES.map(toMetaTemplate));
    expect(page.paging).toEqual({
      cursors: { before: expect.any(String) as unknown, after: expect.any(String) as unknown },
    });
  });

  it('walks forwards with `next` and back with `previous`, each page at most the page size', () => {
    const store = new TemplateStore(SEED_TEMPLATES);
    const first = list(store, '', 2);
    expect(first.data.map((t) => t.id)).toEqual(SEED_TEMPLATES.slice(0, 2).map((t) => t.id));
    expect(first.paging?.previous).toBeUndefined();
    const second = list(store, follow(first.paging?.next), 2);
    expect(second.data.map((t) => t.id)).toEqual(SEED_TEMPLATES.slice(2, 4).map((t) => t.id));
    expect(new URL(second.paging?.next ?? '').origin + new URL(second.paging?.next ?? '').pathname).toBe(
      ENDPOINT,
    );
    const back = list(store, follow(second.paging?.previous), 2);
    expect(back.data).toEqual(first.data);
    expect(list(store, 'limit=1', 2).data).toHaveLength(1);
    expect(list(store, 'limit=50', 2).data).toHaveLength(2);
  });

  it('answers an empty page after the last template, and sees templates added later', () => {
    const store = new TemplateStore(SEED_TEMPLATES.slice(0, 2));
    const page = list(store, '');
    expect(page.paging?.next).toBeUndefined();
    expect(list(store, `after=${page.paging?.cursors.after ?? ''}`)).toEqual({ data: [] });
    store.add({ ...seed('promo_temporada'), id: '42' });
    expect(list(store, `after=${page.paging?.cursors.after ?? ''}`).data.map((t) => t.id)).toEqual(['42']);
  });

  it('refuses a limit that is not a positive integer and cursors it never gave', () => {
    const store = new TemplateStore(SEED_TEMPLATES);
    for (const query of [
      'limit=0',
      'limit=-1',
      'limit=2.5',
      'after=garbage',
      `before=${Buffer.from('tpl:1').toString('base64url')}`,
    ]) {
      const answer = listTemplates(store, {
        endpoint: ENDPOINT,
        query: new URLSearchParams(query),
        pageSize: 25,
      });
      expect(answer.ok, query).toBe(false);
      if (!answer.ok) expect(answer.error.body.error.code).toBe(100);
    }
  });
});

describe('TemplateStore', () => {
  it('keys templates by name and language, refuses a duplicate, and changes status with a reason for rejections', () => {
    const store = new TemplateStore(SEED_TEMPLATES);
    expect(store.find('confirmacion_pedido', 'pt_BR')?.language).toBe('pt_BR');
    expect(store.find('confirmacion_pedido', 'es_AR')).toBeUndefined();
    const { id: _, ...copy } = seed('confirmacion_pedido');
    expect(() => store.add(copy)).toThrow(/already exists/);
    expect(store.setStatus('confirmacion_pedido', 'es_MX', 'REJECTED', 'SCAM')).toMatchObject({
      status: 'REJECTED',
      rejectedReason: 'SCAM',
    });
    expect(store.setStatus('confirmacion_pedido', 'es_MX', 'APPROVED', null).rejectedReason).toBeNull();
    expect(() => store.setStatus('no_existe', 'es', 'PAUSED', null)).toThrow(
      expect.objectContaining({ code: 'SIM_UNKNOWN_TEMPLATE' }),
    );
  });

  it('hands out copies: changing an answer changes nothing stored', () => {
    const store = new TemplateStore(SEED_TEMPLATES);
    const found = store.find('promo_temporada', 'es_MX');
    found?.components.pop();
    expect(store.find('promo_temporada', 'es_MX')?.components).toHaveLength(4);
    expect(SEED_TEMPLATES.find((t) => t.name === 'promo_temporada')?.components).toHaveLength(4);
  });
});
