// Templates as Meta's webhooks describe them, keyed by name and language. A change only touches its
// own fields; one older than what is stored (Meta's time) only fills what is still unknown, so
// updates arriving out of order never move a template back. Unchanged means no event.
import { templateKey, type Template } from '../../shared/domain.ts';
import type { RelayStore } from '../store/relay-store.ts';
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
