// The conversation actions over a real relay and the Cloud API simulator, driven by raw protocol
// clients: assign, unassign, transfer, close, reopen, notes, quick replies, reactions and read
// receipts. Each one succeeds for whoever may do it, is refused (with a stable code) for whoever may
// not, answers a replay with its first outcome without logging anything again, and reaches exactly
// the consoles that see the conversation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WINDOW_MS, type Agent } from '../../src/shared/domain.ts';
import type { Command, CommandResult, RelayEvent } from '../../src/shared/protocol.ts';
import { NUMBER_A, NUMBER_B, startRelayStack, type RelayStack } from '../helpers/relay-stack.ts';
import { RelaySyncClient } from '../helpers/relay-sync-client.ts';

let stack: RelayStack;
let clients: RelaySyncClient[] = [];
let counter = 0;

interface Member {
  agent: Agent;
  token: string;
  console: RelaySyncClient;
}

/** Team of number A (two agents), an agent of number B, a supervisor, and a revoked agent of A. */
let ana: Member;
let beto: Member;
let berta: Member;
let sofia: Member;
let revokedId: string;

async function member(name: string, role: Agent['role'], numbers: Agent['numbers']): Promise<Member> {
  const { agent, token } = stack.relay.createAgent({ name, role, numbers });
  const console = await RelaySyncClient.connect(stack.relay.url, token, { clientId: `console-${name}` });
  clients.push(console);
  return { agent, token, console };
}

beforeEach(async () => {
  stack = await startRelayStack();
  ana = await member('Ana', 'agent', [NUMBER_A]);
  beto = await member('Beto', 'agent', [NUMBER_A]);
  berta = await member('Berta', 'agent', [NUMBER_B]);
  sofia = await member('Sofía', 'supervisor', 'all');
  revokedId = stack.relay.createAgent({ name: 'Ex', role: 'agent', numbers: [NUMBER_A] }).agent.id;
  stack.relay.revokeAgent(revokedId);
});

afterEach(async () => {
  for (const client of clients) client.close();
  clients = [];
  await stack.close();
});

const mutation = (): string => `mut_commands_${++counter}`;

const headSeq = (): number =>
  stack.query<{ head: number }>('SELECT coalesce(max(seq), 0) AS head FROM events')[0]!.head;

/** Sends a command and waits for its answer. */
async function run(who: Member, command: Command, mutationId = mutation()): Promise<CommandResult> {
  const from = who.console.frames.length;
  who.console.send({ type: 'command', mutationId, command });
  const answer = await who.console.waitFor(
    'command_result',
    (frame) => frame.mutationId === mutationId,
    from,
  );
  return answer.result;
}

/** A new customer writes to `number`; returns the conversation id. */
async function newConversation(number = NUMBER_A): Promise<string> {
  const customer = `52155500${String(++counter).padStart(5, '0')}`;
  await stack.customerWrites(customer, 'Hola, ¿me ayudan?', number);
  return `${number}:${customer}`;
}

const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) as unknown });

/**
 * Waits until every console has received an event logged after everything so far (a quick reply
 * everyone sees): whatever a console has not received by then was never meant for it.
 */
async function everyoneCaughtUp(): Promise<void> {
  const shortcut = `barrier${++counter}`;
  expect(await run(sofia, { kind: 'quick_reply_create', shortcut, text: 'barrier' })).toMatchObject({
    ok: true,
  });
  const seq = headSeq();
  await Promise.all([ana, beto, berta, sofia].map((m) => m.console.waitForCursor(seq)));
}

const eventsOf = (who: Member, type: RelayEvent['type']): RelayEvent[] =>
  who.console.events().filter((event) => event.type === type);

function assigneeSeenBy(who: Member, conversationId: string): (string | null)[] {
  return who.console
    .events()
    .flatMap((event) =>
      event.type === 'conversation.upserted' && event.conversation.id === conversationId
        ? [event.conversation.assigneeId]
        : [],
    );
}

