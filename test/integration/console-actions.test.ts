// Every action an agent takes from the console, end to end: outbox row first, then the relay, then
// the simulated Graph API, confirmed back through the event stream. Real relay, real simulator,
// real SQLite caches on disk.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleCore, type ConsoleCore } from '../../src/main/core/console-core.ts';
import type { MessageView } from '../../src/shared/console-api.ts';
import { conversationId } from '../../src/shared/domain.ts';
import { CodedError } from '../../src/shared/result.ts';
import { startConsoleStack, STACK_PHONE_NUMBER_ID, type ConsoleStack } from '../helpers/console-stack.ts';
import { waitFor } from '../helpers/console-wait.ts';

let stack: ConsoleStack;
let core: ConsoleCore;
let customers = 0;

beforeAll(async () => {
  stack = await startConsoleStack();
  core = await openConsoleCore({
    cachePath: join(stack.dir, 'actions.sqlite'),
    relayUrl: stack.relayUrl,
    token: stack.token,
    clientId: 'console-actions',
    demo: false,
  });
  // This stack's relay does not read Meta's templates at start: the agent's refresh does.
  await waitFor('the connection', async () => (await core.getSyncStatus({})).state === 'connected');
  await core.syncTemplates({});
  await waitFor('the templates in the cache', async () => (await core.listTemplates({})).length > 0);
});
afterAll(async () => {
  await core.close();
  await stack.close();
});

