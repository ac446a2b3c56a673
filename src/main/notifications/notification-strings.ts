// The few words the main process says in notifications. Main has no i18n yet, so they live here,
// one table per locale; every label for a message type without text is in `types`, and only here.

export const NOTIFICATION_LOCALES = ['es', 'en', 'pt-BR'] as const;
export type NotificationLocale = (typeof NOTIFICATION_LOCALES)[number];

export interface NotificationStrings {
  /** Title of a digest that spans several conversations. */
  digestTitle: string;
  /** "12 new messages in 5 conversations". */
  digestBody(messages: number, conversations: number): string;
  /** Body of one conversation's burst: "3 new messages". */
  newMessages(count: number): string;
  /** A customer's reaction to a message: "Reacted 👍". */
  reacted(emoji: string): string;
  /** Names of the message types other than text (shown after their icon when there is no caption). */
  types: Record<LabelledType, string>;
  /** A type this table does not know. */
  otherType: string;
}

export const LABELLED_TYPES = [
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'order',
  'edit',
  'unsupported',
] as const;
export type LabelledType = (typeof LABELLED_TYPES)[number];

/** Language-neutral: the same icon prefixes a type's name or its caption in every locale. */
export const TYPE_ICONS: Record<LabelledType, string> = {
  image: '📷',
  video: '🎥',
  audio: '🎵',
  voice: '🎤',
  document: '📄',
  sticker: '💟',
  location: '📍',
  contacts: '👤',
  interactive: '📋',
  button: '🔘',
  order: '🛒',
  edit: '✏️',
  unsupported: '❓',
};
export const OTHER_TYPE_ICON = '❓';

const es: NotificationStrings = {
  digestTitle: 'Mensajes nuevos',
  digestBody: (messages, conversations) =>
    `${messages} ${messages === 1 ? 'mensaje nuevo' : 'mensajes nuevos'} en ${conversations} ${conversations === 1 ? 'conversación' : 'conversaciones'}`,
  newMessages: (count) => `${count} ${count === 1 ? 'mensaje nuevo' : 'mensajes nuevos'}`,
  reacted: (emoji) => `Reaccionó ${emoji}`,
  types: {
    image: 'Imagen',
    video: 'Video',
    audio: 'Audio',
    voice: 'Nota de voz',
    document: 'Documento',
    sticker: 'Sticker',
    location: 'Ubicación',
    contacts: 'Contacto',
    interactive: 'Respuesta interactiva',
    button: 'Respuesta de botón',
    order: 'Pedido',
    edit: 'Mensaje editado',
    unsupported: 'Mensaje no compatible',
  },
  otherType: 'Mensaje',
};

const en: NotificationStrings = {
  digestTitle: 'New messages',
  digestBody: (messages, conversations) =>
    `${messages} new ${messages === 1 ? 'message' : 'messages'} in ${conversations} ${conversations === 1 ? 'conversation' : 'conversations'}`,
  newMessages: (count) => `${count} new ${count === 1 ? 'message' : 'messages'}`,
  reacted: (emoji) => `Reacted ${emoji}`,
  types: {
    image: 'Image',
    video: 'Video',
    audio: 'Audio',
    voice: 'Voice note',
    document: 'Document',
    sticker: 'Sticker',
    location: 'Location',
    contacts: 'Contact',
    interactive: 'Interactive reply',
    button: 'Button reply',
    order: 'Order',
    edit: 'Edited message',
    unsupported: 'Unsupported message',
  },
  otherType: 'Message',
};

const ptBR: NotificationStrings = {
  digestTitle: 'Novas mensagens',
  digestBody: (messages, conversations) =>
    `${messages} ${messages === 1 ? 'nova mensagem' : 'novas mensagens'} em ${conversations} ${conversations === 1 ? 'conversa' : 'conversas'}`,
  newMessages: (count) => `${count} ${count === 1 ? 'nova mensagem' : 'novas mensagens'}`,
  reacted: (emoji) => `Reagiu ${emoji}`,
  types: {
    image: 'Imagem',
    video: 'Vídeo',
    audio: 'Áudio',
    voice: 'Mensagem de voz',
    document: 'Documento',
    sticker: 'Figurinha',
    location: 'Localização',
    contacts: 'Contato',
    interactive: 'Resposta interativa',
    button: 'Resposta de botão',
    order: 'Pedido',
    edit: 'Mensagem editada',
    unsupported: 'Mensagem não compatível',
  },
  otherType: 'Mensagem',
};

const tables: Record<NotificationLocale, NotificationStrings> = { es, en, 'pt-BR': ptBR };

export function notificationStrings(locale: NotificationLocale): NotificationStrings {
  return tables[locale];
}

export function isLabelledType(type: string): type is LabelledType {
  return (LABELLED_TYPES as readonly string[]).includes(type);
}
