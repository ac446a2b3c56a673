// What customers send: one builder per message type of Meta's `messages[]` (cloud-api.md §2.2),
// and `inboundWebhook`, which wraps any of them in the envelope Meta posts. Builders take camelCase
// options and answer Meta's snake_case objects, ready for `Simulator.sendInbound({ message })`.
import { messagesWebhook, metaError, unixSeconds } from './envelope.ts';
import type { BusinessNumber, InboundMessage, MessagesWebhook, WebhookContact } from './envelope.ts';

/** A Meta-shaped message without the keys the simulator sets (from, id, timestamp). */
export type MessageBody = { type: string } & Record<string, unknown>;

export interface MediaRef {
  /** A media id; one registered with `Simulator.addMedia` gets its mime_type and sha256 filled in. */
  id: string;
  mimeType?: string;
  /** As Meta writes it in webhooks: base64 of the SHA-256 of the bytes. */
  sha256?: string;
}

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';
export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'video', 'audio', 'document', 'sticker'];

function mediaObject(media: MediaRef, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    ...extra,
    ...(media.mimeType === undefined ? {} : { mime_type: media.mimeType }),
    ...(media.sha256 === undefined ? {} : { sha256: media.sha256 }),
    id: media.id,
  };
}

function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

export function textMessage(body: string): MessageBody {
  return { type: 'text', text: { body } };
}

export function imageMessage(media: MediaRef & { caption?: string }): MessageBody {
  return { type: 'image', image: mediaObject(media, defined({ caption: media.caption })) };
}

export function videoMessage(media: MediaRef & { caption?: string }): MessageBody {
  return { type: 'video', video: mediaObject(media, defined({ caption: media.caption })) };
}

/** An audio file; `voice: true` marks a voice note recorded in WhatsApp (audio/ogg; codecs=opus). */
export function audioMessage(media: MediaRef & { voice?: boolean }): MessageBody {
  return { type: 'audio', audio: { ...mediaObject(media, {}), ...defined({ voice: media.voice }) } };
}

export function voiceMessage(media: MediaRef): MessageBody {
  return audioMessage({ ...media, voice: true });
}

export function documentMessage(media: MediaRef & { filename?: string; caption?: string }): MessageBody {
  return {
    type: 'document',
    document: mediaObject(media, defined({ caption: media.caption, filename: media.filename })),
  };
}

export function stickerMessage(media: MediaRef & { animated?: boolean }): MessageBody {
  return {
    type: 'sticker',
    sticker: { ...mediaObject(media, {}), animated: media.animated ?? false },
  };
}

/** A shared pin (name and address present) or the customer's current location (coordinates only). */
export function locationMessage(location: {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}): MessageBody {
  return { type: 'location', location: defined({ ...location }) };
}

/** A contact card as Meta sends it (only `name.formatted_name` is always there). */
export interface ContactCard {
  name: { formatted_name: string; first_name?: string; last_name?: string };
  phones?: { phone: string; wa_id?: string; type?: string }[];
  emails?: { email: string; type?: string }[];
  org?: { company?: string; department?: string; title?: string };
  urls?: { url: string; type?: string }[];
}

export function contactsMessage(cards: readonly ContactCard[]): MessageBody {
  return { type: 'contacts', contacts: [...cards] };
}

/** The customer tapped a reply button of an interactive message. */
export function buttonReplyMessage(reply: { id: string; title: string }): MessageBody {
  return { type: 'interactive', interactive: { type: 'button_reply', button_reply: { ...reply } } };
}

/** The customer chose a row of an interactive list. */
export function listReplyMessage(reply: { id: string; title: string; description?: string }): MessageBody {
  return { type: 'interactive', interactive: { type: 'list_reply', list_reply: defined({ ...reply }) } };
}

/** The customer completed a WhatsApp Flow: its answers arrive as a JSON string. */
export function flowReplyMessage(reply: {
  response: Record<string, unknown>;
  body?: string;
  name?: string;
}): MessageBody {
  return {
    type: 'interactive',
    interactive: {
      type: 'nfm_reply',
      nfm_reply: {
        response_json: JSON.stringify(reply.response),
        body: reply.body ?? 'Sent',
        name: reply.name ?? 'flow',
      },
    },
  };
}

/** A quick-reply button of a template; pair it with a reply `context` naming the template message. */
export function templateButtonMessage(button: { text: string; payload?: string }): MessageBody {
  return { type: 'button', button: defined({ payload: button.payload, text: button.text }) };
}

export function reactionMessage(reaction: { messageId: string; emoji: string }): MessageBody {
  return { type: 'reaction', reaction: { message_id: reaction.messageId, emoji: reaction.emoji } };
}

/** A reaction taken back: Meta sends an empty emoji, or (older payloads) none at all. */
export function reactionRemovedMessage(removal: {
  messageId: string;
  emojiKey?: 'empty' | 'absent';
}): MessageBody {
  return {
    type: 'reaction',
    reaction:
      removal.emojiKey === 'absent'
        ? { message_id: removal.messageId }
        : { message_id: removal.messageId, emoji: '' },
  };
}

