// One page of Meta's template list (`GET /{waba-id}/message_templates`, cloud-api.md §4), read
// entry by entry: an entry the relay cannot read is reported, never a reason to drop the page.
import { z } from 'zod';
import { CodedError } from '../../shared/result.ts';

/** A template as Meta lists it, in the relay's words. */
export interface ListedTemplate {
  id: string | null;
  name: string;
  language: string;
  /** Upper case (Meta's legacy answers had `approved`). */
  status: string;
  category: string | null;
  quality: string | null;
  /** Meta's rejection reason; null for none. */
  reason: string | null;
  parameterFormat: 'POSITIONAL' | 'NAMED' | null;
  components: Record<string, unknown>[];
}

/** An entry the relay could not read; `key` is null when even its name and language are missing. */
export interface UnreadableTemplate {
  key: { name: string; language: string } | null;
  problem: string;
}

export interface TemplatePage {
  templates: ListedTemplate[];
  unreadable: UnreadableTemplate[];
  /** Where the next page is: Meta's cursor (preferred) or its `next` URL; null on the last page. */
  next: { after: string } | { url: string } | null;
}

const optionalText = z.string().min(1).optional().catch(undefined);

const listedTemplateSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number().transform(String)]).optional(),
  name: z.string().min(1),
  language: z.string().min(1),
  status: z.string().min(1),
  category: optionalText,
  parameter_format: optionalText,
  rejected_reason: optionalText,
  quality_score: z
    .looseObject({ score: z.string().min(1) })
    .optional()
    .catch(undefined),
  components: z.array(z.looseObject({ type: z.string().min(1) })).default([]),
});

const keySchema = z.looseObject({ name: z.string().min(1), language: z.string().min(1) });

const pageSchema = z.looseObject({
  data: z.array(z.unknown()),
  paging: z
    .looseObject({
      cursors: z.looseObject({ after: optionalText }).optional().catch(undefined),
      next: optionalText,
    })
    .optional()
    .catch(undefined),
});

function toListed(entry: z.infer<typeof listedTemplateSchema>): ListedTemplate {
  const format = entry.parameter_format?.toUpperCase();
  return {
    id: entry.id ?? null,
    name: entry.name,
    language: entry.language,
    status: entry.status.toUpperCase(),
    category: entry.category ?? null,
    quality: entry.quality_score?.score ?? null,
    reason:
      entry.rejected_reason === undefined || entry.rejected_reason === 'NONE' ? null : entry.rejected_reason,
    parameterFormat: format === 'POSITIONAL' || format === 'NAMED' ? format : null,
    components: entry.components,
  };
}

/** Reads one answer of the template list; throws TEMPLATE_SYNC_FAILED when it is not a page at all. */
export function readTemplatePage(json: unknown): TemplatePage {
  const page = pageSchema.safeParse(json);
  if (!page.success) {
    throw new CodedError(
      'TEMPLATE_SYNC_FAILED',
      `Meta's template list answer is not a page of templates: ${z.prettifyError(page.error).slice(0, 300)}`,
    );
  }
  const templates: ListedTemplate[] = [];
  const unreadable: UnreadableTemplate[] = [];
  for (const entry of page.data.data) {
    const parsed = listedTemplateSchema.safeParse(entry);
    if (parsed.success) {
      templates.push(toListed(parsed.data));
      continue;
    }
    const key = keySchema.safeParse(entry);
    unreadable.push({
      key: key.success ? { name: key.data.name, language: key.data.language } : null,
      problem: z.prettifyError(parsed.error).slice(0, 300),
    });
  }
  // Meta may keep `cursors.after` on the last page; only `next` says another page exists.
  const { paging } = page.data;
  const next =
    paging?.next === undefined
      ? null
      : paging.cursors?.after !== undefined
        ? { after: paging.cursors.after }
        : { url: paging.next };
  return { templates, unreadable, next };
}
