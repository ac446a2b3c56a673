// What a bubble or preview says for a message: its text, or a label for the media and other types
// that have none (Meta's unknown types are kept and named as they came).
import type { TFunction } from 'i18next';
import type { Message } from '../../shared/domain.ts';

const labelledTypes = [
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'template',
  'interactive',
  'button',
  'unsupported',
] as const;
type LabelledType = (typeof labelledTypes)[number];

function isLabelled(type: string): type is LabelledType {
  return (labelledTypes as readonly string[]).includes(type);
}

/** "Imagen", "Ubicación", or "Mensaje de tipo «order»"; null for plain text. */
export function messageTypeLabel(type: string, t: TFunction): string | null {
  if (type === 'text') return null;
  return isLabelled(type) ? t(`message.type.${type}`) : t('message.type.other', { type });
}

export interface MessageBody {
  /** A small tag above the text naming a non-text type, or null. */
  typeLabel: string | null;
  /** The text or caption, or null when the message has none. */
  text: string | null;
}

export function messageBody(message: Pick<Message, 'type' | 'text'>, t: TFunction): MessageBody {
  const text = message.text?.trim() ? message.text : null;
  return { typeLabel: messageTypeLabel(message.type, t), text };
}
