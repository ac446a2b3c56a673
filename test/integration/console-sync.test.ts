// The console core against the real thing: simulator -> relay -> console core over HTTP and
// WebSocket on loopback, with every database a SQLite file in a temp dir.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheRepository } from '../../src/main/cache/cache-repository.ts';
import { openConsoleCore, type ConsoleCore } from '../../src/main/core/console-core.ts';
import {
  accountUpdateWebhook,
  adReferral,
  imageMessage,
  replyContext,
  templateStatusUpdateWebhook,
} from '../../src/simulator/index.ts';
import type { MessageView } from '../../src/shared/console-api.ts';
import {
  conversationId,
  statusMovesForward,
  type Alert,
  type Message,
  type MessageStatus,
  type Template,
} from '../../src/shared/domain.ts';
import { waitUntilSettled } from '../helpers/console-settle.ts';
import { startConsoleStack, STACK_PHONE_NUMBER_ID, type ConsoleStack } from '../helpers/console-stack.ts';
import { readRelayStream } from '../helpers/console-stream-reader.ts';
import { waitFor } from '../helpers/console-wait.ts';

let stack: ConsoleStack;
let caches = 0;
let customers = 0;

beforeAll(async () => {
  stack = await startConsoleStack();
});
afterAll(async () => {
  await stack.close();
});

function cachePath(): string {
  return join(stack.dir, `console-${++caches}.sqlite`);
}

function open(path: string): Promise<ConsoleCore> {
  return openConsoleCore({
    cachePath: path,
    relayUrl: stack.relayUrl,
    token: stack.token,
    clientId: `console-${caches}`,
    demo: false,
  });
}

/** A customer no other test has used (the simulator paces sends per recipient). */
function newCustomer(): { waId: string; conversationId: string } {
  const waId = `5939911${String(++customers).padStart(5, '0')}`;
  return { waId, conversationId: conversationId(STACK_PHONE_NUMBER_ID, waId) };
}

async function thread(core: ConsoleCore, id: string): Promise<MessageView[]> {
  return (await core.getMessages({ conversationId: id, limit: 500 })).messages;
}

async function waitForMessage(
  core: ConsoleCore,
  conversation: string,
  id: string,
  ready: (m: MessageView) => boolean = () => true,
) {
  return waitFor(`message ${id} in the console`, async () =>
    (await thread(core, conversation)).find((m) => m.id === id && ready(m)),
  );
}

function sendsOf(text: string) {
  return stack.simulator.sends().filter((send) => send.text === text);
}

