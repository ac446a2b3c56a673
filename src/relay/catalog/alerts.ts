// Alerts: what an admin must hear about that is not a conversation. Each is stored once (its id is
// derived from the delivery that raised it) and logged as an `alert.raised` event, which only admins see.
import { createHash } from 'node:crypto';
import type { Alert } from '../../shared/domain.ts';
import type { RelayStore } from '../store/relay-store.ts';

/** A stable alert id for the part `where` of the body `rawBody`: the same delivery twice gives the same id. */
export function alertIdFor(kind: Alert['kind'], rawBody: Buffer, where: string): string {
  const digest = createHash('sha256').update(rawBody).update('\0').update(where).digest('hex');
  return `${kind}:${digest.slice(0, 32)}`;
}

/** Stores the alert and logs its event; nothing happens when it was raised before. Returns whether it was new. */
export function raiseAlert(store: RelayStore, alert: Alert, phoneNumberId: string | null): boolean {
  return store.transaction(() => {
    if (!store.insertAlert(alert)) return false;
    store.appendEvent({ type: 'alert.raised', at: alert.at, phoneNumberId, alert });
    return true;
  });
}

/** The alert for a body kept raw in unrecognized_webhooks (row `rowId`). */
export function unrecognizedWebhookAlert(input: {
  rowId: number;
  reason: string;
  bytes: number;
  sha256: string;
  at: number;
}): Alert {
  const firstLine = input.reason.split('\n')[0] ?? input.reason;
  return {
    id: `unrecognized_webhook:${input.rowId}`,
    kind: 'unrecognized_webhook',
    title: `Webhook kept raw: ${firstLine}`,
    details: {
      table: 'unrecognized_webhooks',
      unrecognizedWebhookId: input.rowId,
      reason: input.reason,
      bytes: input.bytes,
      sha256: input.sha256,
    },
    at: input.at,
  };
}
