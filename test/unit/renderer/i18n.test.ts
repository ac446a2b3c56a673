// Spanish is the source; English and Brazilian Portuguese must say the same things, with the same
// placeholders, or an agent sees a raw "{{time}}" or a missing countdown.
import { describe, expect, it } from 'vitest';
import { createI18n, pickLanguage, resources } from '../../../src/renderer/i18n/index.ts';

function flatten(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of flatten(value as object, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  const source = flatten(resources.es.translation);

  for (const language of ['en', 'pt-BR'] as const) {
    it(`${language} has every Spanish key, none empty, with the same placeholders`, () => {
      const target = flatten(resources[language].translation);
      expect([...target.keys()].sort()).toEqual([...source.keys()].sort());
      for (const [key, text] of source) {
        const translated = target.get(key) ?? '';
        expect(translated.trim(), `${language}:${key}`).not.toBe('');
        expect(placeholders(translated), `${language}:${key}`).toEqual(placeholders(text));
      }
    });
  }

  it('carries the product sentences the agents rely on', () => {
    const { t } = createI18n('es');
    expect(t('composer.windowClosed')).toBe(
      'La ventana de 24 h está cerrada: solo puedes enviar plantillas aprobadas.',
    );
    expect(t('message.status.unknown')).toBe('Resultado desconocido');
    expect(t('sync.catchingUp', { done: 3, total: 9 })).toBe('Sincronizando 3 de 9');
  });
});

describe('language choice', () => {
  it('takes the first preferred language it has, by primary subtag', () => {
    expect(pickLanguage(['pt-PT', 'en-US'])).toBe('pt-BR');
    expect(pickLanguage(['en-GB', 'es'])).toBe('en');
    expect(pickLanguage(['fr-FR', 'es-AR'])).toBe('es');
  });

  it('falls back to Spanish', () => {
    expect(pickLanguage(['de-DE', 'fr'])).toBe('es');
    expect(pickLanguage([])).toBe('es');
  });
});
