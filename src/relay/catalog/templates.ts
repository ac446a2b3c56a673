// Templates as Meta's webhooks and its template list describe them, keyed by name and language. A
// change only touches its own fields; one older than what is stored (Meta's time) only fills what is
// still unknown, so updates arriving out of order never move a template back. Components come only
// from the list. Unchanged means no event.
import { templateKey, type Template } from '../../shared/domain.ts';
import type { RelayStore } from '../store/relay-store.ts';
import type { ListedTemplate } from '../templates/template-listing.ts';
import type { TemplateChange } from '../webhook/normalized.ts';

/** The status of a template the relay heard of only through a category or quality update. */
export const UNKNOWN_TEMPLATE_STATUS = 'UNKNOWN';

const sameTemplate = (a: Template, b: Template): boolean =>
  JSON.stringify({ ...a, updatedAt: 0 }) === JSON.stringify({ ...b, updatedAt: 0 });

export function templateAfter(existing: Template | null, change: TemplateChange, now: number): Template {
  const at = change.at ?? now;
  const stale = existing !== null && at < existing.updatedAt;
  // A newer change wins; an older one only fills a field still empty.
  const pick = <T>(incoming: T | undefined, current: T | null): T | null =>
    incoming === undefined ? current : stale ? (current ?? incoming) : incoming;
  const knownStatus = existing?.status === UNKNOWN_TEMPLATE_STATUS ? null : (existing?.status ?? null);
  const status = pick(change.status, knownStatus);
  return {
    key: templateKey(change.name, change.language),
    id: pick(change.id ?? undefined, existing?.id ?? null),
    name: change.name,
    language: change.language,
    status: status ?? UNKNOWN_TEMPLATE_STATUS,
    category: pick(change.category, existing?.category ?? null),
    quality: pick(change.quality, existing?.quality ?? null),
    // The reason belongs to the status it came with.
    reason: status === change.status && !stale ? (change.reason ?? null) : (existing?.reason ?? null),
    updatedAt: stale ? existing.updatedAt : at,
    // Webhooks never carry components: they come from the template list.
    parameterFormat: existing?.parameterFormat ?? null,
    components: existing?.components ?? [],
  };
}

/** Applies the change and logs `template.upserted`; returns false when it changed nothing. */
export function applyTemplateChange(store: RelayStore, change: TemplateChange, now: number): boolean {
  const existing = store.getTemplate(templateKey(change.name, change.language));
  const next = templateAfter(existing, change, now);
  if (existing !== null && sameTemplate(existing, next)) return false;
  store.saveTemplate(next);
  store.appendEvent({ type: 'template.upserted', at: now, phoneNumberId: null, template: next });
  return true;
}

/** The status of a template that was listed by Meta once and no longer is (deleted in WhatsApp Manager). */
export const DELISTED_TEMPLATE_STATUS = 'DELETED';
const DELISTED_REASON = 'No longer in the account’s template list at Meta.';

/**
 * The template after Meta's list showed it as `listed`, the list being fetched from `at` on.
 * The list is the only source of a template's content, so components and parameter format always
 * come from it. Its status, category, quality and reason are Meta's word at `at`: a webhook Meta
 * sent later (the list was being read meanwhile) keeps its newer word, and the list only fills
 * what is still unknown.
 */
export function templateFromListing(existing: Template | null, listed: ListedTemplate, at: number): Template {
  const stale = existing !== null && at < existing.updatedAt;
  const knownStatus = existing?.status === UNKNOWN_TEMPLATE_STATUS ? null : (existing?.status ?? null);
  const status = stale ? (knownStatus ?? listed.status) : listed.status;
  // A webhook's reason is Meta's fuller word (the list names only rejections): kept while its status stands.
  const reason =
    existing !== null && status === existing.status ? (existing.reason ?? listed.reason) : listed.reason;
  const pick = <T>(incoming: T | null, current: T | null): T | null =>
    stale ? (current ?? incoming) : (incoming ?? current);
  return {
    key: templateKey(listed.name, listed.language),
    id: listed.id ?? existing?.id ?? null,
    name: listed.name,
    language: listed.language,
    status,
    category: pick(listed.category, existing?.category ?? null),
    quality: pick(listed.quality, existing?.quality ?? null),
    reason,
    updatedAt: stale ? existing.updatedAt : at,
    parameterFormat: listed.parameterFormat,
    components: listed.components,
  };
}

/**
 * A template Meta's complete list (fetched from `at` on) no longer holds: kept, so the messages that
 * used it still name it, but marked deleted so nobody picks it. Only templates a list showed before
 * (they have components) are delisted: one known only from a webhook may not be listed yet, and a
 * webhook newer than the list wins.
 */
export function templateDelisted(existing: Template, at: number): Template {
  if (existing.status === DELISTED_TEMPLATE_STATUS || existing.components.length === 0) return existing;
  if (existing.updatedAt > at) return existing;
  return { ...existing, status: DELISTED_TEMPLATE_STATUS, reason: DELISTED_REASON, updatedAt: at };
}

export interface ListingOutcome {
  /** Templates whose stored state changed (each logged one `template.upserted`). */
  changed: number;
  /** Of those, templates marked deleted because the list no longer holds them. */
  delisted: number;
}

/**
 * Applies Meta's template list, fetched from `at` on. `complete`: the list covered every template
 * (no entry was unreadable without a name), so what it misses was deleted at Meta. `alsoListed`:
 * keys of entries the relay could not read, which are neither changed nor delisted.
 * Call inside a store transaction: the list is applied whole or not at all.
 */
export function applyTemplateListing(
  store: RelayStore,
  listing: { templates: ListedTemplate[]; alsoListed: string[]; complete: boolean },
  at: number,
): ListingOutcome {
  let changed = 0;
  let delisted = 0;
  const save = (before: Template | null, after: Template): void => {
    if (before !== null && sameTemplate(before, after)) return;
    store.saveTemplate(after);
    store.appendEvent({ type: 'template.upserted', at, phoneNumberId: null, template: after });
    changed += 1;
  };
  const listed = new Set(listing.alsoListed);
  for (const template of listing.templates) {
    const key = templateKey(template.name, template.language);
    listed.add(key);
    const existing = store.getTemplate(key);
    save(existing, templateFromListing(existing, template, at));
  }
  if (listing.complete) {
    for (const existing of store.listTemplates()) {
      if (listed.has(existing.key)) continue;
      const after = templateDelisted(existing, at);
      if (after === existing) continue;
      save(existing, after);
      delisted += 1;
    }
  }
  return { changed, delisted };
}
