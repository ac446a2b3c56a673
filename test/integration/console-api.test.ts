// The ConsoleApi's read side: inbox views and their counts, keyset paging, thread pages both ways and
// around a message, notes, quick replies and templates. First against a cache filled as a sync would
// leave it (the relay unreachable, so every answer is the cache's), then against the real relay and
// simulator over HTTP and WebSocket, where the mirror is built, changed and rebuilt by the relay.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openConsoleCore, type ConsoleCore } from '../../src/main/core/console-core.ts';
import type {
  ConsoleEvent,
  ConversationListItem,
  ConversationView,
  SyncStatus,
} from '../../src/shared/console-api.ts';
import { conversationId, type Agent, type Conversation, type Template } from '../../src/shared/domain.ts';
import { readCacheRows } from '../helpers/console-cache-rows.ts';
import { relayCommand, seededCore } from '../helpers/console-api-seed.ts';
import {
  conversationFixture,
  eventsFrame,
  inboundFixture,
  noteFixture,
  outboundFixture,
  PHONE_NUMBER_ID,
  quickReplyFixture,
  T0,
  templateFixture,
} from '../helpers/console-fixtures.ts';
import { waitUntilSettled, type CursorProbe } from '../helpers/console-settle.ts';
import { startConsoleStack, STACK_PHONE_NUMBER_ID, type ConsoleStack } from '../helpers/console-stack.ts';
import { readRelayStream } from '../helpers/console-stream-reader.ts';
import { waitFor } from '../helpers/console-wait.ts';
import { applyEventsFrame } from '../../src/main/sync/apply-events.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const OTHER_NUMBER_ID = '106540352242923';
const ME: Agent = { id: 'agent-ana', name: 'Ana', role: 'agent', numbers: 'all' };

const dir = mkdtempSync(join(tmpdir(), 'ventana-console-api-'));
let files = 0;
const cachePath = () => join(dir, `cache-${++files}.sqlite`);

