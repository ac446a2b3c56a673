// The business numbers of the account: learnt from every messages webhook (metadata names the id
// and the display number) and updated by phone_number_quality_update, which names a number only by
// its display number. Unchanged means no event.
import type { PhoneNumber } from '../../shared/domain.ts';
import type { RelayStore } from '../store/relay-store.ts';
import type { PhoneNumberQualityChange, PhoneNumberSighting } from '../webhook/normalized.ts';

function save(store: RelayStore, phoneNumber: PhoneNumber, at: number): void {
  store.savePhoneNumber(phoneNumber);
  store.appendEvent({ type: 'phone_number.upserted', at, phoneNumberId: phoneNumber.id, phoneNumber });
}

/** Notes a number seen in a webhook's metadata; returns whether it was new or its display number changed. */
export function noteBusinessNumber(store: RelayStore, sighting: PhoneNumberSighting, now: number): boolean {
  const existing = store.getPhoneNumber(sighting.id);
  const display = sighting.displayPhoneNumber ?? existing?.displayPhoneNumber ?? null;
  if (existing !== null && existing.displayPhoneNumber === display) return false;
  save(
    store,
    {
      id: sighting.id,
      displayPhoneNumber: display,
      qualityEvent: existing?.qualityEvent ?? null,
      messagingLimit: existing?.messagingLimit ?? null,
      updatedAt: now,
    },
    now,
  );
  return true;
}

/**
 * Applies a quality update to the number with that display number. `unknown_number` when the relay
 * has not seen it in any messages webhook yet (the caller keeps the update raw for admins).
 */
export function applyQualityChange(
  store: RelayStore,
  change: PhoneNumberQualityChange,
  now: number,
): 'applied' | 'unchanged' | 'unknown_number' {
  const existing = store.findPhoneNumberByDisplay(change.displayPhoneNumber);
  if (existing === null) return 'unknown_number';
  const messagingLimit = change.messagingLimit ?? existing.messagingLimit;
  if (existing.qualityEvent === change.event && existing.messagingLimit === messagingLimit)
    return 'unchanged';
  save(store, { ...existing, qualityEvent: change.event, messagingLimit, updatedAt: now }, now);
  return 'applied';
}
