// The catalog's merge rules, on their own: template changes touch only their fields and never move a
// template back in Meta's time; alert ids are the same for the same delivery and differ otherwise.
import { describe, expect, it } from 'vitest';
import type { Template } from '../../../src/shared/domain.ts';
import { alertIdFor } from '../../../src/relay/catalog/alerts.ts';
import { templateAfter } from '../../../src/relay/catalog/templates.ts';
import type { TemplateChange } from '../../../src/relay/webhook/normalized.ts';

const NOW = 5_000_000;
const change = (extra: Partial<TemplateChange>): TemplateChange => ({
  name: 'confirmacion_pedido',
  language: 'es_MX',
  id: '987654321',
  at: 1_000,
  ...extra,
});
const approved: Template = {
  key: 'confirmacion_pedido:es_MX',
  id: '987654321',
  name: 'confirmacion_pedido',
  language: 'es_MX',
  status: 'APPROVED',
  category: 'UTILITY',
  quality: 'GREEN',
  reason: null,
  updatedAt: 1_000,
  parameterFormat: null,
  components: [],
};

describe('templateAfter', () => {
  it('creates a template from its first status update, keyed by name and language', () => {
    expect(
      templateAfter(null, change({ status: 'PENDING', category: 'UTILITY', reason: null }), NOW),
    ).toEqual({
      ...approved,
      status: 'PENDING',
      quality: null,
    });
  });

  it('marks the status unknown when the first word about a template is its quality', () => {
    expect(templateAfter(null, change({ quality: 'RED' }), NOW)).toMatchObject({
      status: 'UNKNOWN',
      category: null,
      quality: 'RED',
    });
  });

  it('lets a newer change replace only its own fields', () => {
    const paused = templateAfter(
      approved,
      change({ at: 2_000, status: 'PAUSED', reason: 'Baja calidad' }),
      NOW,
    );
    expect(paused).toEqual({ ...approved, status: 'PAUSED', reason: 'Baja calidad', updatedAt: 2_000 });
    const yellow = templateAfter(paused, change({ at: 3_000, quality: 'YELLOW' }), NOW);
    expect(yellow).toEqual({ ...paused, quality: 'YELLOW', updatedAt: 3_000 });
  });

  it('keeps a newer status when an older one arrives late', () => {
    const paused = { ...approved, status: 'PAUSED', reason: 'Baja calidad', updatedAt: 2_000 };
    expect(templateAfter(paused, change({ at: 1_500, status: 'APPROVED', reason: null }), NOW)).toEqual(
      paused,
    );
  });

  it('uses the relay’s time when Meta gives none', () => {
    expect(templateAfter(approved, change({ at: null, category: 'MARKETING' }), NOW)).toMatchObject({
      category: 'MARKETING',
      updatedAt: NOW,
    });
  });
});

describe('alertIdFor', () => {
  it('is the same for the same part of the same delivery, and differs for another part or body', () => {
    const body = Buffer.from('{"entry":[]}');
    const id = alertIdFor('webhook_error', body, 'entry[0].changes[0].errors[0]');
    expect(id).toMatch(/^webhook_error:[0-9a-f]{32}$/);
    expect(alertIdFor('webhook_error', Buffer.from(body), 'entry[0].changes[0].errors[0]')).toBe(id);
    expect(alertIdFor('webhook_error', body, 'entry[0].changes[0].errors[1]')).not.toBe(id);
    expect(
      alertIdFor('webhook_error', Buffer.from('{"entry":[1]}'), 'entry[0].changes[0].errors[0]'),
    ).not.toBe(id);
  });
});
