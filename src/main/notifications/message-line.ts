// What a notification says for one inbound message: its text, or its type's icon and name (with the
// caption after the icon when there is one). Null for what the agent should not be told about:
// a removed reaction, a message the customer deleted, a notice WhatsApp itself wrote.
import {
  isLabelledType,
  OTHER_TYPE_ICON,
  TYPE_ICONS,
  type NotificationStrings,
} from './notification-strings.ts';

/** The longest body a notification carries; the OS truncates further anyway. */
const MAX_BODY_LENGTH = 180;

/** Types whose text is the whole message (a reply title is what the customer tapped). */
const TEXT_TYPES: ReadonlySet<string> = new Set(['text', 'button', 'interactive']);
const SILENT_TYPES: ReadonlySet<string> = new Set(['system', 'revoke']);

export interface InboundContent {
  type: string;
  text: string | null;
  payload: Record<string, unknown> | null;
}

export function messageLine(message: InboundContent, strings: NotificationStrings): string | null {
  if (SILENT_TYPES.has(message.type)) return null;
  const text = message.text?.trim() ? message.text.trim() : null;
  if (message.type === 'reaction') return text === null ? null : strings.reacted(text);
  if (TEXT_TYPES.has(message.type) && text !== null) return clip(text);
  const type = message.type === 'audio' && message.payload?.voice === true ? 'voice' : message.type;
  const icon = isLabelledType(type) ? TYPE_ICONS[type] : OTHER_TYPE_ICON;
  if (text !== null) return clip(`${icon} ${text}`);
  return `${icon} ${isLabelledType(type) ? strings.types[type] : strings.otherType}`;
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= MAX_BODY_LENGTH ? flat : `${flat.slice(0, MAX_BODY_LENGTH - 1)}…`;
}
