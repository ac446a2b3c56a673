// The bodies POST /{version}/{phone-number-id}/messages accepts, type by type (cloud-api.md §3):
// text, template, media by id or link, reaction, interactive, location, contacts, and the mark-read
// body. A body that fails here gets Meta's (#100) Invalid parameter, naming the field.
import { z } from 'zod';

/** The message types Meta sends; anything else is refused with (#100). */
export const SEND_TYPES = [
  'audio',
  'contacts',
  'document',
  'image',
  'interactive',
  'location',
  'reaction',
  'sticker',
  'template',
  'text',
  'video',
] as const;
export type SendType = (typeof SEND_TYPES)[number];

export const MEDIA_SEND_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaSendType = (typeof MEDIA_SEND_TYPES)[number];

const envelope = {
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual').optional(),
  to: z.string().trim().min(1),
  context: z.object({ message_id: z.string().min(1) }).optional(),
  biz_opaque_callback_data: z.string().max(512).optional(),
};

const oneSource = (media: { id?: string | undefined; link?: string | undefined }): boolean =>
  (media.id === undefined) !== (media.link === undefined);
const ONE_SOURCE = { message: 'give exactly one of id (an uploaded media id) or link' };
const mediaSource = {
  id: z.string().min(1).optional(),
  link: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
};
const noCaption = z.undefined({ error: 'audio and sticker messages take no caption' }).optional();

const captionedMedia = z
  .object({ ...mediaSource, caption: z.string().max(1024).optional() })
  .refine(oneSource, ONE_SOURCE);
const documentMedia = z
  .object({
    ...mediaSource,
    caption: z.string().max(1024).optional(),
    filename: z.string().min(1).max(240).optional(),
  })
  .refine(oneSource, ONE_SOURCE);
const bareMedia = z.object({ ...mediaSource, caption: noCaption }).refine(oneSource, ONE_SOURCE);
export type MediaObject = {
  id?: string | undefined;
  link?: string | undefined;
  caption?: string | undefined;
};

const templateParameterSchema = z.looseObject({
  type: z.string().min(1),
  parameter_name: z.string().optional(),
});
export type TemplateParameter = z.infer<typeof templateParameterSchema>;

const templateComponentSchema = z.looseObject({
  type: z.string().min(1),
  sub_type: z.string().min(1).optional(),
  index: z.union([z.number().int().min(0), z.string().regex(/^\d+$/, 'must be a button index')]).optional(),
  parameters: z.array(templateParameterSchema).optional(),
  cards: z.array(z.unknown()).optional(),
});
export type TemplateComponent = z.infer<typeof templateComponentSchema>;

export const templateObjectSchema = z.object({
  name: z.string().min(1).max(512),
  language: z.object({ code: z.string().min(1), policy: z.literal('deterministic').optional() }),
  components: z.array(templateComponentSchema).default([]),
});
export type TemplateObject = z.infer<typeof templateObjectSchema>;

const INTERACTIVE_TYPES = [
  'button',
  'list',
  'cta_url',
  'location_request_message',
  'flow',
  'product',
  'product_list',
  'catalog_message',
  'carousel',
] as const;

const interactiveSchema = z
  .looseObject({
    type: z.enum(INTERACTIVE_TYPES),
    header: z.looseObject({ type: z.string().min(1) }).optional(),
    body: z.object({ text: z.string().min(1).max(1024) }).optional(),
    footer: z.object({ text: z.string().min(1).max(60) }).optional(),
    action: z.record(z.string(), z.unknown()),
  })
  .superRefine((interactive, ctx) => {
    const { action } = interactive;
    if (
      ['button', 'list', 'cta_url', 'location_request_message'].includes(interactive.type) &&
      !interactive.body
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['body'],
        message: `a ${interactive.type} message needs body.text`,
      });
    }
    if (interactive.type === 'button') {
      const buttons = Array.isArray(action.buttons) ? action.buttons.length : 0;
      if (buttons < 1 || buttons > 3) {
        ctx.addIssue({
          code: 'custom',
          path: ['action', 'buttons'],
          message: `must hold 1 to 3 reply buttons, got ${buttons}`,
        });
      }
    }
    if (interactive.type === 'list') {
      const sections = z.array(z.looseObject({ rows: z.array(z.unknown()) })).safeParse(action.sections);
      const rows = sections.success
        ? sections.data.reduce((sum, section) => sum + section.rows.length, 0)
        : 0;
      if (rows < 1 || rows > 10) {
        ctx.addIssue({
          code: 'custom',
          path: ['action', 'sections'],
          message: `must hold 1 to 10 rows in all, got ${rows}`,
        });
      }
    }
  });

export const markReadSchema = z.object({
  messaging_product: z.literal('whatsapp'),
  status: z.literal('read'),
  message_id: z.string().min(1),
  typing_indicator: z.object({ type: z.literal('text') }).optional(),
});

export const sendSchema = z.discriminatedUnion('type', [
  z.object({
    ...envelope,
    type: z.literal('text'),
    text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }),
  }),
  z.object({ ...envelope, type: z.literal('template'), template: templateObjectSchema }),
  z.object({ ...envelope, type: z.literal('image'), image: captionedMedia }),
  z.object({ ...envelope, type: z.literal('video'), video: captionedMedia }),
  z.object({ ...envelope, type: z.literal('document'), document: documentMedia }),
  z.object({ ...envelope, type: z.literal('audio'), audio: bareMedia }),
  z.object({ ...envelope, type: z.literal('sticker'), sticker: bareMedia }),
  z.object({
    ...envelope,
    type: z.literal('reaction'),
    // An empty emoji removes the reaction.
    reaction: z.object({ message_id: z.string().min(1), emoji: z.string().max(16) }),
  }),
  z.object({ ...envelope, type: z.literal('interactive'), interactive: interactiveSchema }),
  z.object({
    ...envelope,
    type: z.literal('location'),
    location: z.object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: z.string().optional(),
      address: z.string().optional(),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('contacts'),
    contacts: z.array(z.looseObject({ name: z.looseObject({ formatted_name: z.string().min(1) }) })).min(1),
  }),
]);
export type SendBody = z.infer<typeof sendSchema>;

/** Zod's issues as one line: "text.body: Too small: ...; to: ...". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

/** The media object of a media send. */
export function mediaOf(send: SendBody): { kind: MediaSendType; media: MediaObject } | null {
  switch (send.type) {
    case 'image':
      return { kind: 'image', media: send.image };
    case 'video':
      return { kind: 'video', media: send.video };
    case 'document':
      return { kind: 'document', media: send.document };
    case 'audio':
      return { kind: 'audio', media: send.audio };
    case 'sticker':
      return { kind: 'sticker', media: send.sticker };
    default:
      return null;
  }
}
