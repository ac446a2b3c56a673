// Applies one normalized webhook in ONE transaction: business numbers, messages, statuses, templates,
// alerts, their events, and the raw body of whatever could not be applied. Only after this returns
// (committed) is Meta answered 200. A duplicate delivery changes nothing and logs nothing.
import { alertIdFor, raiseAlert } from '../catalog/alerts.ts';
import { applyQualityChange, noteBusinessNumber } from '../catalog/phone-numbers.ts';
import { applyTemplateChange } from '../catalog/templates.ts';
import { recordInbound } from '../messages/inbound-message.ts';
import { recordStatus } from '../messages/message-log.ts';
import type { RelayStore } from '../store/relay-store.ts';
import type { NormalizedWebhook } from './normalized.ts';

export interface IngestOutcome {
  messagesAdded: number;
  duplicates: number;
  statusesApplied: number;
  statusesParked: number;
  statusesIgnored: number;
  templatesUpdated: number;
  phoneNumbersUpdated: number;
  alertsRaised: number;
  /** True when the raw body was kept in unrecognized_webhooks (some part of it was not applied). */
  keptRaw: boolean;
}

export function ingestWebhook(
  store: RelayStore,
  webhook: NormalizedWebhook,
  rawBody: Buffer,
  now: number,
): IngestOutcome {
  return store.transaction(() => {
    const outcome: IngestOutcome = {
      messagesAdded: 0,
      duplicates: 0,
      statusesApplied: 0,
      statusesParked: 0,
      statusesIgnored: 0,
      templatesUpdated: 0,
      phoneNumbersUpdated: 0,
      alertsRaised: 0,
      keptRaw: false,
    };
    const unapplied = [...webhook.unhandled];

    for (const sighting of webhook.phoneNumbers)
      if (noteBusinessNumber(store, sighting, now)) outcome.phoneNumbersUpdated += 1;

    for (const inbound of webhook.messages) {
      if (recordInbound(store, inbound, now)) outcome.messagesAdded += 1;
      else outcome.duplicates += 1;
    }

    for (const update of webhook.statuses) {
      const result = recordStatus(store, update, now);
      if (result === 'applied') outcome.statusesApplied += 1;
      else if (result === 'parked') outcome.statusesParked += 1;
      else outcome.statusesIgnored += 1;
    }

    for (const change of webhook.templates)
      if (applyTemplateChange(store, change, now)) outcome.templatesUpdated += 1;

    for (const change of webhook.qualityChanges) {
      const result = applyQualityChange(store, change, now);
      if (result === 'applied') outcome.phoneNumbersUpdated += 1;
      else if (result === 'unknown_number')
        unapplied.push(
          `${change.where}: phone_number_quality_update for ${change.displayPhoneNumber}, a number no messages webhook has named yet`,
        );
    }

    for (const notice of webhook.alerts) {
      const alert = {
        id: alertIdFor(notice.kind, rawBody, notice.where),
        kind: notice.kind,
        title: notice.title,
        details: notice.details,
        at: now,
      };
      if (raiseAlert(store, alert, notice.phoneNumberId)) outcome.alertsRaised += 1;
    }

    if (unapplied.length > 0) {
      store.saveUnrecognizedWebhook(rawBody, unapplied.join('\n'), now);
      outcome.keptRaw = true;
    }
    return outcome;
  });
}
