// Template webhooks: status (approved, rejected, paused...), category and quality updates. Each
// names its template by name and language (the relay's key) and changes only its own fields.
import { z } from 'zod';
import type { NormalizedWebhook, TemplateChange } from '../normalized.ts';
import { idSchema, nonEmpty, type ChangeContext } from './common.ts';

const templateRefSchema = z.looseObject({
  message_template_id: idSchema.optional().catch(undefined),
  message_template_name: z.string().min(1),
  message_template_language: z.string().min(1),
});

const statusUpdateSchema = templateRefSchema.extend({
  event: z.string().min(1),
  reason: z.string().nullish(),
  message_template_category: z.string().optional(),
  rejection_info: z.looseObject({ reason: z.string().optional() }).optional().catch(undefined),
  other_info: z
    .looseObject({ title: z.string().optional(), description: z.string().optional() })
    .optional()
    .catch(undefined),
});

const categoryUpdateSchema = templateRefSchema.extend({ new_category: z.string().min(1) });

const qualityUpdateSchema = templateRefSchema.extend({ new_quality_score: z.string().min(1) });

type TemplateRef = z.infer<typeof templateRefSchema>;

const changeFor = (ref: TemplateRef, context: ChangeContext): TemplateChange => ({
  name: ref.message_template_name,
  language: ref.message_template_language,
  id: ref.message_template_id ?? null,
  at: context.entryTime,
});

function read<T>(
  schema: z.ZodType<T>,
  value: unknown,
  context: ChangeContext,
  into: NormalizedWebhook,
  toChange: (value: T) => TemplateChange,
): void {
  const parsed = schema.safeParse(value);
  if (parsed.success) into.templates.push(toChange(parsed.data));
  else into.unhandled.push(`${context.where}: ${z.prettifyError(parsed.error)}`);
}

/** Meta's words on why a template's status changed; "NONE" means there is no reason. */
function reasonOf(update: z.infer<typeof statusUpdateSchema>): string | null {
  const reason = nonEmpty(update.reason);
  return (
    nonEmpty(update.rejection_info?.reason) ??
    nonEmpty(update.other_info?.description) ??
    nonEmpty(update.other_info?.title) ??
    (reason === 'NONE' ? null : reason)
  );
}

export function readTemplateStatusUpdate(
  value: unknown,
  context: ChangeContext,
  into: NormalizedWebhook,
): void {
  read(statusUpdateSchema, value, context, into, (update) => {
    const change: TemplateChange = {
      ...changeFor(update, context),
      status: update.event,
      reason: reasonOf(update),
    };
    if (update.message_template_category !== undefined) change.category = update.message_template_category;
    return change;
  });
}

export function readTemplateCategoryUpdate(
  value: unknown,
  context: ChangeContext,
  into: NormalizedWebhook,
): void {
  read(categoryUpdateSchema, value, context, into, (update) => ({
    ...changeFor(update, context),
    category: update.new_category,
  }));
}

export function readTemplateQualityUpdate(
  value: unknown,
  context: ChangeContext,
  into: NormalizedWebhook,
): void {
  read(qualityUpdateSchema, value, context, into, (update) => ({
    ...changeFor(update, context),
    quality: update.new_quality_score,
  }));
}