/** The outcome of a replay, and whether the replay logged anything. */
async function replay(who: Member, command: Command, mutationId: string) {
  const before = headSeq();
  const result = await run(who, command, mutationId);
  return { result, logged: headSeq() - before };
}

describe('assign', () => {
  it('lets an agent take an unassigned conversation, seen by the consoles of its number only', async () => {
    const conversationId = await newConversation();
    const command: Command = { kind: 'assign', conversationId, agentId: ana.agent.id };
    const mutationId = mutation();
    expect(await run(ana, command, mutationId)).toEqual({ ok: true, messageId: null });
    await everyoneCaughtUp();
    for (const m of [ana, beto, sofia]) expect(assigneeSeenBy(m, conversationId).at(-1)).toBe(ana.agent.id);
    expect(
      berta.console.events().some((e) => 'conversation' in e && e.conversation.id === conversationId),
    ).toBe(false);

    expect(await replay(ana, command, mutationId)).toEqual({
      result: { ok: true, messageId: null },
      logged: 0,
    });
  });

  it('keeps giving conversations to others, or taking assigned ones, for supervisors', async () => {
    const conversationId = await newConversation();
    expect(await run(ana, { kind: 'assign', conversationId, agentId: beto.agent.id })).toEqual(
      refused('FORBIDDEN'),
    );
    expect(await run(sofia, { kind: 'assign', conversationId, agentId: beto.agent.id })).toMatchObject({
      ok: true,
    });
    expect(await run(ana, { kind: 'assign', conversationId, agentId: ana.agent.id })).toEqual(
      refused('FORBIDDEN'),
    );
    expect(await run(sofia, { kind: 'assign', conversationId, agentId: ana.agent.id })).toMatchObject({
      ok: true,
    });
    await everyoneCaughtUp();
    expect(assigneeSeenBy(beto, conversationId)).toEqual([null, beto.agent.id, ana.agent.id]);
  });

  it('refuses targets that could not answer, and hides other numbers', async () => {
    const conversationId = await newConversation();
    const assignTo = (agentId: string) => run(sofia, { kind: 'assign', conversationId, agentId });
    expect(await assignTo(berta.agent.id)).toEqual(refused('AGENT_NOT_MEMBER'));
    expect(await assignTo(revokedId)).toEqual(refused('AGENT_REVOKED'));
    expect(await assignTo('agt_nobody')).toEqual(refused('AGENT_NOT_FOUND'));
    expect(await run(berta, { kind: 'assign', conversationId, agentId: berta.agent.id })).toEqual(
      refused('CONVERSATION_NOT_FOUND'),
    );
    expect(
      await run(ana, { kind: 'assign', conversationId: `${NUMBER_A}:nobody`, agentId: ana.agent.id }),
    ).toEqual(refused('CONVERSATION_NOT_FOUND'));
    expect(
      stack.query<{ n: number }>(`SELECT count(*) AS n FROM conversations WHERE assignee_id IS NOT NULL`)[0]!
        .n,
    ).toBe(0);
  });

  it('answers a refusal the same way on replay, even once the refusal no longer holds', async () => {
    const conversationId = await newConversation();
    const command: Command = { kind: 'assign', conversationId, agentId: beto.agent.id };
    const mutationId = mutation();
    expect(await run(ana, command, mutationId)).toEqual(refused('FORBIDDEN'));
    stack.relay.changeAgentAccess(ana.agent.id, { role: 'supervisor' });
    ana.console.close();
    ana.console = await RelaySyncClient.connect(stack.relay.url, ana.token);
    clients.push(ana.console);
    expect(await replay(ana, command, mutationId)).toEqual({ result: refused('FORBIDDEN'), logged: 0 });
  });
});

