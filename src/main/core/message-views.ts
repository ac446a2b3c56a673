// A thread as the agent sees it, one page at a time: confirmed messages in (timestamp, rowid) order,
// and on the newest page the actions still in the outbox (pending, or refused with the relay's
// reason) in the place they were written.
import type { ConsoleParsedInput, MessageView, ThreadPage } from '../../shared/console-api.ts';
import type { Conversation, Message } from '../../shared/domain.ts';
import { CodedError } from '../../shared/result.ts';
import type { CacheRepository } from '../cache/cache-repository.ts';
import type { OutboxRow } from '../cache/outbox-table.ts';
import type { KeyedMessage, ThreadKey } from '../cache/thread-queries.ts';

type ThreadInput = ConsoleParsedInput<'getMessages'>;

/** Outbox commands that show in a thread as a message. */
const THREAD_COMMANDS = new Set(['send_text', 'send_template', 'send_media', 'send_reaction']);

/** Where an outbox row sits among confirmed messages: after every message of the same millisecond. */
const outboxKey = (row: OutboxRow): ThreadKey => ({
  timestamp: row.createdAt,
  rowid: Number.MAX_SAFE_INTEGER,
});

export function threadPage(repo: CacheRepository, input: ThreadInput, authorId: string | null): ThreadPage {
  const { conversationId, limit } = input;
  const outbox = repo.outbox
    .ofConversation(conversationId)
    .filter((row) => THREAD_COMMANDS.has(row.command.kind));
  const anchorId = input.before ?? input.after ?? input.around;
  const anchor = anchorId === undefined ? null : findAnchor(repo, conversationId, anchorId, outbox);
  const thread = repo.thread;

  let confirmed: KeyedMessage[];
  let hasOlder: boolean;
  let hasNewer: boolean;
  if (anchor === null || (input.around !== undefined && anchor.message === null)) {
    // The newest page (an outbox row has no place but the newest page, so "around" it is that too).
    confirmed = thread.newest(conversationId, limit);
    hasOlder = confirmed.length > 0 && thread.anyOlderThan(conversationId, confirmed[0]!.key);
    hasNewer = false;
  } else if (input.before !== undefined) {
    confirmed = thread.olderThan(conversationId, anchor.key, limit);
    const first = confirmed[0];
    hasOlder = first !== undefined && thread.anyOlderThan(conversationId, first.key);
    hasNewer = anchor.message !== null || thread.anyNewerThan(conversationId, anchor.key);
  } else if (input.after !== undefined) {
    confirmed = thread.newerThan(conversationId, anchor.key, limit);
    const last = confirmed.at(-1);
    hasNewer = last !== undefined && thread.anyNewerThan(conversationId, last.key);
    hasOlder = anchor.message !== null || thread.anyOlderThan(conversationId, anchor.key);
  } else {
    confirmed = around(repo, conversationId, { key: anchor.key, message: anchor.message! }, limit);
    hasOlder = thread.anyOlderThan(conversationId, confirmed[0]!.key);
    hasNewer = thread.anyNewerThan(conversationId, confirmed.at(-1)!.key);
  }

  const messages: { key: ThreadKey; view: MessageView }[] = confirmed.map(({ key, message }) => ({
    key,
    view: { ...message, pending: false, refusal: null },
  }));
  if (!hasNewer && outbox.length > 0) {
    const conversation = repo.getConversation(conversationId);
    for (const row of outbox)
      messages.push({ key: outboxKey(row), view: outboxView(repo, row, conversation, authorId) });
    // Outbox rows are in creation order already; a stable sort puts them among the confirmed ones.
    messages.sort((a, b) => a.key.timestamp - b.key.timestamp || a.key.rowid - b.key.rowid);
  }
  return { messages: messages.map((m) => m.view), hasOlder, hasNewer };
}

/** The message a page is anchored on: a confirmed message, or an outbox row of the thread. */
function findAnchor(
  repo: CacheRepository,
  conversationId: string,
  id: string,
  outbox: OutboxRow[],
): { key: ThreadKey; message: Message | null } {
  const found = repo.thread.anchor(conversationId, id);
  if (found) return found;
  const row = outbox.find((r) => r.mutationId === id);
  if (row) return { key: outboxKey(row), message: null };
  throw new CodedError(
    'MESSAGE_NOT_FOUND',
    `No message ${id} in conversation ${conversationId} in this console`,
  );
}

/** A page centred on the anchor: half older, half newer, topped up from one side when the other runs out. */
function around(
  repo: CacheRepository,
  conversationId: string,
  anchor: KeyedMessage,
  limit: number,
): KeyedMessage[] {
  const others = limit - 1;
  const wantOlder = Math.floor(others / 2);
  let newer = repo.thread.newerThan(conversationId, anchor.key, others - wantOlder);
  const older = repo.thread.olderThan(conversationId, anchor.key, others - newer.length);
  if (older.length + newer.length < others && newer.length === others - wantOlder)
    newer = repo.thread.newerThan(conversationId, anchor.key, others - older.length);
  return [...older, anchor, ...newer];
}

/** An outbox row as the message it will become, so the agent sees it where it wrote it. */
function outboxView(
  repo: CacheRepository,
  row: OutboxRow,
  conversation: Conversation | null,
  authorId: string | null,
): MessageView {
  const base: MessageView = {
    id: row.mutationId,
    conversationId: row.conversationId ?? '',
    phoneNumberId: conversation?.phoneNumberId ?? row.conversationId?.split(':')[0] ?? '',
    direction: 'out',
    type: 'text',
    text: null,
    waMessageId: null,
    timestamp: row.createdAt,
    status: row.state === 'failed' ? 'failed' : 'queued',
    statusAt: null,
    // Meta never saw it: a refusal is the relay's, and Meta's own errors only come on confirmed messages.
    error: null,
    pricing: null,
    authorId,
    payload: null,
    media: null,
    context: null,
    waitingUntil: null,
    pending: true,
    refusal: row.error,
  };
  const quoting = (messageId: string | undefined) =>
    messageId === undefined
      ? null
      : {
          // Meta's context names the wamid; until the quoted message has one, its id stands in.
          replyTo: repo.getMessage(messageId)?.waMessageId ?? messageId,
          forwarded: false,
          frequentlyForwarded: false,
        };
  const { command } = row;
  switch (command.kind) {
    case 'send_text':
      return { ...base, text: command.text, context: quoting(command.replyTo) };
    case 'send_template':
      return {
        ...base,
        type: 'template',
        payload: { name: command.name, language: command.language, parameters: command.parameters },
      };
    case 'send_media':
      // The outbox keeps no file kind: the relay names it (image, video, ...) once it has the upload.
      return {
        ...base,
        type: 'document',
        text: command.caption ?? null,
        context: quoting(command.replyTo),
        media: {
          id: command.uploadId,
          mimeType: null,
          sha256: null,
          fileSize: null,
          filename: null,
          state: 'pending',
          error: null,
        },
      };
    case 'send_reaction': {
      const target = repo.getMessage(command.messageId);
      return {
        ...base,
        type: 'reaction',
        text: command.emoji === '' ? null : command.emoji,
        payload: { message_id: target?.waMessageId ?? command.messageId, emoji: command.emoji },
      };
    }
    default:
      return base;
  }
}
