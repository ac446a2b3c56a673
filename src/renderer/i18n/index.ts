// One i18next instance per renderer, created synchronously from bundled resources (no loading
// flicker, no network). Spanish is the source and the fallback.
import i18next, { type Module, type i18n } from 'i18next';
import { en } from './locales/en.ts';
import { es } from './locales/es.ts';
import { ptBR } from './locales/pt-BR.ts';

export const SUPPORTED_LANGUAGES = ['es', 'en', 'pt-BR'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'es';

export const resources = {
  es: { translation: es },
  en: { translation: en },
  'pt-BR': { translation: ptBR },
} as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof es };
  }
}

/** The first of the browser's preferred languages we have, by its primary subtag; else Spanish. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'es') return 'es';
    if (primary === 'en') return 'en';
    if (primary === 'pt') return 'pt-BR';
  }
  return DEFAULT_LANGUAGE;
}

export function createI18n(language: Language, plugins: Module[] = []): i18n {
  const instance = i18next.createInstance();
  for (const plugin of plugins) instance.use(plugin);
  void instance.init({
    resources,
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...SUPPORTED_LANGUAGES],
    load: 'currentOnly',
    initAsync: false,
    // React escapes on render; escaping here too would show entities.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