describe('unassign and transfer', () => {
  async function assignedTo(who: Member): Promise<string> {
    const conversationId = await newConversation();
    expect(await run(sofia, { kind: 'assign', conversationId, agentId: who.agent.id })).toMatchObject({
      ok: true,
    });
    return conversationId;
  }

  it('lets the assignee or a supervisor unassign', async () => {
    const conversationId = await assignedTo(ana);
    expect(await run(beto, { kind: 'unassign', conversationId })).toEqual(refused('FORBIDDEN'));
    const mutationId = mutation();
    expect(await run(ana, { kind: 'unassign', conversationId }, mutationId)).toEqual({
      ok: true,
      messageId: null,
    });
    expect(await run(ana, { kind: 'unassign', conversationId })).toEqual(refused('NOT_ASSIGNED'));
    expect(await replay(ana, { kind: 'unassign', conversationId }, mutationId)).toMatchObject({ logged: 0 });

    const other = await assignedTo(beto);
    expect(await run(sofia, { kind: 'unassign', conversationId: other })).toMatchObject({ ok: true });
    await everyoneCaughtUp();
    expect(assigneeSeenBy(ana, conversationId)).toEqual([null, ana.agent.id, null]);
    expect(assigneeSeenBy(ana, other)).toEqual([null, beto.agent.id, null]);
  });

  it('lets the assignee or a supervisor transfer to a member of the number', async () => {
    const conversationId = await assignedTo(ana);
    const toBeto: Command = { kind: 'transfer', conversationId, toAgentId: beto.agent.id };
    expect(await run(beto, toBeto)).toEqual(refused('FORBIDDEN'));
    expect(await run(ana, { kind: 'transfer', conversationId, toAgentId: berta.agent.id })).toEqual(
      refused('AGENT_NOT_MEMBER'),
    );
    const mutationId = mutation();
    expect(await run(ana, toBeto, mutationId)).toEqual({ ok: true, messageId: null });
    expect(await replay(ana, toBeto, mutationId)).toEqual({
      result: { ok: true, messageId: null },
      logged: 0,
    });
    expect(await run(sofia, { kind: 'transfer', conversationId, toAgentId: ana.agent.id })).toMatchObject({
      ok: true,
    });
    await everyoneCaughtUp();
    expect(assigneeSeenBy(sofia, conversationId)).toEqual([null, ana.agent.id, beto.agent.id, ana.agent.id]);

    const unassigned = await newConversation();
    expect(
      await run(sofia, { kind: 'transfer', conversationId: unassigned, toAgentId: ana.agent.id }),
    ).toEqual(refused('NOT_ASSIGNED'));
  });
});

describe('close and reopen', () => {
  it('lets any member close and reopen, logging each change once', async () => {
    const conversationId = await newConversation();
    const statuses = (who: Member) =>
      who.console
        .events()
        .flatMap((e) =>
          e.type === 'conversation.upserted' && e.conversation.id === conversationId
            ? [e.conversation.status]
            : [],
        );
    const closeId = mutation();
    expect(await run(beto, { kind: 'close', conversationId }, closeId)).toEqual({
      ok: true,
      messageId: null,
    });
    expect(await replay(beto, { kind: 'close', conversationId }, closeId)).toMatchObject({ logged: 0 });
    expect(await run(berta, { kind: 'close', conversationId })).toEqual(refused('CONVERSATION_NOT_FOUND'));
    expect(await run(ana, { kind: 'reopen', conversationId })).toEqual({ ok: true, messageId: null });
    await everyoneCaughtUp();
    expect(statuses(sofia)).toEqual(['open', 'closed', 'open']);
    expect(statuses(berta)).toEqual([]);
  });

  it('is reopened by the customer writing again', async () => {
    const conversationId = await newConversation();
    expect(await run(ana, { kind: 'close', conversationId })).toMatchObject({ ok: true });
    await stack.customerWrites(conversationId.split(':')[1]!, 'Una pregunta más');
    expect(
      stack.query<{ status: string }>(`SELECT status FROM conversations WHERE id = '${conversationId}'`),
    ).toEqual([{ status: 'open' }]);
  });
});