/** Everything a test opened, closed whatever happens. */
const opened: { cores: ConsoleCore[]; stacks: ConsoleStack[] } = { cores: [], stacks: [] };
afterEach(async () => {
  for (const core of opened.cores.splice(0)) await core.close();
  for (const stack of opened.stacks.splice(0)) await stack.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keep<T extends ConsoleCore>(core: T): T {
  opened.cores.push(core);
  return core;
}

const ids = (items: { id: string }[]) => items.map((item) => item.id);

describe('inbox views against a filled cache', () => {
  const NOW = T0 + 30 * DAY;
  /** A conversation whose window closes `closesIn` from NOW (negative: already closed). */
  const conversation = (
    customer: string,
    lastMessageAt: number,
    closesIn: number,
    overrides: Partial<Conversation> = {},
  ) =>
    conversationFixture(customer, {
      lastInboundAt: NOW + closesIn - DAY,
      windowExpiresAt: NOW + closesIn,
      lastMessageAt,
      ...overrides,
    });
  const mineExpiring = conversation('593991150001', NOW - 1, HOUR, { assigneeId: ME.id });
  const unassignedQuiet = conversation('593991150002', NOW - 2, 5 * HOUR);
  const othersExpired = conversation('593991150003', NOW - 3, -HOUR, { assigneeId: 'agent-luis' });
  const closed = conversation('593991150004', NOW - 4, 10 * HOUR, { status: 'closed' });
  const onOtherNumber = conversation('593991150005', NOW - 5, HOUR / 2, {
    id: conversationId(OTHER_NUMBER_ID, '593991150005'),
    phoneNumberId: OTHER_NUMBER_ID,
  });
  // Closes exactly two hours from now: still `expiring` (within two hours), one more ms would not be.
  const atTheEdge = conversation('593991150006', NOW - 6, 2 * HOUR, { assigneeId: 'agent-luis' });

  function fill(repo: Parameters<Parameters<typeof seededCore>[2]>[0]): void {
    repo.setAgent(ME);
    const inbound = (c: { id: string; phoneNumberId: string }, id: string) =>
      inboundFixture('x', id, { conversationId: c.id, phoneNumberId: c.phoneNumberId, timestamp: NOW - 10 });
    applyEventsFrame(
      repo,
      eventsFrame(1, [
        { conversation: mineExpiring },
        { message: inbound(mineExpiring, 'wamid.M1') },
        { message: inbound(mineExpiring, 'wamid.M2') },
        { conversation: unassignedQuiet },
        { conversation: othersExpired },
        { message: inbound(othersExpired, 'wamid.O1') },
        { conversation: closed },
        { message: inbound(closed, 'wamid.C1') },
        { conversation: onOtherNumber },
        { message: inbound(onOtherNumber, 'wamid.N1') },
        { conversation: atTheEdge },
      ]),
    );
  }

  it('lists each view, newest activity first, with every view counted and the unread total', async () => {
    const core = keep(await seededCore(cachePath(), NOW, fill));
    const expected: Record<ConversationView, ConversationListItem['id'][]> = {
      open: [mineExpiring.id, unassignedQuiet.id, othersExpired.id, onOtherNumber.id, atTheEdge.id],
      mine: [mineExpiring.id],
      unassigned: [unassignedQuiet.id, onOtherNumber.id],
      unread: [mineExpiring.id, othersExpired.id, onOtherNumber.id],
      expiring: [mineExpiring.id, onOtherNumber.id, atTheEdge.id],
      closed: [closed.id],
    };
    for (const [view, want] of Object.entries(expected) as [ConversationView, string[]][]) {
      const page = await core.listConversations({ view, limit: 100 });
      expect(ids(page.items), view).toEqual(want);
      expect(page.nextCursor, view).toBeNull();
      expect(page.counts).toEqual({ open: 5, mine: 1, unassigned: 2, unread: 3, expiring: 3, closed: 1 });
      // Closed conversations' unread messages count too: the badge is every message not read yet.
      expect(page.unreadTotal).toBe(5);
    }
    expect((await core.listConversations({ view: 'open', limit: 100 })).items[0]).toMatchObject({
      id: mineExpiring.id,
      unreadCount: 2,
      assigneeId: ME.id,
    });
  });

  it('filters the views, the counts and the unread total by business number', async () => {
    const core = keep(await seededCore(cachePath(), NOW, fill));
    const page = await core.listConversations({
      view: 'expiring',
      phoneNumberId: PHONE_NUMBER_ID,
      limit: 100,
    });
    expect(ids(page.items)).toEqual([mineExpiring.id, atTheEdge.id]);
    expect(page.counts).toEqual({ open: 4, mine: 1, unassigned: 1, unread: 2, expiring: 2, closed: 1 });
    expect(page.unreadTotal).toBe(4);
    const other = await core.listConversations({ view: 'open', phoneNumberId: OTHER_NUMBER_ID, limit: 100 });
    expect(ids(other.items)).toEqual([onOtherNumber.id]);
    expect(other.unreadTotal).toBe(1);
  });

  it('pages by keyset without gaps or duplicates, ties on lastMessageAt broken by id', async () => {
    const customers = Array.from({ length: 23 }, (_, i) => `5939911600${String(i).padStart(2, '0')}`);
    // Five conversations share each time: only the id orders them.
    const all = customers.map((customer, i) =>
      conversation(customer, NOW - Math.floor(i / 5) * 1000, 5 * HOUR),
    );
    const core = keep(
      await seededCore(cachePath(), NOW, (repo) => {
        for (const c of [...all].reverse()) repo.upsertConversation(c);
      }),
    );
    const seen: string[] = [];
    let after: { lastMessageAt: number; id: string } | undefined;
    let pages = 0;
    for (;;) {
      const page = await core.listConversations({ view: 'open', limit: 4, ...(after ? { after } : {}) });
      seen.push(...ids(page.items));
      pages += 1;
      if (page.nextCursor === null) break;
      expect(page.items).toHaveLength(4);
      expect(page.nextCursor).toEqual({ lastMessageAt: page.items[3]!.lastMessageAt, id: page.items[3]!.id });
      after = page.nextCursor;
    }
    const order = [...all].sort((a, b) => b.lastMessageAt - a.lastMessageAt || (a.id < b.id ? -1 : 1));
    expect(seen).toEqual(ids(order));
    expect(pages).toBe(6);
  });

  it('answers a conversation by id, and refuses one it does not hold', async () => {
    const core = keep(await seededCore(cachePath(), NOW, fill));
    expect(await core.getConversation({ conversationId: othersExpired.id })).toMatchObject({
      id: othersExpired.id,
      assigneeId: 'agent-luis',
      unreadCount: 1,
    });
    await expect(core.getConversation({ conversationId: 'pn:nobody' })).rejects.toMatchObject({
      code: 'CONVERSATION_NOT_FOUND',
    });
  });
});

describe('thread pages against a filled cache', () => {
  const customer = '593991170001';
  const thread = conversationFixture(customer);
  const COUNT = 250;
  /** Message i: three share each millisecond, and ids sort against the insertion order (rowid). */
  const messageId = (i: number) => `wamid.${String(999 - i)}`;
  const at = (i: number) => T0 + Math.floor(i / 3);
  const confirmedIds = Array.from({ length: COUNT }, (_, i) => messageId(i));
  const range = (from: number, to: number) => confirmedIds.slice(from, to + 1);
  const metaError = { code: 131047, title: 'Re-engagement message', message: 'More than 24 hours' };

  function fill(repo: Parameters<Parameters<typeof seededCore>[2]>[0]): void {
    repo.setAgent(ME);
    applyEventsFrame(
      repo,
      eventsFrame(1, [
        { conversation: thread },
        ...Array.from({ length: COUNT }, (_, i) =>
          i === 100
            ? {
                message: outboundFixture(customer, messageId(i), {
                  timestamp: at(i),
                  status: 'failed',
                  error: metaError,
                }),
              }
            : { message: inboundFixture(customer, messageId(i), { timestamp: at(i), text: `mensaje ${i}` }) },
        ),
      ]),
    );
    // Written long ago and still pending; refused by the relay; and actions that are no messages.
    repo.outbox.insert({
      mutationId: 'mutationTxt1',
      conversationId: thread.id,
      command: {
        kind: 'send_text',
        conversationId: thread.id,
        text: 'Sigo aquí',
        previewUrl: false,
        replyTo: messageId(3),
      },
      createdAt: at(20),
    });
    repo.outbox.insert({
      mutationId: 'mutationTpl1',
      conversationId: thread.id,
      command: {
        kind: 'send_template',
        conversationId: thread.id,
        name: 'pedido_listo',
        language: 'es',
        parameters: { body: { 1: 'Rosa' }, buttons: {} },
      },
      createdAt: at(COUNT) + 10,
    });
    repo.outbox.markFailed('mutationTpl1', {
      code: 'TEMPLATE_PAUSED',
      message: 'Meta paused this template.',
    });
    repo.outbox.insert({
      mutationId: 'mutationNote',
      conversationId: thread.id,
      command: { kind: 'add_note', conversationId: thread.id, text: 'Cliente VIP' },
      createdAt: at(COUNT) + 11,
    });
    repo.outbox.insert({
      mutationId: 'mutationRead',
      conversationId: thread.id,
      command: { kind: 'mark_read', conversationId: thread.id, messageId: messageId(COUNT - 1) },
      createdAt: at(COUNT) + 12,
    });
  }

  it('answers the newest page with the outbox rows in place, and older pages without them', async () => {
    const core = keep(await seededCore(cachePath(), T0, fill));
    const newest = await core.getMessages({ conversationId: thread.id, limit: 100 });
    expect(ids(newest.messages)).toEqual(['mutationTxt1', ...range(150, 249), 'mutationTpl1']);
    expect(newest).toMatchObject({ hasOlder: true, hasNewer: false });
    expect(newest.messages[0]).toMatchObject({
      pending: true,
      status: 'queued',
      type: 'text',
      text: 'Sigo aquí',
      refusal: null,
      error: null,
      authorId: ME.id,
      context: { replyTo: messageId(3) },
    });
    // The relay's refusal is the refusal; Meta never saw the message, so there is no Meta error.
    expect(newest.messages.at(-1)).toMatchObject({
      pending: true,
      status: 'failed',
      type: 'template',
      payload: { name: 'pedido_listo', language: 'es' },
      refusal: { code: 'TEMPLATE_PAUSED', message: 'Meta paused this template.' },
      error: null,
    });

    const older = await core.getMessages({ conversationId: thread.id, limit: 100, before: messageId(150) });
    expect(ids(older.messages)).toEqual(range(50, 149));
    expect(older).toMatchObject({ hasOlder: true, hasNewer: true });
    // Meta's own error stays in `error` on a confirmed message.
    expect(older.messages.find((m) => m.id === messageId(100))).toMatchObject({
      pending: false,
      refusal: null,
      error: metaError,
    });
    const oldest = await core.getMessages({ conversationId: thread.id, limit: 100, before: messageId(50) });
    expect(ids(oldest.messages)).toEqual(range(0, 49));
    expect(oldest).toMatchObject({ hasOlder: false, hasNewer: true });
  });

  it('pages forward to the newest page, and back from it, covering every message once', async () => {
    const core = keep(await seededCore(cachePath(), T0, fill));
    const forward = await core.getMessages({ conversationId: thread.id, limit: 100, after: messageId(49) });
    expect(ids(forward.messages)).toEqual(range(50, 149));
    expect(forward).toMatchObject({ hasOlder: true, hasNewer: true });
    const end = await core.getMessages({ conversationId: thread.id, limit: 100, after: messageId(149) });
    expect(ids(end.messages)).toEqual(['mutationTxt1', ...range(150, 249), 'mutationTpl1']);
    expect(end).toMatchObject({ hasOlder: true, hasNewer: false });
    const past = await core.getMessages({ conversationId: thread.id, limit: 100, after: messageId(249) });
    expect(ids(past.messages)).toEqual(['mutationTxt1', 'mutationTpl1']);
    expect(past).toMatchObject({ hasOlder: true, hasNewer: false });

    const walked: string[] = [];
    let page = await core.getMessages({ conversationId: thread.id, limit: 37 });
    for (;;) {
      walked.unshift(...page.messages.filter((m) => !m.pending).map((m) => m.id));
      if (!page.hasOlder) break;
      const first = page.messages.find((m) => !m.pending)!;
      page = await core.getMessages({ conversationId: thread.id, limit: 37, before: first.id });
      expect(page.messages.some((m) => m.pending)).toBe(false);
    }
    expect(walked).toEqual(confirmedIds);
  });

  it('centres a page on a message, topping it up from the other side near either end', async () => {
    const core = keep(await seededCore(cachePath(), T0, fill));
    const middle = await core.getMessages({ conversationId: thread.id, limit: 21, around: messageId(120) });
    expect(ids(middle.messages)).toEqual(range(110, 130));
    expect(middle).toMatchObject({ hasOlder: true, hasNewer: true });
    const nearStart = await core.getMessages({ conversationId: thread.id, limit: 21, around: messageId(4) });
    expect(ids(nearStart.messages)).toEqual(range(0, 20));
    expect(nearStart).toMatchObject({ hasOlder: false, hasNewer: true });
    const nearEnd = await core.getMessages({ conversationId: thread.id, limit: 21, around: messageId(247) });
    expect(ids(nearEnd.messages)).toEqual(['mutationTxt1', ...range(229, 249), 'mutationTpl1']);
    expect(nearEnd).toMatchObject({ hasOlder: true, hasNewer: false });
    const even = await core.getMessages({ conversationId: thread.id, limit: 4, around: messageId(120) });
    expect(ids(even.messages)).toEqual(range(119, 122));
  });

  it('refuses an anchor the thread does not hold, and answers an unknown conversation with an empty page', async () => {
    const core = keep(await seededCore(cachePath(), T0, fill));
    await expect(
      core.getMessages({ conversationId: thread.id, limit: 10, before: 'wamid.elsewhere' }),
    ).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
    expect(await core.getMessages({ conversationId: 'pn:nobody', limit: 10 })).toEqual({
      messages: [],
      hasOlder: false,
      hasNewer: false,
    });
  });

  it('lists notes oldest first with those still in the outbox, templates with components and quick replies by shortcut', async () => {
    const template = templateFixture('pedido_listo', {
      parameterFormat: 'POSITIONAL',
      components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido está listo.' }],
    });
    const core = keep(
      await seededCore(cachePath(), T0, (repo) => {
        fill(repo);
        applyEventsFrame(
          repo,
          eventsFrame(1000, [
            { note: noteFixture(customer, 'mutationN2xx', { at: at(COUNT) + 20 }) },
            { note: noteFixture(customer, 'mutationN1xx', { at: at(0) }) },
            { template },
            { template: templateFixture('bienvenida') },
            { quickReply: quickReplyFixture('q-horario') },
            { quickReply: quickReplyFixture('q-adios', { shortcut: 'Adios' }) },
          ]),
        );
      }),
    );
    expect(ids(await core.listNotes({ conversationId: thread.id }))).toEqual([
      'mutationN1xx',
      'mutationNote',
      'mutationN2xx',
    ]);
    expect((await core.listNotes({ conversationId: thread.id }))[1]).toMatchObject({
      text: 'Cliente VIP',
      authorId: ME.id,
      phoneNumberId: PHONE_NUMBER_ID,
    });
    expect(await core.listTemplates({})).toEqual([templateFixture('bienvenida'), template]);
    expect((await core.listQuickReplies({})).map((q) => q.shortcut)).toEqual(['Adios', 'horario']);
  });
});

describe('the read side against the real relay', () => {
  async function newStack(): Promise<ConsoleStack> {
    const stack = await startConsoleStack();
    opened.stacks.push(stack);
    return stack;
  }

  async function openConsole(stack: ConsoleStack, path = cachePath()) {
    const core = keep(
      await openConsoleCore({
        cachePath: path,
        relayUrl: stack.relayUrl,
        token: stack.token,
        clientId: `console-api-${files}`,
        demo: false,
      }),
    );
    const events: ConsoleEvent[] = [];
    const statuses: SyncStatus[] = [];
    core.onEvent((event) => {
      events.push(event);
      if (event.type === 'sync.status') statuses.push(event.status);
    });
    const probe: CursorProbe = async () => {
      const status = await core.getSyncStatus({});
      return { cursor: status.cursor, caughtUp: status.state === 'connected' };
    };
    return { core, events, statuses, probe, path };
  }

  let customers = 0;
  const newCustomer = () => {
    const waId = `5939918${String(++customers).padStart(5, '0')}`;
    return { waId, id: conversationId(STACK_PHONE_NUMBER_ID, waId) };
  };

  it('keeps every view and count in step with what the team does on the relay', async () => {
    const stack = await newStack();
    const { core, probe } = await openConsole(stack);
    const [taken, expiring, closedOne] = [newCustomer(), newCustomer(), newCustomer()];
    await stack.simulator.sendInboundText({ from: taken.waId, text: 'Hola' });
    // Wrote 23 hours ago (Meta's timestamp): the window closes within the next two hours.
    await stack.simulator.sendInboundText({
      from: expiring.waId,
      text: '¿Siguen ahí?',
      timestamp: stack.simulator.clock.now() - 23 * HOUR,
    });
    await stack.simulator.sendInboundText({ from: closedOne.waId, text: 'Gracias, era todo' });
    await relayCommand(stack, 'api-assign-1', {
      kind: 'assign',
      conversationId: taken.id,
      agentId: stack.agent.id,
    });
    await relayCommand(stack, 'api-close-1', { kind: 'close', conversationId: closedOne.id });
    await waitUntilSettled(stack, [probe]);

    const views: Record<ConversationView, string[]> = {
      open: [taken.id, expiring.id],
      mine: [taken.id],
      unassigned: [expiring.id],
      unread: [taken.id, expiring.id],
      expiring: [expiring.id],
      closed: [closedOne.id],
    };
    for (const [view, want] of Object.entries(views) as [ConversationView, string[]][]) {
      const page = await core.listConversations({ view, limit: 50 });
      expect(new Set(ids(page.items)), view).toEqual(new Set(want));
      expect(page.counts).toEqual({ open: 2, mine: 1, unassigned: 1, unread: 2, expiring: 1, closed: 1 });
      expect(page.unreadTotal).toBe(3);
    }

    // Read here, reopened there: the views follow.
    await core.markConversationRead({ conversationId: taken.id });
    await relayCommand(stack, 'api-reopen-1', { kind: 'reopen', conversationId: closedOne.id });
    await waitUntilSettled(stack, [probe]);
    const after = await core.listConversations({ view: 'unread', limit: 50 });
    expect(new Set(ids(after.items))).toEqual(new Set([expiring.id, closedOne.id]));
    expect(after.counts).toMatchObject({ open: 3, unread: 2, closed: 0, mine: 1 });
    expect(after.unreadTotal).toBe(2);
  });

  it('pages the inbox without duplicates while customers keep writing, and misses none that stayed put', async () => {
    const stack = await newStack();
    const { core, probe } = await openConsole(stack);
    const everyone = Array.from({ length: 16 }, () => newCustomer());
    for (const customer of everyone)
      await stack.simulator.sendInboundText({ from: customer.waId, text: 'Hola' });
    await waitUntilSettled(stack, [probe]);

    const seen: string[] = [];
    const wroteMeanwhile = new Set<string>();
    let after: { lastMessageAt: number; id: string } | undefined;
    for (let pageNumber = 0; ; pageNumber++) {
      const page = await core.listConversations({ view: 'open', limit: 5, ...(after ? { after } : {}) });
      seen.push(...ids(page.items));
      if (page.nextCursor === null) break;
      after = page.nextCursor;
      // Between pages: one customer already listed writes again, and one not listed yet.
      const listed = everyone.find((c) => seen.includes(c.id) && !wroteMeanwhile.has(c.id))!;
      const unlisted = everyone.find((c) => !seen.includes(c.id) && !wroteMeanwhile.has(c.id));
      // A minute later, so their new activity is newer than anything listed (Meta's times are in seconds).
      await stack.advanceClocks(60_000);
      for (const customer of [listed, unlisted]) {
        if (!customer) continue;
        wroteMeanwhile.add(customer.id);
        await stack.simulator.sendInboundText({ from: customer.waId, text: `otra vez ${pageNumber}` });
      }
      await waitUntilSettled(stack, [probe]);
    }
    expect(seen.length).toBe(new Set(seen).size);
    const stayedPut = everyone.filter((c) => !wroteMeanwhile.has(c.id)).map((c) => c.id);
    for (const id of stayedPut) expect(seen).toContain(id);
    // Those that moved to the top are on the first page of a fresh listing.
    const fresh = await core.listConversations({ view: 'open', limit: 100 });
    expect(ids(fresh.items).slice(0, wroteMeanwhile.size).sort()).toEqual([...wroteMeanwhile].sort());
    expect(fresh.counts.open).toBe(everyone.length);
  });

  it('mirrors notes, quick replies and templates with components, tells the UI, and gets them back after a rebuild', async () => {
    const stack = await newStack();
    const customer = newCustomer();
    await stack.simulator.sendInboundText({ from: customer.waId, text: '¿Tienen factura?' });
    const ana = await openConsole(stack);
    const { core, events, probe } = ana;
    await waitUntilSettled(stack, [probe]);

    // Another console (the REST API) writes a note and quick replies and has the templates synced;
    // this console writes a note and a quick reply of its own through its outbox.
    await relayCommand(stack, 'api-note-1', {
      kind: 'add_note',
      conversationId: customer.id,
      text: 'Pide factura A',
    });
    await relayCommand(stack, 'api-quick-1', {
      kind: 'quick_reply_create',
      shortcut: 'horario',
      text: 'De 9 a 18',
    });
    await relayCommand(stack, 'api-quick-2', { kind: 'quick_reply_create', shortcut: 'borrar', text: 'x' });
    await relayCommand(stack, 'api-quick-3', { kind: 'quick_reply_delete', quickReplyId: 'api-quick-2' });
    await relayCommand(stack, 'api-templates-1', { kind: 'sync_templates' });
    const { mutationId: noteId } = await core.addNote({
      conversationId: customer.id,
      text: 'Enviada por correo',
    });
    const { mutationId: quickId } = await core.saveQuickReply({ shortcut: 'Adios', text: '¡Hasta pronto!' });
    await waitFor('the templates to arrive', async () =>
      (await core.listTemplates({})).some((t) => t.components.length > 0),
    );
    await waitUntilSettled(stack, [probe]);

    const notes = await core.listNotes({ conversationId: customer.id });
    expect(notes.map((n) => [n.id, n.text])).toEqual([
      ['api-note-1', 'Pide factura A'],
      [noteId, 'Enviada por correo'],
    ]);
    const quickReplies = await core.listQuickReplies({});
    expect(quickReplies.map((q) => [q.id, q.shortcut])).toEqual([
      [quickId, 'Adios'],
      ['api-quick-1', 'horario'],
    ]);
    // The confirmed note and quick reply left the outbox in the transaction that applied them.
    expect(readCacheRows(ana.path).outbox).toEqual([]);

    // Templates exactly as the relay streamed them, components and parameter format included.
    const stream = await readRelayStream(stack.relayUrl, stack.token);
    const streamed = new Map<string, Template>();
    for (const event of stream.events)
      if (event.type === 'template.upserted') streamed.set(event.template.key, event.template);
    const templates = await core.listTemplates({});
    expect(templates.length).toBeGreaterThan(0);
    expect(new Set(templates)).toEqual(new Set(streamed.values()));
    expect(templates.some((t) => t.parameterFormat !== null)).toBe(true);

    // Once per batch, the catalogs that changed.
    const catalogs = events.filter((e) => e.type === 'catalog.changed');
    expect(catalogs).toContainEqual({
      type: 'catalog.changed',
      catalog: 'notes',
      conversationId: customer.id,
    });
    expect(catalogs).toContainEqual({
      type: 'catalog.changed',
      catalog: 'quick_replies',
      conversationId: null,
    });
    expect(catalogs).toContainEqual({ type: 'catalog.changed', catalog: 'templates', conversationId: null });

    // A change of role rebuilds the mirror from a snapshot: wiped, then the same notes, quick
    // replies and templates again, and the UI told to reload every list.
    events.length = 0;
    const statusesBefore = ana.statuses.length;
    stack.relay.changeAgentAccess(stack.agent.id, { role: 'supervisor' });
    await waitFor('the rebuild', () =>
      ana.statuses.slice(statusesBefore).some((s) => s.cursor === 0) ? true : null,
    );
    await waitUntilSettled(stack, [probe]);
    expect(await core.listNotes({ conversationId: customer.id })).toEqual(notes);
    expect(await core.listQuickReplies({})).toEqual(quickReplies);
    expect(await core.listTemplates({})).toEqual(templates);
    const rebuiltCatalogs = events.filter((e) => e.type === 'catalog.changed');
    for (const catalog of ['templates', 'quick_replies'] as const)
      expect(rebuiltCatalogs).toContainEqual({ type: 'catalog.changed', catalog, conversationId: null });
    expect(rebuiltCatalogs).toContainEqual({
      type: 'catalog.changed',
      catalog: 'notes',
      conversationId: customer.id,
    });
  });
});