export function orderMessage(order: {
  catalogId: string;
  text?: string;
  items: { productRetailerId: string; quantity: number; itemPrice: number; currency: string }[];
}): MessageBody {
  return {
    type: 'order',
    order: {
      catalog_id: order.catalogId,
      text: order.text ?? '',
      product_items: order.items.map((item) => ({
        product_retailer_id: item.productRetailerId,
        quantity: item.quantity,
        item_price: item.itemPrice,
        currency: item.currency,
      })),
    },
  };
}

export type SystemEvent = 'user_changed_number' | 'customer_identity_changed' | 'user_changed_user_id';

/** A system notice about the customer (new number, new identity). Sent without `contacts`. */
export function systemMessage(system: {
  body: string;
  event: SystemEvent;
  /** The customer's new number, for user_changed_number. */
  newWaId?: string;
  newUserId?: string;
}): MessageBody {
  return {
    type: 'system',
    system: defined({
      body: system.body,
      wa_id: system.newWaId,
      user_id: system.newUserId,
      type: system.event,
    }),
  };
}

/** A message WhatsApp cannot show the business (polls, view-once, ...): no body, error 131051. */
export function unsupportedMessage(
  options: { type?: 'unsupported' | 'unknown'; originalType?: string } = {},
): MessageBody {
  return {
    type: options.type ?? 'unsupported',
    errors: [
      metaError({
        code: 131051,
        title: 'Message type unknown',
        details: 'Message type is currently not supported.',
      }),
    ],
    ...(options.originalType === undefined ? {} : { unsupported: { type: options.originalType } }),
  };
}

/** `context` of a reply: the quoted message and who sent it (the business's display number for its own). */
export function replyContext(quoted: { from: string; id: string }): Record<string, unknown> {
  return { from: quoted.from, id: quoted.id };
}

export function forwardedContext(options: { frequently?: boolean } = {}): Record<string, unknown> {
  return options.frequently === true ? { frequently_forwarded: true } : { forwarded: true };
}

/** The Click-to-WhatsApp ad (or Page post) the customer tapped to write: a free entry point. */
export function adReferral(ad: {
  sourceId: string;
  sourceUrl: string;
  headline: string;
  body: string;
  sourceType?: 'ad' | 'post';
  mediaType?: 'image' | 'video';
  imageUrl?: string;
  videoUrl?: string;
  thumbnailUrl?: string;
  ctwaClid: string;
}): Record<string, unknown> {
  return defined({
    source_url: ad.sourceUrl,
    source_id: ad.sourceId,
    source_type: ad.sourceType ?? 'ad',
    headline: ad.headline,
    body: ad.body,
    media_type: ad.mediaType ?? 'image',
    image_url: ad.imageUrl,
    video_url: ad.videoUrl,
    thumbnail_url: ad.thumbnailUrl,
    ctwa_clid: ad.ctwaClid,
  });
}

export interface InboundInput extends BusinessNumber {
  /** The customer's number (wa_id): E.164 digits without '+'; '' for a customer known only by user id. */
  from: string;
  /** The customer's profile name; omitted from `contacts` when absent (Meta does that too). */
  name?: string;
  /** Business-scoped user id (BSUID), e.g. 'US.13491208655302741918'. */
  userId?: string;
  username?: string;
  wamid: string;
  /** When the customer wrote, in ms. */
  timestamp: number;
  message: MessageBody;
  referral?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

function contactOf(input: InboundInput): WebhookContact {
  const profile = defined({ name: input.name, username: input.username });
  return {
    ...(Object.keys(profile).length === 0 ? {} : { profile }),
    wa_id: input.from,
    ...(input.userId === undefined ? {} : { user_id: input.userId }),
  };
}

/** A customer's message of any type to the business, as Meta posts it. */
export function inboundWebhook(input: InboundInput): MessagesWebhook {
  const { from: _from, id: _id, timestamp: _timestamp, ...body } = input.message;
  const message: InboundMessage = {
    ...(input.context === undefined ? {} : { context: input.context }),
    from: input.from,
    ...(input.userId === undefined ? {} : { from_user_id: input.userId }),
    id: input.wamid,
    timestamp: unixSeconds(input.timestamp),
    ...body,
    type: input.message.type,
    ...(input.referral === undefined ? {} : { referral: input.referral }),
  };
  // System notices come without contacts (the number they talk about may already be gone).
  return messagesWebhook(
    input,
    input.message.type === 'system'
      ? { messages: [message] }
      : { contacts: [contactOf(input)], messages: [message] },
  );
}

/** A customer's text message to the business, as Meta posts it. */
export function inboundTextWebhook(input: Omit<InboundInput, 'message'> & { text: string }): MessagesWebhook {
  const { text, ...rest } = input;
  return inboundWebhook({ ...rest, message: textMessage(text) });
}