describe('add_note', () => {
  it('keeps an internal note, shown to the consoles of the number and never sent', async () => {
    const conversationId = await newConversation();
    const mutationId = mutation();
    const command: Command = { kind: 'add_note', conversationId, text: 'Cliente VIP: ofrecer envío gratis' };
    expect(await run(beto, command, mutationId)).toEqual({ ok: true, messageId: mutationId });
    await everyoneCaughtUp();
    for (const m of [ana, beto, sofia]) {
      expect(eventsOf(m, 'note.upserted')).toEqual([
        expect.objectContaining({
          note: {
            id: mutationId,
            conversationId,
            phoneNumberId: NUMBER_A,
            authorId: beto.agent.id,
            text: 'Cliente VIP: ofrecer envío gratis',
            at: stack.clock.now(),
          },
        }),
      ]);
    }
    expect(eventsOf(berta, 'note.upserted')).toEqual([]);
    expect(await replay(beto, command, mutationId)).toEqual({
      result: { ok: true, messageId: mutationId },
      logged: 0,
    });
    expect(await run(berta, command)).toEqual(refused('CONVERSATION_NOT_FOUND'));
    expect(stack.query('SELECT id, text FROM notes')).toEqual([{ id: mutationId, text: command.text }]);
    expect(stack.simulator.sends()).toEqual([]);
  });
});

