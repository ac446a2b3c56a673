// A thread as the agent sees it: confirmed messages plus the replies still in the outbox, which
// show as pending ("queued", or "failed" with the relay's reason) in the place they were written.
import type { MessageView } from '../../shared/console-api.ts';
import type { Conversation, WhatsAppError } from '../../shared/domain.ts';
import type { ErrorInfo } from '../../shared/result.ts';
import type { CacheRepository, OutboxRow } from '../cache/cache-repository.ts';

export interface ThreadPage {
  conversationId: string;
  limit: number;
  /** Only messages older than this (ms). */
  before?: number | undefined;
}

export function threadView(repo: CacheRepository, page: ThreadPage, authorId: string | null): MessageView[] {
  const before = page.before ?? Number.MAX_SAFE_INTEGER;
  const confirmed = repo
    .listMessages(page.conversationId, page.limit, before)
    .map((m) => ({ ...m, pending: false }));
  const conversation = repo.getConversation(page.conversationId);
  const pending = repo
    .outboxOfConversation(page.conversationId)
    .filter((row) => row.createdAt < before)
    .map((row) => outboxView(row, conversation, authorId));
  // Both lists are oldest first; a stable sort keeps confirmed before pending at equal times.
  return [...confirmed, ...pending].sort((a, b) => a.timestamp - b.timestamp).slice(-page.limit);
}

function outboxView(row: OutboxRow, conversation: Conversation | null, authorId: string | null): MessageView {
  return {
    id: row.mutationId,
    conversationId: row.conversationId,
    phoneNumberId: conversation?.phoneNumberId ?? row.conversationId.split(':')[0] ?? '',
    direction: 'out',
    type: 'text',
    text: row.command.kind === 'send_text' ? row.command.text : null,
    waMessageId: null,
    timestamp: row.createdAt,
    status: row.state === 'failed' ? 'failed' : 'queued',
    statusAt: null,
    error: row.error ? refusalAsWhatsAppError(row.error) : null,
    pricing: null,
    authorId,
    payload: null,
    media: null,
    context: null,
    waitingUntil: null,
    pending: true,
  };
}

/** The relay's refusal in the shape the UI shows for any failed message; Meta's numeric codes survive. */
function refusalAsWhatsAppError(error: ErrorInfo): WhatsAppError {
  const numeric = Number(error.code);
  return { code: Number.isInteger(numeric) ? numeric : 0, title: error.code, message: error.message };
}
