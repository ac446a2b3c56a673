// What each message type carries, read one way for every consumer: the text an agent reads, the
// short language-neutral line for the conversation list, the media to download and the payload kept.
import type { Media } from '../../../shared/domain.ts';
import { isRecord, nonEmpty, stringAt } from './common.ts';

/** The message as Meta sent it, with its type-specific object at `message[type]`. */
export type RawMessage = Record<string, unknown> & { type: string };

const PREVIEW_LENGTH = 200;
export const MEDIA_TYPES: ReadonlySet<string> = new Set(['image', 'video', 'audio', 'document', 'sticker']);
/** Types whose object the relay understands; anything else is kept whole, as it came. */
const KNOWN_TYPES: ReadonlySet<string> = new Set([
  ...MEDIA_TYPES,
  'text',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'revoke',
  'edit',
]);

const typedObject = (message: RawMessage): Record<string, unknown> | null => {
  const typed = message[message.type];
  return isRecord(typed) ? typed : null;
};

const withText = (icon: string, text: string | null): string => (text === null ? icon : `${icon} ${text}`);

/** `contacts[].name.formatted_name` of a shared contact card. */
function contactNames(message: RawMessage): string[] {
  const cards = message.contacts;
  if (!Array.isArray(cards)) return [];
  return cards.flatMap((card) => {
    const name =
      nonEmpty(stringAt(card, 'name', 'formatted_name')) ?? nonEmpty(stringAt(card, 'name', 'first_name'));
    return name === null ? [] : [name];
  });
}

/** The message an `edit` carries (`edit.message`), typed like any other message. */
function editedMessage(message: RawMessage): RawMessage | null {
  const inner = typedObject(message)?.message;
  if (!isRecord(inner) || typeof inner.type !== 'string') return null;
  return inner as RawMessage;
}

/** The text an agent reads for this message, if its type has one. */
export function textOf(message: RawMessage): string | null {
  const typed = typedObject(message);
  switch (message.type) {
    case 'text':
      return nonEmpty(stringAt(typed, 'body'));
    case 'image':
    case 'video':
    case 'document':
    case 'sticker':
      return nonEmpty(stringAt(typed, 'caption'));
    case 'button':
      return nonEmpty(stringAt(typed, 'text')) ?? nonEmpty(stringAt(typed, 'payload'));
    case 'interactive':
      return (
        nonEmpty(stringAt(typed, 'button_reply', 'title')) ?? nonEmpty(stringAt(typed, 'list_reply', 'title'))
      );
    case 'reaction':
      return nonEmpty(stringAt(typed, 'emoji'));
    case 'system':
      return nonEmpty(stringAt(typed, 'body'));
    case 'location':
      return nonEmpty(stringAt(typed, 'name')) ?? nonEmpty(stringAt(typed, 'address'));
    case 'contacts':
      return contactNames(message).join(', ') || null;
    case 'order':
      return nonEmpty(stringAt(typed, 'text'));
    case 'edit': {
      const edited = editedMessage(message);
      return edited === null ? null : textOf(edited);
    }
    default:
      return null;
  }
}

/** The conversation-list line; null when the message should not replace the last one (a removed reaction). */
export function previewOf(message: RawMessage): string | null {
  const typed = typedObject(message);
  const text = textOf(message);
  const line = ((): string | null => {
    switch (message.type) {
      case 'text':
      case 'button':
      case 'system':
        return text ?? '';
      case 'image':
        return withText('📷', text);
      case 'video':
        return withText('🎥', text);
      case 'audio':
        return typed?.voice === true ? '🎤' : '🎵';
      case 'sticker':
        return '💟';
      case 'document':
        return withText('📄', nonEmpty(stringAt(typed, 'filename')) ?? text);
      case 'location':
        return withText('📍', text);
      case 'contacts': {
        const [first, ...others] = contactNames(message);
        return withText(
          '👤',
          first === undefined ? null : others.length > 0 ? `${first} +${others.length}` : first,
        );
      }
      case 'interactive':
        if (text !== null) return text;
        if (isRecord(typed?.nfm_reply)) return '📋';
        if (isRecord(typed?.call_permission_reply)) return '📞';
        return '❓';
      case 'reaction':
        return text;
      case 'order': {
        const items = Array.isArray(typed?.product_items) ? typed.product_items.length : 0;
        return withText('🛒', text ?? `×${items}`);
      }
      case 'revoke':
        return '🚫';
      case 'edit':
        return withText('✏️', text);
      default:
        return '❓';
    }
  })();
  return line === null ? null : line.slice(0, PREVIEW_LENGTH);
}

/** The media to download, for media types (and an edit that replaces one); the relay fetches it later. */
export function mediaOf(message: RawMessage): Media | null {
  if (message.type === 'edit') {
    const edited = editedMessage(message);
    return edited === null ? null : mediaOf(edited);
  }
  if (!MEDIA_TYPES.has(message.type)) return null;
  const typed = typedObject(message);
  const id = nonEmpty(stringAt(typed, 'id'));
  if (id === null) return null;
  const fileSize = typed?.file_size;
  return {
    id,
    mimeType: nonEmpty(stringAt(typed, 'mime_type')),
    sha256: nonEmpty(stringAt(typed, 'sha256')),
    fileSize:
      typeof fileSize === 'number'
        ? fileSize
        : typeof fileSize === 'string' && /^\d+$/.test(fileSize)
          ? Number(fileSize)
          : null,
    filename: nonEmpty(stringAt(typed, 'filename')),
    state: 'pending',
    error: null,
  };
}

/**
 * What the relay keeps of the message: its type-specific object for the types it knows, the whole
 * raw message (errors included) for the others, so nothing Meta sent is lost.
 */
export function payloadOf(message: RawMessage): Record<string, unknown> {
  const typed = message[message.type];
  if (KNOWN_TYPES.has(message.type)) {
    if (isRecord(typed)) return typed;
    if (Array.isArray(typed)) return { [message.type]: typed };
  }
  return { ...message };
}
