// Business-level subscription fields (cloud-api.md §2.4): template status, category and quality
// updates, phone-number quality updates and account updates. Each is its own `field`, with
// `entry[].time` set, and no `messaging_product`/`metadata` in the value.
import { fieldWebhook } from './envelope.ts';
import type { FieldChange, WebhookEnvelope } from './envelope.ts';

type BusinessWebhook = WebhookEnvelope<FieldChange>;

interface TemplateRef {
  wabaId: string;
  /** When Meta emitted the event (ms); becomes `entry[].time` in seconds. */
  at: number;
  /** Meta's template ids are numbers in these webhooks. */
  templateId: number;
  name: string;
  language: string;
}

function templateFields(template: TemplateRef): Record<string, unknown> {
  return {
    message_template_id: template.templateId,
    message_template_name: template.name,
    message_template_language: template.language,
  };
}

function present(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** A template was approved, rejected, paused, disabled, ... (`reason` is 'NONE' when there is none). */
export function templateStatusUpdateWebhook(
  template: TemplateRef & {
    event: string;
    reason?: string;
    category?: string;
    rejectionInfo?: { reason: string; recommendation: string };
    disableDate?: string;
    otherInfo?: { title: string; description: string };
  },
): BusinessWebhook {
  return fieldWebhook(
    template.wabaId,
    template.at,
    'message_template_status_update',
    present({
      event: template.event,
      ...templateFields(template),
      reason: template.reason ?? 'NONE',
      message_template_category: template.category,
      rejection_info: template.rejectionInfo,
      disable_info: template.disableDate === undefined ? undefined : { disable_date: template.disableDate },
      other_info: template.otherInfo,
    }),
  );
}

/** Meta recategorised a template (with `previousCategory`: done; without: announced). */
export function templateCategoryUpdateWebhook(
  template: TemplateRef & { newCategory: string; previousCategory?: string },
): BusinessWebhook {
  return fieldWebhook(
    template.wabaId,
    template.at,
    'template_category_update',
    present({
      ...templateFields(template),
      previous_category: template.previousCategory,
      new_category: template.newCategory,
    }),
  );
}

/** A template's quality score changed (GREEN, YELLOW, RED, UNKNOWN). */
export function templateQualityUpdateWebhook(
  template: TemplateRef & { previousQuality: string; newQuality: string },
): BusinessWebhook {
  return fieldWebhook(template.wabaId, template.at, 'message_template_quality_update', {
    previous_quality_score: template.previousQuality,
    new_quality_score: template.newQuality,
    ...templateFields(template),
  });
}

/** A business number was flagged, unflagged, upgraded, ...; limits as Meta names them (TIER_2K, ...). */
export function phoneNumberQualityUpdateWebhook(update: {
  wabaId: string;
  at: number;
  displayPhoneNumber: string;
  event: string;
  currentLimit?: string;
  oldLimit?: string;
  maxDailyConversationsPerBusiness?: string;
}): BusinessWebhook {
  return fieldWebhook(
    update.wabaId,
    update.at,
    'phone_number_quality_update',
    present({
      display_phone_number: update.displayPhoneNumber,
      event: update.event,
      old_limit: update.oldLimit,
      current_limit: update.currentLimit,
      max_daily_conversations_per_business: update.maxDailyConversationsPerBusiness,
    }),
  );
}

/** Something happened to the account (ACCOUNT_VIOLATION, ACCOUNT_RESTRICTION, ...); `info` as Meta sends it. */
export function accountUpdateWebhook(update: {
  wabaId: string;
  at: number;
  event: string;
  /** The event's own objects, e.g. { violation_info: { violation_type: 'ADULT' } }. */
  info?: Record<string, unknown>;
}): BusinessWebhook {
  return fieldWebhook(update.wabaId, update.at, 'account_update', { event: update.event, ...update.info });
}
