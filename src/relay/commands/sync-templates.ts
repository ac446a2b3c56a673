// sync_templates: reads every page of the account's templates from Meta now, so a template created
// or fixed a minute ago can be sent. Any role may ask. It answers once the list is applied (the
// changes reach every console as template events); a Graph failure is the refusal, with Meta's words.
import { toErrorInfo } from '../../shared/result.ts';
import { done, refuse, type CommandHandler } from './command-handler.ts';

export const syncTemplates: CommandHandler<'sync_templates'> = async (ctx, agent) => {
  try {
    await ctx.templates.syncNow(`requested by agent ${agent.id}`);
    return done(null);
  } catch (error) {
    const { message } = toErrorInfo(error);
    return refuse('TEMPLATE_SYNC_FAILED', message);
  }
};