describe('quick replies', () => {
  it('are shared by the whole team, with shortcuts unique whatever their case', async () => {
    const createId = mutation();
    const create: Command = { kind: 'quick_reply_create', shortcut: 'Envío', text: 'El envío tarda 2 días.' };
    expect(await run(ana, create, createId)).toEqual({ ok: true, messageId: createId });
    expect(await replay(ana, create, createId)).toEqual({
      result: { ok: true, messageId: createId },
      logged: 0,
    });
    expect(await run(berta, { kind: 'quick_reply_create', shortcut: 'ENVÍO', text: 'Otro' })).toEqual(
      refused('SHORTCUT_TAKEN'),
    );

    // Any agent may edit any reply.
    expect(
      await run(berta, {
        kind: 'quick_reply_update',
        quickReplyId: createId,
        text: 'El envío tarda 3 días.',
      }),
    ).toEqual({
      ok: true,
      messageId: createId,
    });
    await everyoneCaughtUp();
    for (const m of [ana, beto, berta, sofia]) {
      const upserts = eventsOf(m, 'quick_reply.upserted').filter(
        (e) => 'quickReply' in e && e.quickReply.id === createId,
      );
      expect(upserts.map((e) => ('quickReply' in e ? e.quickReply : null))).toEqual([
        {
          id: createId,
          shortcut: 'Envío',
          text: 'El envío tarda 2 días.',
          updatedAt: stack.clock.now(),
          updatedBy: ana.agent.id,
        },
        {
          id: createId,
          shortcut: 'Envío',
          text: 'El envío tarda 3 días.',
          updatedAt: stack.clock.now(),
          updatedBy: berta.agent.id,
        },
      ]);
    }
  });

  it('refuses a rename onto a taken shortcut, an empty change, and unknown replies', async () => {
    const first = mutation();
    expect(
      await run(ana, { kind: 'quick_reply_create', shortcut: 'hola', text: 'Hola' }, first),
    ).toMatchObject({ ok: true });
    const second = mutation();
    expect(
      await run(ana, { kind: 'quick_reply_create', shortcut: 'adios', text: 'Adiós' }, second),
    ).toMatchObject({ ok: true });
    expect(await run(beto, { kind: 'quick_reply_update', quickReplyId: second, shortcut: 'HOLA' })).toEqual(
      refused('SHORTCUT_TAKEN'),
    );
    // Changing only the case of its own shortcut is no clash.
    expect(
      await run(beto, { kind: 'quick_reply_update', quickReplyId: second, shortcut: 'Adios' }),
    ).toMatchObject({ ok: true });
    expect(await run(beto, { kind: 'quick_reply_update', quickReplyId: second })).toEqual(
      refused('NOTHING_TO_CHANGE'),
    );
    expect(await run(beto, { kind: 'quick_reply_update', quickReplyId: 'qr_nope_nope', text: 'x' })).toEqual(
      refused('QUICK_REPLY_NOT_FOUND'),
    );
    expect(stack.query('SELECT shortcut, text FROM quick_replies ORDER BY shortcut_key')).toEqual([
      { shortcut: 'Adios', text: 'Adiós' },
      { shortcut: 'hola', text: 'Hola' },
    ]);
  });

  it('may be deleted by their creator or a supervisor only', async () => {
    const anas = mutation();
    expect(
      await run(ana, { kind: 'quick_reply_create', shortcut: 'precio', text: 'Cuesta 10' }, anas),
    ).toMatchObject({ ok: true });
    expect(await run(beto, { kind: 'quick_reply_delete', quickReplyId: anas })).toEqual(refused('FORBIDDEN'));
    const deleteId = mutation();
    expect(await run(ana, { kind: 'quick_reply_delete', quickReplyId: anas }, deleteId)).toEqual({
      ok: true,
      messageId: anas,
    });
    expect(await replay(ana, { kind: 'quick_reply_delete', quickReplyId: anas }, deleteId)).toEqual({
      result: { ok: true, messageId: anas },
      logged: 0,
    });
    expect(await run(ana, { kind: 'quick_reply_delete', quickReplyId: anas })).toEqual(
      refused('QUICK_REPLY_NOT_FOUND'),
    );

    const betos = mutation();
    expect(
      await run(beto, { kind: 'quick_reply_create', shortcut: 'horario', text: '9 a 18' }, betos),
    ).toMatchObject({ ok: true });
    expect(await run(sofia, { kind: 'quick_reply_delete', quickReplyId: betos })).toMatchObject({ ok: true });
    await everyoneCaughtUp();
    for (const m of [ana, berta]) {
      expect(
        eventsOf(m, 'quick_reply.deleted').map((e) => ('quickReplyId' in e ? e.quickReplyId : null)),
      ).toEqual([anas, betos]);
    }
    // The shortcut is free again.
    expect(
      await run(beto, { kind: 'quick_reply_create', shortcut: 'PRECIO', text: 'Cuesta 12' }),
    ).toMatchObject({ ok: true });
  });
});

describe('the runner', () => {
  it('refuses a mutation id another agent already used, without running it', async () => {
    const conversationId = await newConversation();
    const mutationId = mutation();
    expect(await run(ana, { kind: 'close', conversationId }, mutationId)).toMatchObject({ ok: true });
    expect(await replay(beto, { kind: 'reopen', conversationId }, mutationId)).toEqual({
      result: refused('MUTATION_ID_TAKEN'),
      logged: 0,
    });
  });

  it('answers a replay after a restart with the first outcome, logging nothing', async () => {
    const conversationId = await newConversation();
    const mutationId = mutation();
    const command: Command = { kind: 'add_note', conversationId, text: 'Antes del reinicio' };
    expect(await run(ana, command, mutationId)).toEqual({ ok: true, messageId: mutationId });
    for (const client of clients) client.close();
    await stack.restartRelay();
    ana.console = await RelaySyncClient.connect(stack.relay.url, ana.token);
    clients = [ana.console];
    expect(await replay(ana, command, mutationId)).toEqual({
      result: { ok: true, messageId: mutationId },
      logged: 0,
    });
    expect(stack.query('SELECT id FROM notes')).toEqual([{ id: mutationId }]);
  });
});