/** A customer who has just written (the window is open), with the conversation in the cache. */
async function customerWhoWrote(
  text = 'Hola',
  timestamp?: number,
): Promise<{ waId: string; id: string; wamid: string }> {
  const waId = `5939922${String(++customers).padStart(5, '0')}`;
  const id = conversationId(STACK_PHONE_NUMBER_ID, waId);
  const { wamid } = await stack.simulator.sendInboundText({
    from: waId,
    text,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
  await waitFor(`message ${wamid}`, async () => (await thread(id)).find((m) => m.id === wamid));
  return { waId, id, wamid };
}

async function thread(id: string): Promise<MessageView[]> {
  try {
    return (await core.getMessages({ conversationId: id, limit: 500 })).messages;
  } catch {
    return [];
  }
}

function confirmed(id: string, mutationId: string): Promise<MessageView> {
  return waitFor(`message ${mutationId} confirmed`, async () =>
    (await thread(id)).find((m) => m.id === mutationId && !m.pending),
  );
}

function sendsFor(mutationId: string) {
  return stack.simulator.sends().filter((send) => send.bizOpaqueCallbackData === mutationId);
}

async function refusalOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof CodedError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('console actions', () => {
  it('sends a text reply quoting the customer, once, and shows it confirmed', async () => {
    const c = await customerWhoWrote('¿Tienen envío a Quito?');
    const { mutationId } = await core.sendText({
      conversationId: c.id,
      text: 'Sí, en 48 horas',
      replyTo: c.wamid,
    });
    const message = await confirmed(c.id, mutationId);
    expect(message).toMatchObject({ direction: 'out', type: 'text', text: 'Sí, en 48 horas' });
    await waitFor('the send', () => sendsFor(mutationId).length === 1);
    const [send] = sendsFor(mutationId);
    expect(send?.body).toMatchObject({ context: { message_id: c.wamid } });
  });

  it('sends an approved template with its parameters, even with the window closed', async () => {
    // The customer wrote 25 hours ago (by the relay's clock, which the console counts on).
    const { clockOffsetMs } = await core.getSyncStatus({});
    const c = await customerWhoWrote('Hola', Date.now() + clockOffsetMs - 25 * 60 * 60 * 1000);
    expect(await refusalOf(core.sendText({ conversationId: c.id, text: 'tarde' }))).toBe('WINDOW_CLOSED');
    const { mutationId } = await core.sendTemplate({
      conversationId: c.id,
      name: 'confirmacion_pedido',
      language: 'es_MX',
      parameters: { body: { '1': 'María', '2': '#10482' }, buttons: { '0': '10482' } },
    });
    const message = await confirmed(c.id, mutationId);
    expect(message.type).toBe('template');
    expect(message.text).toContain('Hola María, confirmamos tu pedido #10482');
    expect(sendsFor(mutationId)).toHaveLength(1);
  });

  it('refuses templates the console knows are not approved or do not exist, queueing nothing', async () => {
    const c = await customerWhoWrote();
    const paused = (await core.listTemplates({})).find((t) => t.status !== 'APPROVED');
    expect(paused).toBeDefined();
    expect(
      await refusalOf(
        core.sendTemplate({
          conversationId: c.id,
          name: paused!.name,
          language: paused!.language,
          parameters: { body: {}, buttons: {} },
        }),
      ),
    ).toBe('TEMPLATE_NOT_APPROVED');
    expect(
      await refusalOf(
        core.sendTemplate({
          conversationId: c.id,
          name: 'no_existe',
          language: 'es',
          parameters: { body: {}, buttons: {} },
        }),
      ),
    ).toBe('TEMPLATE_NOT_FOUND');
    expect((await thread(c.id)).filter((m) => m.pending)).toEqual([]);
  });

  it('reacts to the customer message and adds an internal note that never reaches the customer', async () => {
    const c = await customerWhoWrote('¡Gracias!');
    const reaction = await core.sendReaction({ conversationId: c.id, messageId: c.wamid, emoji: '❤️' });
    expect((await confirmed(c.id, reaction.mutationId)).type).toBe('reaction');
    const sendsBefore = stack.simulator.sends().length;
    const note = await core.addNote({
      conversationId: c.id,
      text: 'Cliente frecuente, ofrecer envío gratis',
    });
    await waitFor('the note confirmed', async () =>
      (await core.listNotes({ conversationId: c.id })).find((n) => n.id === note.mutationId),
    );
    expect(stack.simulator.sends()).toHaveLength(sendsBefore);
  });

  it('assigns, transfers, unassigns, closes and reopens through the relay', async () => {
    const c = await customerWhoWrote();
    const other = stack.relay.createAgent({ name: 'Beto', role: 'agent', numbers: 'all' }).agent;
    const conversation = () => core.getConversation({ conversationId: c.id });
    await core.assignConversation({ conversationId: c.id, agentId: stack.agent.id });
    await waitFor('assigned to me', async () => (await conversation()).assigneeId === stack.agent.id);
    await core.transferConversation({ conversationId: c.id, toAgentId: other.id });
    await waitFor('transferred', async () => (await conversation()).assigneeId === other.id);
    await core.assignConversation({ conversationId: c.id, agentId: null });
    await waitFor('unassigned', async () => (await conversation()).assigneeId === null);
    await core.closeConversation({ conversationId: c.id });
    await waitFor('closed', async () => (await conversation()).status === 'closed');
    await core.reopenConversation({ conversationId: c.id });
    await waitFor('reopened', async () => (await conversation()).status === 'open');
  });

  it('marks the conversation read here and for the customer, once per unread batch', async () => {
    const c = await customerWhoWrote('¿Me confirman?');
    expect((await core.getConversation({ conversationId: c.id })).unreadCount).toBe(1);
    await core.markConversationRead({ conversationId: c.id });
    expect((await core.getConversation({ conversationId: c.id })).unreadCount).toBe(0);
    await waitFor('the read receipt', () =>
      stack.simulator.reads().some((read) => read.messageId === c.wamid),
    );
    await core.markConversationRead({ conversationId: c.id });
    expect(stack.simulator.reads().filter((read) => read.messageId === c.wamid)).toHaveLength(1);
  });

  it('sends a message Meta refused again as a new message, on request', async () => {
    const c = await customerWhoWrote();
    // A text whose send Meta refuses for good is a failed message that can be sent again.
    stack.simulator.failNextSends({ to: c.waId, error: { code: 131026 } });
    const failed = await core.sendText({ conversationId: c.id, text: 'No llegará' });
    await waitFor('the failure', async () =>
      (await thread(c.id)).find((m) => m.id === failed.mutationId && m.status === 'failed'),
    );
    const retry = await core.retryMessage({ messageId: failed.mutationId });
    expect(retry.mutationId).not.toBe(failed.mutationId);
    expect((await confirmed(c.id, retry.mutationId)).text).toBe('No llegará');
    // Meta refused the first attempt: only the retry was accepted, once.
    expect(stack.simulator.sends().filter((s) => s.text === 'No llegará')).toHaveLength(1);

    expect(await refusalOf(core.retryMessage({ messageId: retry.mutationId }))).toBe('NOT_RETRYABLE');
    expect(await refusalOf(core.discardMessage({ messageId: 'not-a-message' }))).toBe('MESSAGE_NOT_FOUND');
  });

  it('marks an outbox row failed with the relay refusal, then lets the agent discard it', async () => {
    const c = await customerWhoWrote();
    await stack.advanceClocks(25 * 60 * 60 * 1000);
    // The console counts on the offset it got at its last welcome, so it still sees the window
    // open and queues the reaction; the relay, whose clock moved, refuses it.
    const { mutationId } = await core.sendReaction({ conversationId: c.id, messageId: c.wamid, emoji: '👍' });
    const refused = await waitFor('the refusal', async () =>
      (await thread(c.id)).find((m) => m.id === mutationId && m.pending && m.refusal !== null),
    );
    expect(refused.status).toBe('failed');
    expect(refused.refusal?.code).toMatch(/[A-Z_]+/);
    await core.discardMessage({ messageId: mutationId });
    expect((await thread(c.id)).find((m) => m.id === mutationId)).toBeUndefined();
  });

  it('creates, edits and deletes a quick reply for the whole team', async () => {
    const created = await core.saveQuickReply({ shortcut: 'horario', text: 'Abrimos de 9 a 18 h.' });
    const quickReply = await waitFor('the quick reply', async () =>
      (await core.listQuickReplies({})).find((q) => q.id === created.mutationId),
    );
    expect(quickReply.shortcut).toBe('horario');
    await core.saveQuickReply({ id: quickReply.id, shortcut: 'horario', text: 'Abrimos de 9 a 19 h.' });
    await waitFor('the edit', async () =>
      (await core.listQuickReplies({})).find((q) => q.id === quickReply.id && q.text.includes('19 h')),
    );
    await core.deleteQuickReply({ id: quickReply.id });
    await waitFor(
      'the deletion',
      async () => !(await core.listQuickReplies({})).some((q) => q.id === quickReply.id),
    );
  });

  it('keeps several replies written offline in order and sends each once on reconnect', async () => {
    const c = await customerWhoWrote();
    await stack.stopRelay();
    await waitFor('offline', async () => (await core.getSyncStatus({})).state !== 'connected');
    const texts = ['uno', 'dos', 'tres', 'cuatro'].map((word) => `${word} ${c.waId}`);
    const ids: string[] = [];
    for (const text of texts) ids.push((await core.sendText({ conversationId: c.id, text })).mutationId);
    expect((await thread(c.id)).filter((m) => m.pending).map((m) => m.text)).toEqual(texts);
    await stack.startRelay();
    for (const id of ids) await confirmed(c.id, id);
    // Confirmed means the relay took them; Meta gets them from its outbound queue, in order.
    const sentTo = () => stack.simulator.sends().filter((s) => s.to === c.waId);
    await waitFor('every reply at Meta', () => sentTo().length >= texts.length);
    const sent = sentTo().map((s) => s.text);
    expect(sent).toEqual(texts);
  });

  it('keeps a file sent offline until the relay is back, then uploads and sends it once', async () => {
    const c = await customerWhoWrote();
    await stack.stopRelay();
    await waitFor('offline', async () => (await core.getSyncStatus({})).state !== 'connected');
    const bytes = Buffer.from(`Cotización para ${c.waId}\n`);
    const { mutationId } = await core.sendMedia({
      conversationId: c.id,
      file: { name: 'cotizacion.txt', mimeType: 'text/plain', dataBase64: bytes.toString('base64') },
      caption: 'Así llega',
    });
    // The upload fails at once (connection refused); give it time to, then the row must still wait.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await thread(c.id)).find((m) => m.id === mutationId)).toMatchObject({
      pending: true,
      refusal: null,
    });
    await stack.startRelay();
    expect((await confirmed(c.id, mutationId)).text).toBe('Así llega');
    await waitFor('the file at Meta', () => sendsFor(mutationId).length === 1);
    expect(
      stack.simulator.uploads().filter((u) => u.filename === 'cotizacion.txt' && u.size === bytes.length),
    ).toHaveLength(1);
  });
});
