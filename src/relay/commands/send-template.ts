// send_template: an approved template, its variables checked against what Meta listed before
// anything leaves (header, body, buttons; see templates/validate.ts). Allowed outside the 24-hour
// window: that is what templates are for. Synchronous, in the runner's transaction: the message is
// saved `queued` with its event and the Graph body queued for the outbound dispatcher, which uploads
// a header file first when the agent attached one.
import { templateKey } from '../../shared/domain.ts';
import { queueOutboundMessage } from '../outbound/queue-message.ts';
import type { RelayStore } from '../store/relay-store.ts';
import { prepareTemplateSend } from '../templates/prepare-template-send.ts';
import type { CommandContext } from './command-context.ts';
import {
  CommandRefusal,
  done,
  visibleConversation,
  type CommandHandler,
  type CommandOf,
} from './command-handler.ts';

/** The languages a template name exists in (only looked up to explain a refusal). */
function languagesOf(store: RelayStore, name: string): string[] {
  return store
    .listTemplates()
    .filter((template) => template.name === name)
    .map((template) => template.language);
}

/** The header file the agent uploaded, which must exist and be of the header's kind. */
function checkHeaderUpload(ctx: CommandContext, command: CommandOf<'send_template'>): string | null {
  const header = command.parameters.header;
  if (header === undefined || !('uploadId' in header) || header.uploadId === undefined) return null;
  const upload = ctx.uploads.get(header.uploadId);
  if (upload === null) {
    throw new CommandRefusal(
      'UPLOAD_NOT_FOUND',
      'The relay does not hold the header file (uploads nobody sends are removed after a day): upload it again.',
    );
  }
  if (upload.kind !== header.type) {
    throw new CommandRefusal(
      'TEMPLATE_PARAMETERS',
      `The template header is ${header.type === 'image' ? 'an image' : `a ${header.type}`}, but the uploaded file is ${upload.kind === 'image' || upload.kind === 'audio' ? `an ${upload.kind}` : `a ${upload.kind}`}.`,
    );
  }
  return upload.uploadId;
}

export const sendTemplate: CommandHandler<'send_template'> = (ctx, agent, mutationId, command) => {
  const conversation = visibleConversation(ctx, agent, command.conversationId);
  const template = ctx.store.getTemplate(templateKey(command.name, command.language));
  const prepared = prepareTemplateSend(
    template,
    command,
    template === null ? languagesOf(ctx.store, command.name) : [],
  );
  if (!prepared.ok) throw new CommandRefusal(prepared.refusal.code, prepared.refusal.message);
  const uploadId = checkHeaderUpload(ctx, command);

  const { body, uploads, text } = prepared.message;
  const message = queueOutboundMessage(ctx, agent, mutationId, conversation, {
    type: 'template',
    text,
    payload: { name: command.name, language: command.language, parameters: command.parameters },
    preview: text === '' ? command.name : text,
    body,
    ...(uploads.length === 0 ? {} : { uploads }),
  });
  if (uploadId !== null)
    ctx.uploads.markUsed(
      uploadId,
      { messageId: message.id, phoneNumberId: conversation.phoneNumberId },
      ctx.clock.now(),
    );
  return done(message.id);
};