/** A new conversation and the wamid of the customer's message in it. */
async function customerMessage(number = NUMBER_A): Promise<{ conversationId: string; wamid: string }> {
  const conversationId = await newConversation(number);
  const [row] = stack.query<{ id: string }>(
    `SELECT id FROM messages WHERE conversation_id = '${conversationId}' AND direction = 'in'`,
  );
  return { conversationId, wamid: row!.id };
}

/** Waits until `who` has seen the message in `status`; returns it. */
async function messageSeen(who: Member, messageId: string, status: string) {
  await who.console.waitFor('events', (frame) =>
    frame.events.some(
      (e) => e.type === 'message.upserted' && e.message.id === messageId && e.message.status === status,
    ),
  );
  return who.console.mirror.messages.get(messageId)!;
}

describe('send_reaction', () => {
  it('sends the emoji to WhatsApp once, whatever the replays, also across a restart', async () => {
    const { conversationId, wamid } = await customerMessage();
    const command: Command = { kind: 'send_reaction', conversationId, messageId: wamid, emoji: '👍' };
    const mutationId = mutation();
    expect(await run(ana, command, mutationId)).toEqual({ ok: true, messageId: mutationId });
    const reaction = await messageSeen(sofia, mutationId, 'accepted');
    expect(reaction).toMatchObject({
      direction: 'out',
      type: 'reaction',
      text: '👍',
      authorId: ana.agent.id,
      payload: { message_id: wamid, emoji: '👍' },
    });
    expect(await replay(ana, command, mutationId)).toEqual({
      result: { ok: true, messageId: mutationId },
      logged: 0,
    });

    for (const client of clients) client.close();
    await stack.restartRelay();
    ana.console = await RelaySyncClient.connect(stack.relay.url, ana.token);
    berta.console = await RelaySyncClient.connect(stack.relay.url, berta.token);
    clients = [ana.console, berta.console];
    expect(await replay(ana, command, mutationId)).toEqual({
      result: { ok: true, messageId: mutationId },
      logged: 0,
    });
    const sends = stack.simulator.sends().filter((send) => send.bizOpaqueCallbackData === mutationId);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.body).toMatchObject({ type: 'reaction', reaction: { message_id: wamid, emoji: '👍' } });
    expect(await run(berta, command)).toEqual(refused('CONVERSATION_NOT_FOUND'));
  });

  it('removes a reaction with an empty emoji, leaving the conversation line as it was', async () => {
    const { conversationId, wamid } = await customerMessage();
    const mutationId = mutation();
    const command: Command = { kind: 'send_reaction', conversationId, messageId: wamid, emoji: '' };
    expect(await run(beto, command, mutationId)).toEqual({ ok: true, messageId: mutationId });
    expect(await messageSeen(beto, mutationId, 'accepted')).toMatchObject({ type: 'reaction', text: null });
    expect(beto.console.mirror.conversations.get(conversationId)?.lastMessagePreview).toBe(
      'Hola, ¿me ayudan?',
    );
    const [send] = stack.simulator.sends().filter((s) => s.bizOpaqueCallbackData === mutationId);
    expect(send?.body).toMatchObject({ reaction: { message_id: wamid, emoji: '' } });
  });

  it('is refused outside the window, and for messages WhatsApp does not know', async () => {
    const { conversationId, wamid } = await customerMessage();
    const react = (messageId: string): Command => ({
      kind: 'send_reaction',
      conversationId,
      messageId,
      emoji: '❤️',
    });
    expect(await run(ana, react('wamid.nothere'))).toEqual(refused('MESSAGE_NOT_FOUND'));

    // A reply Meta refused never got a wamid: there is nothing to react to.
    stack.simulator.failNextSends({ error: { code: 131047 } });
    const text = mutation();
    const reply: Command = { kind: 'send_text', conversationId, text: 'Hola', previewUrl: false };
    expect(await run(ana, reply, text)).toMatchObject({ ok: true });
    await messageSeen(ana, text, 'failed');
    expect(await run(ana, react(text))).toEqual(refused('MESSAGE_NOT_SENT'));

    stack.clock.advance(WINDOW_MS + 1);
    expect(await run(ana, react(wamid))).toEqual(refused('WINDOW_CLOSED'));
    expect(stack.simulator.sends()).toEqual([]);
    expect(stack.query(`SELECT id FROM messages WHERE type = 'reaction'`)).toEqual([]);
  });
});

