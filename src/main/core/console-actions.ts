// Every action the agent takes (replies, templates, media, reactions, notes, assignment, quick
// replies): checked against the cache, written durably to the outbox, then sent on the live
// connection, always with the same mutation id, until the relay settles it. Rows leave in the order
// they were written, and a conversation's rows wait behind a file still uploading there.
import type { Clock } from '../../shared/clock.ts';
import type {
  ConsoleEvent,
  ConsoleParsedInput,
  ConversationListItem,
  Queued,
} from '../../shared/console-api.ts';
import type { Message } from '../../shared/domain.ts';
import {
  commandSchema,
  templateParametersSchema,
  type Command,
  type CommandResult,
} from '../../shared/protocol.ts';
import { CodedError, toErrorInfo } from '../../shared/result.ts';
import type { CacheRepository } from '../cache/cache-repository.ts';
import type { OutboxRow } from '../cache/outbox-table.ts';
import { newMutationId } from './mutation-id.ts';

/** The console's media cache as the outbox needs it (src/main/media). */
export interface OutgoingMedia {
  /** Keeps the agent's file durably under the message id before the outbox row is written. */
  storeOutgoing(
    messageId: string,
    file: { name: string; mimeType: string; bytes: Uint8Array },
  ): Promise<void>;
  /** Uploads a stored file to the relay; answers the relay's upload id. */
  upload(messageId: string): Promise<string>;
}

export interface ConsoleActionsOptions {
  repo: CacheRepository;
  clock: Clock;
  /** relay time - local time: windows are judged on the relay's clock. */
  clockOffsetMs: () => number;
  /** Sends on the live connection; false when there is none (the row waits for the next welcome). */
  send: (mutationId: string, command: Command) => boolean;
  /** Null: media sends are refused (no media cache in this console). */
  media: OutgoingMedia | null;
  /** What changed, for the UI. */
  emit: (event: ConsoleEvent) => void;
}

type In<M extends keyof ActionInputs> = ActionInputs[M];
interface ActionInputs {
  sendText: ConsoleParsedInput<'sendText'>;
  sendTemplate: ConsoleParsedInput<'sendTemplate'>;
  sendMedia: ConsoleParsedInput<'sendMedia'>;
  sendReaction: ConsoleParsedInput<'sendReaction'>;
  addNote: ConsoleParsedInput<'addNote'>;
  assignConversation: ConsoleParsedInput<'assignConversation'>;
  transferConversation: ConsoleParsedInput<'transferConversation'>;
  closeConversation: ConsoleParsedInput<'closeConversation'>;
  reopenConversation: ConsoleParsedInput<'reopenConversation'>;
  retryMessage: ConsoleParsedInput<'retryMessage'>;
  discardMessage: ConsoleParsedInput<'discardMessage'>;
  saveQuickReply: ConsoleParsedInput<'saveQuickReply'>;
  deleteQuickReply: ConsoleParsedInput<'deleteQuickReply'>;
  markConversationRead: ConsoleParsedInput<'markConversationRead'>;
}

/**
 * Commands whose success the event stream confirms by an entity carrying the mutation id (a
 * message, a note, a new quick reply): their rows are deleted when that entity is applied. The
 * others change a conversation or quick reply that keeps its own id: the relay's answer settles them.
 */
const CONFIRMED_BY_STREAM: ReadonlySet<Command['kind']> = new Set([
  'send_text',
  'send_template',
  'send_media',
  'send_reaction',
  'add_note',
  'quick_reply_create',
]);

/** Outbound messages whose outcome the agent may try again: Meta refused, or the outcome was lost. */
const RETRYABLE_STATUSES: ReadonlySet<Message['status']> = new Set(['failed', 'unknown']);

/**
 * Upload failures the next welcome may cure (no relay, a relay error, a token to renew). Any other
 * code is the relay refusing the file itself (too big, a type WhatsApp refuses): no retry changes it.
 */
const TRANSIENT_UPLOAD_CODES: ReadonlySet<string> = new Set([
  'MEDIA_OFFLINE',
  'MEDIA_RELAY_ERROR',
  'MEDIA_UNAUTHORIZED',
]);

export class ConsoleActions {
  readonly #options: ConsoleActionsOptions;
  /** Rows already handed to the current connection: a welcome starts a new connection and clears it. */
  readonly #sentOnConnection = new Set<string>();
  /** Media rows whose file is being uploaded now. */
  readonly #uploading = new Set<string>();

  constructor(options: ConsoleActionsOptions) {
    this.#options = options;
  }

  // --- messages to the customer -----------------------------------------------------------------

