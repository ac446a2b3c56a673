// What a webhook body says, once read: the plain records `normalize.ts` produces and `ingest.ts`
// applies. Nothing here touches the store; applying them (dedupe, merging with what is stored) is
// the ingest side's job.
import type { Alert, Customer, Media, MessageContext, Referral, WhatsAppError } from '../../shared/domain.ts';
import type { StatusUpdate } from '../messages/status-update.ts';

export interface InboundMessage {
  /** The business number that received it (metadata.phone_number_id). */
  phoneNumberId: string;
  customer: Customer;
  waMessageId: string;
  /** Meta's type, kept as it came even when the relay does not know it. */
  type: string;
  /** Body, caption or the closest thing to a text the type has; null when none. */
  text: string | null;
  /**
   * A short, language-neutral line for the conversation list ("📷", "📍 Casa"); null when the message
   * should not replace the last one there (a reaction being removed).
   */
  preview: string | null;
  /** Meta's timestamp (ms). */
  timestamp: number;
  /** The type-specific object (`message[type]`); the whole raw message for unknown types and types without one. */
  payload: Record<string, unknown>;
  /** Meta's error on the message itself (unsupported type, media download failure), if any. */
  error: WhatsAppError | null;
  /** The attached media, to be downloaded by the relay (state `pending`). */
  media: Media | null;
  context: MessageContext | null;
  /** The ad or Page call-to-action the message came through (a free entry point). */
  referral: Referral | null;
}

/** What a template webhook changes; fields left undefined are not touched. */
export interface TemplateChange {
  name: string;
  language: string;
  /** Meta's template id, when the webhook carries it. */
  id: string | null;
  /** Meta's time of the change (entry.time, ms), or null when the webhook has none. */
  at: number | null;
  status?: string;
  category?: string;
  quality?: string;
  reason?: string | null;
}

/** A business number as a messages webhook names it (metadata). */
export interface PhoneNumberSighting {
  id: string;
  displayPhoneNumber: string | null;
}

/** phone_number_quality_update: Meta names the number only by its display number. */
export interface PhoneNumberQualityChange {
  displayPhoneNumber: string;
  event: string;
  messagingLimit: string | null;
  /** Meta's time of the change (entry.time, ms), or null. */
  at: number | null;
  /** Where in the body it was, for the raw record if the number is unknown. */
  where: string;
}

/** Something for admins that the webhook reported (its id is derived from the delivery at ingest). */
export interface AlertNotice {
  kind: Extract<Alert['kind'], 'account_update' | 'webhook_error'>;
  title: string;
  details: Record<string, unknown>;
  /** The business number it is about, when the webhook names one. */
  phoneNumberId: string | null;
  /** Where in the body it was: with the body's bytes, this makes the alert's id. */
  where: string;
}

export interface NormalizedWebhook {
  messages: InboundMessage[];
  statuses: StatusUpdate[];
  templates: TemplateChange[];
  phoneNumbers: PhoneNumberSighting[];
  qualityChanges: PhoneNumberQualityChange[];
  alerts: AlertNotice[];
  /** Parts of the body the relay does not apply (other fields, unknown statuses, unreadable items). */
  unhandled: string[];
}

export function emptyWebhook(): NormalizedWebhook {
  return {
    messages: [],
    statuses: [],
    templates: [],
    phoneNumbers: [],
    qualityChanges: [],
    alerts: [],
    unhandled: [],
  };
}
