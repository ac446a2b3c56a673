// send_media: a file the agent uploaded (POST /v1/uploads), sent as the message kind its type allows
// (image, video, audio, document, sticker) with an optional caption. Like any free-form message it
// needs the open window, and it leaves through the outbound queue: this handler records it (status
// `queued`, its media viewable at once at GET /v1/uploads/{id}) and enqueues it, in the runner's
// transaction; the dispatcher uploads the bytes to Meta and puts the media id in the body.
import type { Conversation, Media, MessageContext } from '../../shared/domain.ts';
import { queueOutboundMessage } from '../outbound/queue-message.ts';
import type { UploadKind } from '../uploads/upload-limits.ts';
import { previewOf } from '../webhook/shapes/message-content.ts';
import type { CommandContext } from './command-context.ts';
import {
  CommandRefusal,
  customerWaId,
  done,
  messageOf,
  requireOpenWindow,
  visibleConversation,
  type CommandHandler,
} from './command-handler.ts';

/** WhatsApp shows a caption under images, videos and documents; audio and stickers have none. */
const CAPTIONED: ReadonlySet<UploadKind> = new Set(['image', 'video', 'document']);

/** Meta's reply context for a quoted message of the conversation, which must carry a wamid by now. */
function replyContext(ctx: CommandContext, conversation: Conversation, messageId: string): string {
  const target = messageOf(ctx, conversation, messageId);
  if (target.waMessageId === null) {
    throw new CommandRefusal(
      'MESSAGE_NOT_SENT',
      'WhatsApp has not accepted the quoted message yet, so it cannot be replied to.',
    );
  }
  return target.waMessageId;
}

export const sendMedia: CommandHandler<'send_media'> = (ctx, agent, mutationId, command) => {
  const now = ctx.clock.now();
  const conversation = visibleConversation(ctx, agent, command.conversationId);
  requireOpenWindow(conversation, now);
  // Refused before the upload is looked at: a customer known only by a username id cannot get files.
  customerWaId(conversation);
  const upload = ctx.uploads.get(command.uploadId);
  if (upload === null) {
    throw new CommandRefusal(
      'UPLOAD_NOT_FOUND',
      'The relay does not hold this upload (uploads nobody sends are removed after a day): upload the file again.',
    );
  }
  const caption = command.caption?.trim() ?? '';
  if (caption !== '' && !CAPTIONED.has(upload.kind)) {
    throw new CommandRefusal(
      'CAPTION_NOT_SUPPORTED',
      `WhatsApp shows no caption under ${upload.kind === 'audio' ? 'audio' : 'stickers'}: send the text as its own message.`,
    );
  }
  const quoted = command.replyTo === undefined ? null : replyContext(ctx, conversation, command.replyTo);

  const kind = upload.kind;
  // The media object without its id: the dispatcher adds {id} once Meta has the bytes.
  const mediaObject = {
    ...(caption === '' ? {} : { caption }),
    ...(kind === 'document' && upload.filename !== null ? { filename: upload.filename } : {}),
  };
  const body: Record<string, unknown> = {
    type: kind,
    [kind]: mediaObject,
    ...(quoted === null ? {} : { context: { message_id: quoted } }),
  };
  const media: Media = {
    id: upload.uploadId,
    mimeType: upload.mimeType,
    sha256: upload.sha256,
    fileSize: upload.size,
    filename: upload.filename,
    state: 'stored',
    error: null,
  };
  const context: MessageContext | null =
    quoted === null ? null : { replyTo: quoted, forwarded: false, frequentlyForwarded: false };
  const message = queueOutboundMessage(ctx, agent, mutationId, conversation, {
    type: kind,
    text: caption === '' ? null : caption,
    media,
    context,
    // The same line an inbound message of this kind gets (📷 caption, 📄 filename, ...).
    preview: previewOf({ type: kind, [kind]: mediaObject }) ?? '',
    body,
    uploads: [{ uploadId: upload.uploadId, path: [kind] }],
  });
  ctx.uploads.markUsed(
    upload.uploadId,
    { messageId: message.id, phoneNumberId: conversation.phoneNumberId },
    now,
  );
  return done(message.id);
};