  sendText(input: In<'sendText'>): Queued {
    const conversation = this.#openWindow(input.conversationId);
    if (input.replyTo !== undefined) this.#messageOf(conversation.id, input.replyTo);
    return this.#queue(conversation.id, {
      kind: 'send_text',
      conversationId: conversation.id,
      text: input.text,
      previewUrl: false,
      ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
    });
  }

  sendTemplate(input: In<'sendTemplate'>): Queued {
    const conversation = this.#conversation(input.conversationId);
    const template = this.#options.repo.catalog
      .listTemplates()
      .find((t) => t.name === input.name && t.language === input.language);
    if (!template) {
      throw new CodedError(
        'TEMPLATE_NOT_FOUND',
        `No template "${input.name}" in ${input.language} is known to this console. Refresh the templates, or pick another one.`,
      );
    }
    if (template.status !== 'APPROVED') {
      throw new CodedError(
        'TEMPLATE_NOT_APPROVED',
        `The template "${input.name}" (${input.language}) is ${template.status.toLowerCase()}: only approved templates can be sent.`,
      );
    }
    return this.#queue(conversation.id, {
      kind: 'send_template',
      conversationId: conversation.id,
      name: input.name,
      language: input.language,
      parameters: input.parameters,
    });
  }

  async sendMedia(input: In<'sendMedia'>): Promise<Queued> {
    const media = this.#options.media;
    if (media === null) throw new CodedError('MEDIA_UNAVAILABLE', 'This console cannot send files.');
    const conversation = this.#openWindow(input.conversationId);
    if (input.replyTo !== undefined) this.#messageOf(conversation.id, input.replyTo);
    const bytes = Buffer.from(input.file.dataBase64, 'base64');
    if (bytes.length === 0) throw new CodedError('EMPTY_FILE', `The file ${input.file.name} is empty.`);
    const mutationId = newMutationId();
    // The file is on disk before the row exists: a restart finds every row's file.
    await media.storeOutgoing(mutationId, { name: input.file.name, mimeType: input.file.mimeType, bytes });
    // Until the upload, the command's uploadId names the file in the media cache (needs_upload).
    const command = commandSchema.parse({
      kind: 'send_media',
      conversationId: conversation.id,
      uploadId: mutationId,
      ...(input.caption === undefined || input.caption === '' ? {} : { caption: input.caption }),
      ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
    });
    // The window may have closed while the file was written: judged again at queueing time.
    this.#openWindow(conversation.id);
    this.#insert(mutationId, conversation.id, command, true);
    return { mutationId };
  }

  sendReaction(input: In<'sendReaction'>): Queued {
    const conversation = this.#openWindow(input.conversationId);
    const target = this.#messageOf(conversation.id, input.messageId);
    if (target.waMessageId === null) {
      throw new CodedError(
        'MESSAGE_NOT_SENT',
        'WhatsApp has not accepted this message yet, so it cannot be reacted to.',
      );
    }
    if (target.type === 'reaction')
      throw new CodedError('CANNOT_REACT_TO_REACTION', 'A reaction cannot be reacted to.');
    return this.#queue(conversation.id, {
      kind: 'send_reaction',
      conversationId: conversation.id,
      messageId: target.id,
      emoji: input.emoji,
    });
  }

  // --- the team's side of a conversation --------------------------------------------------------

  addNote(input: In<'addNote'>): Queued {
    const conversation = this.#conversation(input.conversationId);
    return this.#queue(conversation.id, {
      kind: 'add_note',
      conversationId: conversation.id,
      text: input.text,
    });
  }

  assignConversation(input: In<'assignConversation'>): Queued {
    const conversation = this.#conversation(input.conversationId);
    return this.#queue(
      conversation.id,
      input.agentId === null
        ? { kind: 'unassign', conversationId: conversation.id }
        : { kind: 'assign', conversationId: conversation.id, agentId: input.agentId },
    );
  }

  transferConversation(input: In<'transferConversation'>): Queued {
    const conversation = this.#conversation(input.conversationId);
    return this.#queue(conversation.id, {
      kind: 'transfer',
      conversationId: conversation.id,
      toAgentId: input.toAgentId,
    });
  }

  closeConversation(input: In<'closeConversation'>): Queued {
    const conversation = this.#conversation(input.conversationId);
    return this.#queue(conversation.id, { kind: 'close', conversationId: conversation.id });
  }

  reopenConversation(input: In<'reopenConversation'>): Queued {
    const conversation = this.#conversation(input.conversationId);
    return this.#queue(conversation.id, { kind: 'reopen', conversationId: conversation.id });
  }

  /**
   * Clears the unread count here and, when there was something unread, tells the customer it was
   * read (blue ticks) with a mark_read of the newest inbound message.
   */
  markConversationRead(input: In<'markConversationRead'>): null {
    const { repo } = this.#options;
    const conversation = this.#conversation(input.conversationId);
    repo.clearUnread(conversation.id);
    this.#options.emit({ type: 'conversations.changed', conversationIds: [conversation.id] });
    if (conversation.unreadCount === 0) return null;
    const newestInbound = repo
      .listMessages(conversation.id, 50)
      .filter((m) => m.direction === 'in' && m.waMessageId !== null && m.type !== 'system')
      .at(-1);
    if (newestInbound) {
      this.#queue(conversation.id, {
        kind: 'mark_read',
        conversationId: conversation.id,
        messageId: newestInbound.id,
      });
    }
    return null;
  }

  // --- failed and unknown outcomes --------------------------------------------------------------

  /** A new attempt (a new message: Meta's send has no idempotency key) of a failed or unknown one. */
  retryMessage(input: In<'retryMessage'>): Queued {
    const { repo } = this.#options;
    const row = repo.outbox.get(input.messageId);
    if (row) {
      if (row.state !== 'failed') {
        throw new CodedError('NOT_RETRYABLE', 'This action is still on its way: it has not failed.');
      }
      const mutationId = newMutationId();
      repo.transaction(() => {
        repo.outbox.delete(row.mutationId);
        repo.outbox.insert({
          mutationId,
          conversationId: row.conversationId,
          command: row.command,
          createdAt: this.#relayNow(),
          needsUpload: row.needsUpload,
        });
      });
      this.#changed(row.conversationId, row.command);
      this.#pump();
      return { mutationId };
    }
    const message = repo.getMessage(input.messageId);
    if (!message || message.direction !== 'out') {
      throw new CodedError('MESSAGE_NOT_FOUND', 'There is no message of yours with this id to try again.');
    }
    if (!RETRYABLE_STATUSES.has(message.status)) {
      throw new CodedError(
        'NOT_RETRYABLE',
        `This message is ${message.status}: only failed or unknown messages are sent again.`,
      );
    }
    const command = commandFromMessage(message);
    if (command === null) {
      throw new CodedError(
        'RETRY_NOT_SUPPORTED',
        `A ${message.type} message cannot be sent again from here.`,
      );
    }
    if (command.kind !== 'send_template') this.#openWindow(message.conversationId);
    return this.#queue(message.conversationId, command);
  }

  /** Forgets a failed action, or one that never left this computer. */
  discardMessage(input: In<'discardMessage'>): null {
    const { repo } = this.#options;
    const row = repo.outbox.get(input.messageId);
    if (!row) throw new CodedError('MESSAGE_NOT_FOUND', 'There is nothing waiting or failed with this id.');
    if (row.state === 'pending' && (row.attempts > 0 || this.#uploading.has(row.mutationId))) {
      throw new CodedError(
        'ALREADY_SENT',
        'This action has already left for the relay: wait for its outcome, then discard it if it fails.',
      );
    }
    repo.outbox.delete(row.mutationId);
    this.#changed(row.conversationId, row.command);
    return null;
  }

  // --- catalogs --------------------------------------------------------------------------------

  /** Meta's template list read again by the relay (new approvals, pauses): account-wide, no conversation. */
  syncTemplates(): Queued {
    return this.#queue(null, { kind: 'sync_templates' });
  }

  // --- quick replies ----------------------------------------------------------------------------

  saveQuickReply(input: In<'saveQuickReply'>): Queued {
    const command: Command =
      input.id === undefined
        ? { kind: 'quick_reply_create', shortcut: input.shortcut, text: input.text }
        : { kind: 'quick_reply_update', quickReplyId: input.id, shortcut: input.shortcut, text: input.text };
    return this.#queue(null, command);
  }

  deleteQuickReply(input: In<'deleteQuickReply'>): Queued {
    return this.#queue(null, { kind: 'quick_reply_delete', quickReplyId: input.id });
  }

  // --- the connection ---------------------------------------------------------------------------

  /** After a welcome (a new connection): every pending row goes again, oldest first, with its own id. */
  resendPending(): void {
    this.#sentOnConnection.clear();
    this.#pump();
  }

  /**
   * The relay's answer. A refusal marks the row failed with the reason. A success settles the rows
   * no stream entity confirms; the others stay until their message, note or quick reply is applied.
   */
  settle(mutationId: string, result: CommandResult): void {
    const { repo } = this.#options;
    const row = repo.outbox.get(mutationId);
    if (!row) return;
    if (!result.ok) {
      if (repo.outbox.markFailed(mutationId, result.error)) this.#changed(row.conversationId, row.command);
      return;
    }
    if (!CONFIRMED_BY_STREAM.has(row.command.kind) && repo.outbox.delete(mutationId)) {
      this.#changed(row.conversationId, row.command);
    }
  }

  // --- inside -----------------------------------------------------------------------------------

  #queue(conversationId: string | null, command: Command): Queued {
    const mutationId = newMutationId();
    this.#insert(mutationId, conversationId, commandSchema.parse(command), false);
    return { mutationId };
  }

  #insert(mutationId: string, conversationId: string | null, command: Command, needsUpload: boolean): void {
    this.#options.repo.outbox.insert({
      mutationId,
      conversationId,
      command,
      createdAt: this.#relayNow(),
      needsUpload,
    });
    this.#changed(conversationId, command);
    this.#pump();
  }

  /**
   * Sends every pending row this connection has not had yet, oldest first. A conversation with a
   * file still to upload holds its later rows back, so they reach the customer in the order written.
   */
  #pump(): void {
    const held = new Set<string | null>();
    for (const row of this.#options.repo.outbox.pending()) {
      if (held.has(row.conversationId)) continue;
      if (row.needsUpload) {
        held.add(row.conversationId);
        this.#startUpload(row);
        continue;
      }
      if (this.#sentOnConnection.has(row.mutationId)) continue;
      if (!this.#options.send(row.mutationId, row.command)) return;
      this.#sentOnConnection.add(row.mutationId);
      this.#options.repo.outbox.countSendAttempt(row.mutationId);
    }
  }

  #startUpload(row: OutboxRow): void {
    const media = this.#options.media;
    if (media === null || this.#uploading.has(row.mutationId) || row.command.kind !== 'send_media') return;
    const localKey = row.command.uploadId;
    const pending = row.command;
    this.#uploading.add(row.mutationId);
    media
      .upload(localKey)
      .then(
        (uploadId) => {
          this.#options.repo.outbox.markUploaded(row.mutationId, { ...pending, uploadId });
        },
        (error: unknown) => {
          const info = toErrorInfo(error);
          if (!TRANSIENT_UPLOAD_CODES.has(info.code)) {
            this.#options.repo.outbox.markFailed(row.mutationId, info);
            this.#changed(row.conversationId, row.command);
          }
        },
      )
      .finally(() => {
        this.#uploading.delete(row.mutationId);
        this.#pump();
      })
      .catch(() => {
        /* a closed cache after shutdown: nothing left to send */
      });
  }

  #changed(conversationId: string | null, command: Command): void {
    const { emit } = this.#options;
    if (command.kind === 'add_note') {
      emit({ type: 'catalog.changed', catalog: 'notes', conversationId });
    } else if (command.kind.startsWith('quick_reply_')) {
      emit({ type: 'catalog.changed', catalog: 'quick_replies', conversationId: null });
    } else if (conversationId !== null) {
      emit({ type: 'messages.changed', conversationId });
    }
  }

  #relayNow(): number {
    return this.#options.clock.now() + this.#options.clockOffsetMs();
  }

  #conversation(conversationId: string): ConversationListItem {
    const conversation = this.#options.repo.getConversation(conversationId);
    if (!conversation) {
      throw new CodedError('CONVERSATION_NOT_FOUND', `No conversation ${conversationId} in this console`);
    }
    return conversation;
  }

  /** The conversation, when a free-form message may go to the customer now (relay time). */
  #openWindow(conversationId: string): ConversationListItem {
    const conversation = this.#conversation(conversationId);
    if (conversation.windowExpiresAt === null || this.#relayNow() >= conversation.windowExpiresAt) {
      throw new CodedError(
        'WINDOW_CLOSED',
        'The 24-hour customer service window for this conversation is closed: only an approved template can be sent until the customer writes again.',
      );
    }
    return conversation;
  }

  #messageOf(conversationId: string, messageId: string): Message {
    const message = this.#options.repo.getMessage(messageId);
    if (!message || message.conversationId !== conversationId) {
      throw new CodedError('MESSAGE_NOT_FOUND', 'That message is not part of this conversation.');
    }
    return message;
  }
}

/** The command that sent a confirmed outbound message, for another attempt; null when it cannot be rebuilt. */
function commandFromMessage(message: Message): Command | null {
  const base = { conversationId: message.conversationId };
  const replyTo = message.context?.replyTo ?? undefined;
  if (message.type === 'text' && message.text !== null) {
    return {
      kind: 'send_text',
      ...base,
      text: message.text,
      previewUrl: false,
      ...(replyTo ? { replyTo } : {}),
    };
  }
  if (message.type === 'template' && message.payload) {
    const { name, language, parameters } = message.payload;
    const parsed = templateParametersSchema.safeParse(parameters);
    if (typeof name !== 'string' || typeof language !== 'string' || !parsed.success) return null;
    return { kind: 'send_template', ...base, name, language, parameters: parsed.data };
  }
  if (message.media && ['image', 'video', 'audio', 'document', 'sticker'].includes(message.type)) {
    return {
      kind: 'send_media',
      ...base,
      uploadId: message.media.id,
      ...(message.text === null ? {} : { caption: message.text }),
      ...(replyTo ? { replyTo } : {}),
    };
  }
  return null;
}