describe('mark_read', () => {
  it("tells WhatsApp once that a customer's message was read", async () => {
    const { conversationId, wamid } = await customerMessage();
    const command: Command = { kind: 'mark_read', conversationId, messageId: wamid };
    const mutationId = mutation();
    expect(await run(beto, command, mutationId)).toEqual({ ok: true, messageId: wamid });
    expect(await replay(beto, command, mutationId)).toEqual({
      result: { ok: true, messageId: wamid },
      logged: 0,
    });
    expect(stack.simulator.reads()).toEqual([
      expect.objectContaining({ phoneNumberId: NUMBER_A, messageId: wamid }),
    ]);
  });

  it("refuses other numbers, unknown messages and the business's own messages", async () => {
    const { conversationId, wamid } = await customerMessage();
    const command: Command = { kind: 'mark_read', conversationId, messageId: wamid };
    expect(await run(berta, command)).toEqual(refused('CONVERSATION_NOT_FOUND'));
    expect(await run(beto, { ...command, messageId: 'wamid.unknown' })).toEqual(refused('MESSAGE_NOT_FOUND'));
    const note = mutation();
    expect(await run(beto, { kind: 'add_note', conversationId, text: 'nota' }, note)).toMatchObject({
      ok: true,
    });
    expect(await run(beto, { ...command, messageId: note })).toEqual(refused('MESSAGE_NOT_FOUND'));
    const reaction = mutation();
    const react: Command = { kind: 'send_reaction', conversationId, messageId: wamid, emoji: '👍' };
    expect(await run(beto, react, reaction)).toMatchObject({ ok: true });
    expect(await run(beto, { ...command, messageId: reaction })).toEqual(refused('NOT_A_CUSTOMER_MESSAGE'));
    expect(stack.simulator.reads()).toEqual([]);
  });

  it("answers with Meta's reason when WhatsApp refuses or cannot be reached", async () => {
    const { conversationId, wamid } = await customerMessage();
    const command: Command = { kind: 'mark_read', conversationId, messageId: wamid };
    stack.simulator.failNextSends({
      error: { code: 100, title: 'Invalid parameter', details: 'message_id is too old' },
    });
    const rejected = mutation();
    const refusal = await run(beto, command, rejected);
    expect(refusal).toEqual(refused('META_REJECTED'));
    expect(!refusal.ok && refusal.error.message).toContain('Invalid parameter (100): message_id is too old');
    expect(await replay(beto, command, rejected)).toEqual({ result: refusal, logged: 0 });

    stack.simulator.failNextSends({ error: { httpStatus: 500 } });
    expect(await run(beto, command)).toEqual(refused('META_UNREACHABLE'));
    // Read receipts are safe to repeat: a new mutation goes through.
    expect(await run(beto, command)).toEqual({ ok: true, messageId: wamid });
    expect(stack.simulator.reads()).toHaveLength(1);
  });
});

describe('visibility of numbers', () => {
  it('lets agents of number B act on B only', async () => {
    const conversationId = await newConversation(NUMBER_B);
    expect(await run(berta, { kind: 'assign', conversationId, agentId: berta.agent.id })).toMatchObject({
      ok: true,
    });
    expect(await run(ana, { kind: 'close', conversationId })).toEqual(refused('CONVERSATION_NOT_FOUND'));
    await everyoneCaughtUp();
    expect(assigneeSeenBy(ana, conversationId)).toEqual([]);
    expect(assigneeSeenBy(berta, conversationId)).toEqual([null, berta.agent.id]);
  });
});
