// What the renderer sees of the settings: machine policy merged over the user's settings, with the
// developer's VENTANA_RELAY_URL override slotted in below a locked policy.
import type { PolicyView } from '../../shared/console-api.ts';
import type { EffectivePolicy } from '../policy/index.ts';

/**
 * The relay to sign in to: a locked policy always wins; otherwise the override (VENTANA_RELAY_URL,
 * for development) and then whatever the policy or the user chose.
 */
export function relayUrlFor(effective: EffectivePolicy, override: string | null): string | null {
  if (effective.locked.includes('relayUrl')) return effective.values.relayUrl;
  return override ?? effective.values.relayUrl;
}

export function policyViewOf(effective: EffectivePolicy, override: string | null): PolicyView {
  const relayUrl = relayUrlFor(effective, override);
  return {
    relayUrl: relayUrl === null ? null : normalizeRelayUrl(relayUrl),
    retentionDays: effective.values.retentionDays,
    updateChannel: effective.values.updateChannel,
    locked: [...effective.locked],
    problems: [...effective.problems],
  };
}

/** One spelling per relay (no trailing slash): the keychain entry and the cache folder depend on it. */
export function normalizeRelayUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}