describe('console core syncing with a relay', () => {
  it('shows an inbound message in the inbox and the thread, unread until marked read', async () => {
    const core = await open(cachePath());
    const customer = newCustomer();
    const { wamid, status } = await stack.simulator.sendInboundText({
      from: customer.waId,
      name: 'Lucía',
      text: 'Hola, ¿abren mañana?',
    });
    expect(status).toBe(200);

    const inbound = await waitForMessage(core, customer.conversationId, wamid);
    expect(inbound).toMatchObject({
      direction: 'in',
      text: 'Hola, ¿abren mañana?',
      status: 'received',
      pending: false,
    });
    const [item] = (await core.listConversations({ view: 'open', limit: 200 })).items.filter(
      (c) => c.id === customer.conversationId,
    );
    expect(item).toMatchObject({ unreadCount: 1, customer: { waId: customer.waId, name: 'Lucía' } });
    expect((await core.getSession({})).agent.id).toBe(stack.agent.id);

    await core.markConversationRead({ conversationId: customer.conversationId });
    const [read] = (await core.listConversations({ view: 'open', limit: 200 })).items.filter(
      (c) => c.id === customer.conversationId,
    );
    expect(read?.unreadCount).toBe(0);
    await core.close();
  });

  it('sends a reply exactly once and shows its ticks moving only forward until read', async () => {
    const core = await open(cachePath());
    const customer = newCustomer();
    const { wamid } = await stack.simulator.sendInboundText({
      from: customer.waId,
      text: 'Quiero cambiar mi pedido',
    });
    await waitForMessage(core, customer.conversationId, wamid);

    const seen: MessageStatus[] = [];
    let mutationId = '';
    const watching = core.onEvent((event) => {
      if (event.type !== 'messages.changed' || event.conversationId !== customer.conversationId) return;
      void thread(core, customer.conversationId).then((messages) => {
        const reply = messages.find((m) => m.id === mutationId);
        if (reply && reply.status !== seen.at(-1)) seen.push(reply.status);
      });
    });
    const text = `Claro, ¿cuál es el número de pedido? ${customer.waId}`;
    ({ mutationId } = await core.sendText({ conversationId: customer.conversationId, text }));

    const queued = (await thread(core, customer.conversationId)).find((m) => m.id === mutationId);
    expect(queued).toMatchObject({ pending: true, status: 'queued', direction: 'out', text });

    const read = await waitForMessage(core, customer.conversationId, mutationId, (m) => m.status === 'read');
    expect(read.pending).toBe(false);
    expect(read.waMessageId).toBe(sendsOf(text)[0]?.wamid);
    expect(sendsOf(text)).toHaveLength(1);
    expect(sendsOf(text)[0]?.bizOpaqueCallbackData).toBe(mutationId);

    // Meta delivers statuses out of order: a late "delivered" must not take the read tick away.
    const statusAnswer = await stack.simulator.sendStatus({
      wamid: read.waMessageId ?? '',
      status: 'delivered',
    });
    expect(statusAnswer.status).toBe(200);
    const { wamid: marker } = await stack.simulator.sendInboundText({
      from: customer.waId,
      text: '¡Gracias!',
    });
    await waitForMessage(core, customer.conversationId, marker);
    watching();

    const after = await thread(core, customer.conversationId);
    expect(after.filter((m) => m.id === mutationId)).toEqual([
      expect.objectContaining({ status: 'read', pending: false }),
    ]);
    expect(after.some((m) => m.pending)).toBe(false);
    for (let i = 1; i < seen.length; i++) {
      expect(
        statusMovesForward(seen[i - 1] as MessageStatus, seen[i] as MessageStatus),
        `ticks seen: ${seen.join(' > ')}`,
      ).toBe(true);
    }
    expect(seen.at(-1)).toBe('read');
    await core.close();
  });

  it('mirrors media, reply context, referrals, templates and alerts exactly as the relay streams them', async () => {
    const path = cachePath();
    const core = await open(path);
    const customer = newCustomer();
    const { wamid: quoted } = await stack.simulator.sendInboundText({
      from: customer.waId,
      text: '¿Cuánto cuesta?',
    });
    const mediaId = stack.simulator.addMedia({
      bytes: Buffer.from('not really a jpeg'),
      mimeType: 'image/jpeg',
    });
    const { wamid: photo, status } = await stack.simulator.sendInbound({
      from: customer.waId,
      name: 'Marta',
      message: imageMessage({ id: mediaId, caption: 'Esta, la del anuncio' }),
      context: replyContext({ from: customer.waId, id: quoted }),
      referral: adReferral({
        sourceId: '120209',
        sourceUrl: 'https://fb.me/ventana-ad',
        headline: 'Zapatos en oferta',
        body: 'Solo esta semana',
        ctwaClid: 'ARAkLkA8rmlFeiCktEJQ',
      }),
    });
    expect(status).toBe(200);
    const at = stack.simulator.clock.now();
    const wabaId = '102290129340398';
    const business = await Promise.all([
      stack.simulator.sendWebhook(
        templateStatusUpdateWebhook({
          wabaId,
          at,
          templateId: 9_001,
          name: 'envio_listo',
          language: 'es',
          event: 'APPROVED',
        }),
      ),
      stack.simulator.sendWebhook(accountUpdateWebhook({ wabaId, at, event: 'ACCOUNT_RESTRICTION' })),
    ]);
    expect(business.map((answer) => answer.status)).toEqual([200, 200]);
    // The relay keeps the photo: its message is streamed again once the download is done.
    await waitForMessage(core, customer.conversationId, photo, (m) => m.media?.state === 'stored');
    await waitUntilSettled(stack, [
      async () => {
        const sync = await core.getSyncStatus({});
        return { cursor: sync.cursor, caughtUp: sync.state === 'connected' };
      },
    ]);

    // What the relay streamed, latest state of each thing, against what the cache gives back.
    const stream = await readRelayStream(stack.relayUrl, stack.token);
    const messages = new Map<string, Message>();
    const templates = new Map<string, Template>();
    const alerts = new Map<string, Alert>();
    for (const event of stream.events) {
      if (event.type === 'message.upserted') messages.set(event.message.id, event.message);
      if (event.type === 'template.upserted') templates.set(event.template.key, event.template);
      if (event.type === 'alert.raised') alerts.set(event.alert.id, event.alert);
    }
    const reader = new Database(path, { readonly: true });
    const cache = new CacheRepository(reader);
    const cached = cache.getMessage(photo);
    expect(cached).toEqual(messages.get(photo));
    expect(cached).toMatchObject({
      type: 'image',
      text: 'Esta, la del anuncio',
      media: { id: mediaId, mimeType: 'image/jpeg', state: 'stored' },
      context: { replyTo: quoted },
    });
    expect(
      (await core.listConversations({ view: 'open', limit: 500 })).items.find(
        (c) => c.id === customer.conversationId,
      ),
    ).toMatchObject({
      referral: { sourceId: '120209', headline: 'Zapatos en oferta', ctwaClid: 'ARAkLkA8rmlFeiCktEJQ' },
    });
    expect(cache.catalog.listTemplates()).toEqual(
      [...templates.values()].sort((a, b) => a.key.localeCompare(b.key)),
    );
    expect(cache.catalog.listTemplates().map((t) => t.name)).toContain('envio_listo');
    expect(new Set(cache.catalog.listAlerts(100))).toEqual(new Set(alerts.values()));
    expect(cache.catalog.listAlerts(100).map((a) => a.title)).toContain('ACCOUNT_RESTRICTION');
    reader.close();
    await core.close();
  });

  it('refuses a reply outside the 24-hour window before queueing anything', async () => {
    const core = await open(cachePath());
    const customer = newCustomer();
    const dayAndAMinuteAgo = Date.now() - 24 * 60 * 60 * 1000 - 60_000;
    const { wamid } = await stack.simulator.sendInboundText({
      from: customer.waId,
      text: 'Hola',
      timestamp: dayAndAMinuteAgo,
    });
    await waitForMessage(core, customer.conversationId, wamid);
    await expect(
      core.sendText({ conversationId: customer.conversationId, text: 'Hola de nuevo' }),
    ).rejects.toMatchObject({
      code: 'WINDOW_CLOSED',
    });
    expect((await thread(core, customer.conversationId)).some((m) => m.direction === 'out')).toBe(false);
    await core.close();
  });

  it('keeps its data across a restart and resumes from the cursor without duplicates', async () => {
    const path = cachePath();
    const customer = newCustomer();
    const first = await open(path);
    const { wamid: one } = await stack.simulator.sendInboundText({ from: customer.waId, text: 'uno' });
    await waitForMessage(first, customer.conversationId, one);
    const cursorBefore = (await first.getSyncStatus({})).cursor;
    await first.close();

    const { wamid: two } = await stack.simulator.sendInboundText({ from: customer.waId, text: 'dos' });
    const second = await open(path);
    // Straight from the cache, before the relay has said a word.
    expect((await thread(second, customer.conversationId)).map((m) => m.id)).toContain(one);
    await waitForMessage(second, customer.conversationId, two);
    await waitFor(
      'the console to catch up',
      async () => (await second.getSyncStatus({})).state === 'connected',
    );

    const messages = await thread(second, customer.conversationId);
    expect(messages.map((m) => m.id)).toEqual([one, two]);
    const [item] = (await second.listConversations({ view: 'open', limit: 200 })).items.filter(
      (c) => c.id === customer.conversationId,
    );
    expect(item?.unreadCount).toBe(2);
    const status = await second.getSyncStatus({});
    expect(status.cursor).toBeGreaterThan(cursorBefore);
    expect(status.cursor).toBe(status.headSeq);
    await second.close();
  });

  it('keeps a reply written while the relay is down through a console restart and sends it once when the relay is back', async () => {
    const path = cachePath();
    const customer = newCustomer();
    const first = await open(path);
    const { wamid } = await stack.simulator.sendInboundText({ from: customer.waId, text: '¿Siguen ahí?' });
    await waitForMessage(first, customer.conversationId, wamid);

    await stack.stopRelay();
    await waitFor('the console to notice', async () => (await first.getSyncStatus({})).state !== 'connected');
    const text = `Sí, aquí estamos ${customer.waId}`;
    const { mutationId } = await first.sendText({ conversationId: customer.conversationId, text });
    await first.close();

    const second = await open(path);
    try {
      // Offline: the session and the queued reply come from the cache.
      expect((await second.getSession({})).agent.id).toBe(stack.agent.id);
      expect((await thread(second, customer.conversationId)).find((m) => m.id === mutationId)).toMatchObject({
        pending: true,
        status: 'queued',
      });
      expect(sendsOf(text)).toHaveLength(0);
    } finally {
      await stack.startRelay();
    }

    const confirmed = await waitForMessage(
      second,
      customer.conversationId,
      mutationId,
      (m) => !m.pending && m.status === 'read',
    );
    expect(confirmed.text).toBe(text);
    expect(sendsOf(text)).toHaveLength(1);
    await second.close();
  });

  it('rejects a malformed frame without touching the cache, and resumes once the relay sends good ones', async () => {
    const path = cachePath();
    const customer = newCustomer();
    const first = await open(path);
    const { wamid: before } = await stack.simulator.sendInboundText({ from: customer.waId, text: 'antes' });
    await waitForMessage(first, customer.conversationId, before);
    await first.close();

    const { wamid: good } = await stack.simulator.sendInboundText({ from: customer.waId, text: 'bien' });
    const { wamid: bad } = await stack.simulator.sendInboundText({ from: customer.waId, text: 'mal' });
    // The relay forwards its log's JSON as stored: damaging one stored event puts a frame that
    // fails validation on the wire, in the same replay page as good events before it.
    await stack.stopRelay();
    const relayDb = new Database(stack.relayDbPath);
    const row = relayDb
      .prepare<[string], { seq: number; event_json: string }>(
        `SELECT seq, event_json FROM events WHERE event_json LIKE ? ORDER BY seq DESC LIMIT 1`,
      )
      .get(`%"id":"${bad}"%`);
    if (!row) throw new Error('the relay logged no event for the inbound message');
    relayDb
      .prepare('UPDATE events SET event_json = ? WHERE seq = ?')
      .run(row.event_json.replace('"status":"received"', '"status":"bogus"'), row.seq);
    relayDb.close();
    await stack.startRelay();

    const second = await open(path);
    const cursorBefore = (await second.getSyncStatus({})).cursor;
    const refused = await waitFor('the console to refuse the frame', async () => {
      const status = await second.getSyncStatus({});
      return status.error?.includes('malformed') ? status : null;
    });
    expect(refused.cursor).toBe(cursorBefore);
    expect((await thread(second, customer.conversationId)).map((m) => m.id)).toEqual([before]);

    await stack.stopRelay();
    const repaired = new Database(stack.relayDbPath);
    repaired.prepare('UPDATE events SET event_json = ? WHERE seq = ?').run(row.event_json, row.seq);
    repaired.close();
    await stack.startRelay();

    await waitForMessage(second, customer.conversationId, bad);
    expect((await thread(second, customer.conversationId)).map((m) => m.id)).toEqual([before, good, bad]);
    await second.close();
  });

  it('rebuilds from the relay when its log was replaced (cursor ahead of the head), keeping nothing stale', async () => {
    const path = cachePath();
    const oldCustomer = newCustomer();
    const first = await open(path);
    const { wamid: old } = await stack.simulator.sendInboundText({ from: oldCustomer.waId, text: 'viejo' });
    await waitForMessage(first, oldCustomer.conversationId, old);
    await first.close();

    const replaced = await startConsoleStack();
    try {
      const customer = newCustomer();
      const { wamid } = await replaced.simulator.sendInboundText({ from: customer.waId, text: 'nuevo' });
      const core = await openConsoleCore({
        cachePath: path,
        relayUrl: replaced.relayUrl,
        token: replaced.token,
        clientId: 'console-reset',
        demo: false,
      });
      await waitForMessage(core, customer.conversationId, wamid);
      await waitFor(
        'the rebuild to finish',
        async () => (await core.getSyncStatus({})).state === 'connected',
      );
      expect((await core.listConversations({ view: 'open', limit: 200 })).items.map((c) => c.id)).toEqual([
        customer.conversationId,
      ]);
      expect(await thread(core, oldCustomer.conversationId)).toEqual([]);
      const status = await core.getSyncStatus({});
      expect(status.cursor).toBe(status.headSeq);
      expect((await core.getSession({})).agent.id).toBe(replaced.agent.id);
      await core.close();
    } finally {
      await replaced.close();
    }
  });
});
