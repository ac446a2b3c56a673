// The console's SQLite cache on real files: migrations, and how pages of relay events land in it
// (idempotent, ticks only forward, unread counts, outbox confirmation, all-or-nothing).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheRepository } from '../../src/main/cache/cache-repository.ts';
import { cacheMigrations } from '../../src/main/cache/migrations/index.ts';
import { initialSchema } from '../../src/main/cache/migrations/001-initial.ts';
import { migrate, schemaVersion } from '../../src/main/cache/migrate.ts';
import { openCacheDatabase } from '../../src/main/cache/open-cache.ts';
import { applyEventsFrame } from '../../src/main/sync/apply-events.ts';
import { Rebuild } from '../../src/main/sync/rebuild.ts';
import type { Conversation, Message } from '../../src/shared/domain.ts';
import type { CodedError } from '../../src/shared/result.ts';
import { readCacheRows, unreadCounts, withoutLocalColumns } from '../helpers/console-cache-rows.ts';
import {
  alertFixture,
  conversationFixture,
  eventsFrame,
  inboundFixture,
  noteFixture,
  outboundFixture,
  phoneNumberFixture,
  quickReplyFixture,
  richInboundFixture,
  snapshotFrame,
  T0,
  templateFixture,
} from '../helpers/console-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'ventana-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function freshCache(): { repo: CacheRepository; path: string; close: () => void } {
  const path = join(dir, `cache-${++files}.sqlite`);
  const db = openCacheDatabase(path);
  return { repo: new CacheRepository(db), path, close: () => db.close() };
}

describe('cache migrations', () => {
  it('creates the schema once, in WAL mode, and records its version', () => {
    const { path, close } = freshCache();
    close();
    const db = new Database(path);
    expect(schemaVersion(db)).toBe(cacheMigrations.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .pluck()
      .all();
    // The search index's own tables belong to its migrations (003 and on): only its presence is checked here.
    expect(tables).toContain('message_search');
    expect(tables.filter((name) => !String(name).startsWith('message_search'))).toEqual([
      'alerts',
      'conversations',
      'messages',
      'notes',
      'outbox',
      'phone_numbers',
      'quick_replies',
      'rebuild_seen',
      'rebuild_unread',
      'sync_state',
      'templates',
    ]);
    db.close();
    // Reopening runs nothing again (a rerun would fail on CREATE TABLE).
    openCacheDatabase(path).close();
  });

  it('upgrades a cache written by the first schema, keeping its rows, cursor and outbox', () => {
    const path = join(dir, 'from-version-1.sqlite');
    const old = new Database(path);
    migrate(old, [initialSchema]);
    old.exec(`
      INSERT INTO conversations (id, phone_number_id, customer_key, customer_wa_id, customer_user_id,
        customer_name, status, assignee_id, last_inbound_at, window_expires_at, last_message_at,
        last_message_preview, unread_count)
      VALUES ('pn:5939', 'pn', '5939', '5939', NULL, 'Rosa', 'open', NULL, 1, 86400001, 1, 'Hola', 3);
      INSERT INTO messages (id, conversation_id, phone_number_id, direction, type, text, wa_message_id,
        timestamp, status, status_at, error_json, pricing_json, author_id, payload_json)
      VALUES ('wamid.old', 'pn:5939', 'pn', 'in', 'text', 'Hola', 'wamid.old', 1, 'received', NULL, NULL,
        NULL, NULL, NULL);
      INSERT INTO outbox (mutation_id, conversation_id, command_json, created_at, state, error_json, attempts)
      VALUES ('mutationOldxx', 'pn:5939',
        '{"kind":"send_text","conversationId":"pn:5939","text":"Buenas"}', 2, 'pending', NULL, 1);
      INSERT INTO sync_state (key, value) VALUES ('cursor', '41');
    `);
    old.close();

    const db = openCacheDatabase(path);
    const repo = new CacheRepository(db);
    expect(schemaVersion(db)).toBe(cacheMigrations.length);
    expect(repo.getConversation('pn:5939')).toMatchObject({ unreadCount: 3, referral: null });
    expect(repo.getMessage('wamid.old')).toMatchObject({ text: 'Hola', media: null, context: null });
    expect(repo.outbox.pending().map((row) => row.mutationId)).toEqual(['mutationOldxx']);
    expect(repo.getCursor()).toBe(41);
    expect(repo.getEpoch()).toBe(0);
    db.close();
  });

  it('refuses a cache written by a newer schema instead of guessing', () => {
    const path = join(dir, 'from-the-future.sqlite');
    const db = new Database(path);
    db.pragma(`user_version = ${cacheMigrations.length + 1}`);
    db.close();
    expect(() => openCacheDatabase(path)).toThrow(
      expect.objectContaining({ code: 'CACHE_TOO_NEW' }) as CodedError,
    );
  });
});

describe('applying event pages', () => {
  it('applies a replayed page once: same rows, same unread count, same cursor', () => {
    const { repo, close } = freshCache();
    const conversation = conversationFixture('593991110001');
    const frame = eventsFrame(1, [{ conversation }, { message: inboundFixture('593991110001', 'wamid.A1') }]);
    applyEventsFrame(repo, frame);
    applyEventsFrame(repo, frame);
    expect(repo.listMessages(conversation.id, 100)).toHaveLength(1);
    expect(repo.getConversation(conversation.id)?.unreadCount).toBe(1);
    expect(repo.getCursor()).toBe(2);
    close();
  });

  it('counts unread inbound messages even when a page carries the message before its conversation', () => {
    const { repo, close } = freshCache();
    const conversation = conversationFixture('593991110002');
    applyEventsFrame(
      repo,
      eventsFrame(1, [
        { message: inboundFixture('593991110002', 'wamid.B1') },
        {
          message: inboundFixture('593991110002', 'wamid.B2', { timestamp: conversation.lastMessageAt + 1 }),
        },
        { conversation },
        {
          message: outboundFixture('593991110002', 'mutationB3xx', {
            timestamp: conversation.lastMessageAt + 2,
          }),
        },
      ]),
    );
    expect(repo.getConversation(conversation.id)?.unreadCount).toBe(2);
    // A later snapshot of the conversation keeps the count.
    applyEventsFrame(
      repo,
      eventsFrame(5, [{ conversation: { ...conversation, lastMessagePreview: 'Gracias' } }]),
    );
    expect(repo.getConversation(conversation.id)).toMatchObject({
      unreadCount: 2,
      lastMessagePreview: 'Gracias',
    });
    expect(repo.clearUnread(conversation.id)).toBe(true);
    expect(repo.getConversation(conversation.id)?.unreadCount).toBe(0);
    close();
  });

  it('never moves a tick back, whatever order the snapshots come in', () => {
    const { repo, close } = freshCache();
    const conversation = conversationFixture('593991110003');
    const out = (status: 'accepted' | 'sent' | 'delivered' | 'read', statusAt: number) =>
      outboundFixture('593991110003', 'mutationC1xx', { status, statusAt, waMessageId: 'wamid.C1' });
    applyEventsFrame(repo, eventsFrame(1, [{ conversation }, { message: out('read', 30) }]));
    applyEventsFrame(repo, eventsFrame(3, [{ message: out('delivered', 20) }, { message: out('sent', 10) }]));
    expect(repo.getMessage('mutationC1xx')).toMatchObject({ status: 'read', statusAt: 30 });
    expect(repo.getCursor()).toBe(4);
    close();
  });

  it('removes the outbox row in the transaction that applies the confirmed message', () => {
    const { repo, close } = freshCache();
    const conversation = conversationFixture('593991110004');
    applyEventsFrame(repo, eventsFrame(1, [{ conversation }]));
    const command = {
      kind: 'send_text' as const,
      conversationId: conversation.id,
      text: 'Con gusto',
      previewUrl: false,
    };
    repo.outbox.insert({
      mutationId: 'mutationD1xx',
      conversationId: conversation.id,
      command,
      createdAt: 1,
    });
    repo.outbox.insert({
      mutationId: 'mutationD2xx',
      conversationId: conversation.id,
      command,
      createdAt: 2,
    });
    applyEventsFrame(repo, eventsFrame(2, [{ message: outboundFixture('593991110004', 'mutationD1xx') }]));
    expect(repo.outbox.pending().map((row) => row.mutationId)).toEqual(['mutationD2xx']);
    close();
  });

  it('leaves nothing behind when a page fails half way: no event, no cursor', () => {
    const { repo, path, close } = freshCache();
    const conversation = conversationFixture('593991110005');
    const frame = eventsFrame(1, [{ conversation }, { message: inboundFixture('593991110005', 'wamid.E1') }]);
    const failOnSecond = {
      insideApplyTransaction(applied: number) {
        if (applied === 2) throw new Error('stopped inside the transaction');
      },
    };
    expect(() => applyEventsFrame(repo, frame, failOnSecond)).toThrow('stopped inside the transaction');
    close();
    const db = openCacheDatabase(path);
    const reopened = new CacheRepository(db);
    expect(reopened.getConversation(conversation.id)).toBeNull();
    expect(reopened.getCursor()).toBe(0);
    applyEventsFrame(reopened, frame);
    expect(reopened.getConversation(conversation.id)?.unreadCount).toBe(1);
    db.close();
  });
});

describe('what the relay streams since the inbound work', () => {
  it('keeps every field of a message and a conversation through the cache', () => {
    const { repo, close } = freshCache();
    const conversation: Conversation = conversationFixture('593991120001', {
      customer: { key: 'CO.1234567890', waId: null, userId: 'CO.1234567890', name: 'Usuario' },
      referral: {
        sourceType: 'ad',
        sourceId: '120201',
        sourceUrl: 'https://fb.me/ventana-ad',
        headline: 'Envíos gratis',
        body: 'Solo esta semana',
        ctwaClid: 'ARAkLkA8rmlFeiCktEJQ',
        at: T0,
      },
    });
    const inbound = richInboundFixture('593991120001', 'wamid.R1');
    const failed: Message = outboundFixture('593991120001', 'mutationR2xx', {
      status: 'failed',
      statusAt: T0 + 5,
      waMessageId: 'wamid.R2',
      error: { code: 131047, title: 'Re-engagement message', message: 'More than 24 hours', details: 'x' },
      pricing: { billable: true, category: 'service', type: 'regular', model: 'PMP' },
      payload: { biz_opaque_callback_data: 'mutationR2xx' },
      context: { replyTo: 'wamid.R1', forwarded: false, frequentlyForwarded: false },
    });
    applyEventsFrame(repo, eventsFrame(1, [{ conversation }, { message: inbound }, { message: failed }]));
    expect(repo.getConversation(conversation.id)).toEqual({ ...conversation, unreadCount: 1 });
    expect(repo.getMessage(inbound.id)).toEqual(inbound);
    expect(repo.getMessage(failed.id)).toEqual(failed);

    // A later state of the same message (the relay finished downloading its media) replaces it.
    const retrying: Message = {
      ...inbound,
      media: { ...inbound.media!, state: 'pending', error: 'HTTP 500 from the media URL' },
    };
    applyEventsFrame(
      repo,
      eventsFrame(4, [{ message: retrying }, { conversation: { ...conversation, referral: null } }]),
    );
    expect(repo.getMessage(inbound.id)).toEqual(retrying);
    expect(repo.getConversation(conversation.id)?.referral).toBeNull();
    close();
  });

  it('stores templates, phone numbers and alerts idempotently, each update replacing the last', () => {
    const { repo, close } = freshCache();
    const frame = eventsFrame(1, [
      { template: templateFixture('pedido_listo') },
      { template: templateFixture('pedido_listo', { language: 'en' }) },
      { phoneNumber: phoneNumberFixture() },
      { alert: alertFixture('alert-1') },
    ]);
    applyEventsFrame(repo, frame);
    applyEventsFrame(repo, frame);
    expect(repo.catalog.listTemplates().map((t) => t.key)).toEqual(['pedido_listo:en', 'pedido_listo:es']);
    expect(repo.catalog.listPhoneNumbers()).toEqual([phoneNumberFixture()]);
    expect(repo.catalog.listAlerts(10)).toEqual([alertFixture('alert-1')]);
    expect(repo.getCursor()).toBe(4);

    const paused = templateFixture('pedido_listo', {
      status: 'PAUSED',
      quality: 'RED',
      reason: 'Low quality',
      updatedAt: T0 + 1,
    });
    const flagged = phoneNumberFixture({
      qualityEvent: 'FLAGGED',
      messagingLimit: 'TIER_250',
      updatedAt: T0 + 1,
    });
    applyEventsFrame(
      repo,
      eventsFrame(5, [
        { template: paused },
        { phoneNumber: flagged },
        { alert: alertFixture('alert-2', { at: T0 + 1 }) },
      ]),
    );
    expect(repo.catalog.listTemplates().find((t) => t.key === paused.key)).toEqual(paused);
    expect(repo.catalog.listPhoneNumbers()).toEqual([flagged]);
    expect(repo.catalog.listAlerts(10).map((a) => a.id)).toEqual(['alert-2', 'alert-1']);
    close();
  });

  it('lands templates, numbers and alerts with their cursor or not at all', () => {
    const { repo, close } = freshCache();
    const frame = eventsFrame(1, [
      { template: templateFixture('bienvenida') },
      { phoneNumber: phoneNumberFixture() },
      { alert: alertFixture('alert-3') },
    ]);
    const failOnLast = {
      insideApplyTransaction(applied: number) {
        if (applied === 3) throw new Error('stopped inside the transaction');
      },
    };
    expect(() => applyEventsFrame(repo, frame, failOnLast)).toThrow('stopped inside the transaction');
    expect(repo.catalog.listTemplates()).toEqual([]);
    expect(repo.catalog.listPhoneNumbers()).toEqual([]);
    expect(repo.catalog.listAlerts(10)).toEqual([]);
    expect(repo.getCursor()).toBe(0);
    close();
  });
});

describe('notes, quick replies, template components and pacing waits', () => {
  it('mirrors notes and quick replies, deletes the outbox rows they confirm, and says which catalogs changed', () => {
    const { repo, close } = freshCache();
    const customer = '593991140001';
    const conversation = conversationFixture(customer);
    applyEventsFrame(repo, eventsFrame(1, [{ conversation }]));
    repo.outbox.insert({
      mutationId: 'mutationN1xx',
      conversationId: conversation.id,
      command: { kind: 'add_note', conversationId: conversation.id, text: 'Llamar mañana' },
      createdAt: T0,
    });
    repo.outbox.insert({
      mutationId: 'mutationQ1xx',
      conversationId: null,
      command: { kind: 'quick_reply_create', shortcut: 'horario', text: 'Abrimos a las 9' },
      createdAt: T0,
    });
    const note = noteFixture(customer, 'mutationN1xx', { text: 'Llamar mañana' });
    const later = noteFixture(customer, 'mutationN0xx', { at: T0 + 5 });
    const changes = applyEventsFrame(
      repo,
      eventsFrame(2, [
        { note: later },
        { note },
        { quickReply: quickReplyFixture('mutationQ1xx') },
        { quickReply: quickReplyFixture('mutationQ2xx', { shortcut: 'Envios' }) },
        { quickReply: quickReplyFixture('mutationQ3xx', { shortcut: 'adios' }) },
        { quickReplyDeleted: 'mutationQ3xx' },
      ]),
    );
    expect(changes).toMatchObject({
      conversationIds: [],
      threadIds: [],
      noteConversationIds: [conversation.id],
      templates: false,
      quickReplies: true,
    });
    // Oldest first; the shortcut order ignores case.
    expect(repo.notes.ofConversation(conversation.id)).toEqual([note, later]);
    expect(repo.quickReplies.list().map((q) => q.shortcut)).toEqual(['Envios', 'horario']);
    expect(repo.outbox.pending()).toEqual([]);

    // A replayed page changes nothing; an edited quick reply replaces the old one.
    applyEventsFrame(repo, eventsFrame(2, [{ note }]));
    applyEventsFrame(
      repo,
      eventsFrame(8, [{ quickReply: quickReplyFixture('mutationQ1xx', { text: 'A las 10' }) }]),
    );
    expect(repo.notes.ofConversation(conversation.id)).toHaveLength(2);
    expect(repo.quickReplies.list().find((q) => q.id === 'mutationQ1xx')?.text).toBe('A las 10');
    close();
  });

  it("keeps a template's parameter format and components, and a message's pacing wait", () => {
    const { repo, close } = freshCache();
    const template = templateFixture('pedido_listo', {
      parameterFormat: 'NAMED',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Pedido {{order_id}}' },
        { type: 'BODY', text: 'Hola {{name}}, tu pedido está listo.' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Ver', url: 'https://example.com/{{1}}' }] },
      ],
    });
    const customer = '593991140002';
    const waiting = outboundFixture(customer, 'mutationW1xx', { waitingUntil: T0 + 6_000 });
    const changes = applyEventsFrame(
      repo,
      eventsFrame(1, [{ conversation: conversationFixture(customer) }, { template }, { message: waiting }]),
    );
    expect(changes.templates).toBe(true);
    expect(repo.catalog.listTemplates()).toEqual([template]);
    expect(repo.getMessage(waiting.id)).toEqual(waiting);
    applyEventsFrame(
      repo,
      eventsFrame(4, [{ message: { ...waiting, waitingUntil: null, status: 'accepted' } }]),
    );
    expect(repo.getMessage(waiting.id)).toMatchObject({ waitingUntil: null, status: 'accepted' });
    close();
  });
});

describe('rebuilding from a snapshot', () => {
  const customerA = '593991130001';
  const customerB = '593991130002';
  const customerGone = '593991130003';
  const conversationA = conversationFixture(customerA);
  const conversationB = conversationFixture(customerB);

  /** The relay's state after the console was away: A got one more message, the third conversation is gone. */
  const snapshotPages = [
    snapshotFrame({
      conversations: [{ ...conversationA, lastMessagePreview: 'tercero' }, conversationB],
      templates: [templateFixture('pedido_listo', { status: 'PAUSED' })],
      phoneNumbers: [phoneNumberFixture({ qualityEvent: 'FLAGGED' })],
      quickReplies: [quickReplyFixture('mutationQ1xx', { text: 'Abrimos de 9:00 a 19:00.' })],
    }),
    snapshotFrame({
      messages: [
        inboundFixture(customerA, 'wamid.A1'),
        inboundFixture(customerA, 'wamid.A2', { timestamp: T0 + 1 }),
        richInboundFixture(customerA, 'wamid.A3'),
        inboundFixture(customerB, 'wamid.B1'),
        outboundFixture(customerB, 'mutationB2xx', { status: 'read', waMessageId: 'wamid.B2' }),
      ],
      notes: [noteFixture(customerA, 'mutationN1xx'), noteFixture(customerB, 'mutationN2xx')],
    }),
  ];
  const SNAPSHOT_CURSOR = 120;
  const EPOCH = 3;

  /** A console that synced A (two messages, read), B (one, unread) and a third conversation, with replies queued. */
  function consoleBeforeTheGap() {
    const cache = freshCache();
    const { repo } = cache;
    applyEventsFrame(
      repo,
      eventsFrame(1, [
        { conversation: conversationA },
        { message: inboundFixture(customerA, 'wamid.A1') },
        { message: inboundFixture(customerA, 'wamid.A2', { timestamp: T0 + 1 }) },
        { conversation: conversationB },
        { message: inboundFixture(customerB, 'wamid.B1') },
        { conversation: conversationFixture(customerGone) },
        { message: inboundFixture(customerGone, 'wamid.G1') },
        { template: templateFixture('pedido_listo') },
        { template: templateFixture('viejo') },
        { alert: alertFixture('alert-old') },
        { note: noteFixture(customerA, 'mutationN1xx') },
        { note: noteFixture(customerGone, 'mutationN9xx') },
        { quickReply: quickReplyFixture('mutationQ1xx') },
        { quickReply: quickReplyFixture('mutationQ2xx', { shortcut: 'viejo' }) },
      ]),
    );
    repo.clearUnread(conversationA.id);
    const command = (id: string) => ({
      kind: 'send_text' as const,
      conversationId: id,
      text: 'Enseguida',
      previewUrl: false,
    });
    // One reply the relay has since confirmed (the snapshot carries it), one still to send.
    repo.outbox.insert({
      mutationId: 'mutationB2xx',
      conversationId: conversationB.id,
      command: command(conversationB.id),
      createdAt: T0 + 2,
    });
    repo.outbox.insert({
      mutationId: 'mutationA4xx',
      conversationId: conversationA.id,
      command: command(conversationA.id),
      createdAt: T0 + 3,
    });
    repo.outbox.insert({
      mutationId: 'mutationN2xx',
      conversationId: conversationB.id,
      command: { kind: 'add_note', conversationId: conversationB.id, text: 'Pidió factura' },
      createdAt: T0 + 4,
    });
    return cache;
  }

  function freshConsoleRows() {
    const fresh = freshCache();
    const rebuild = Rebuild.begin(fresh.repo);
    for (const page of snapshotPages) rebuild.applyPage(page);
    rebuild.finishSnapshot(SNAPSHOT_CURSOR, EPOCH);
    const rows = readCacheRows(fresh.path);
    fresh.close();
    return rows;
  }

  it('wipes the mirror but not the outbox, then ends with the rows a fresh console has', () => {
    const { repo, path, close } = consoleBeforeTheGap();
    const rebuild = Rebuild.begin(repo);
    expect(repo.getCursor()).toBe(0);
    expect(repo.conversationIds()).toEqual([]);
    expect(repo.notes.ofConversation(conversationA.id)).toEqual([]);
    expect(repo.quickReplies.list()).toEqual([]);
    expect(repo.catalog.listTemplates()).toEqual([]);
    expect(repo.catalog.listAlerts(10)).toEqual([]);
    expect(repo.outbox.ofConversation(conversationA.id)).toHaveLength(1);

    for (const page of snapshotPages) rebuild.applyPage(page);
    // Pages never move the cursor: a crash before snapshot_done starts the rebuild over.
    expect(repo.getCursor()).toBe(0);
    const changes = rebuild.finishSnapshot(SNAPSHOT_CURSOR, EPOCH);
    expect(repo.getCursor()).toBe(SNAPSHOT_CURSOR);
    expect(repo.getEpoch()).toBe(EPOCH);
    expect(repo.carriesRebuild()).toBe(false);
    // The UI hears about every conversation the rebuild touched, the vanished one included, and
    // about every catalog: the notes of each conversation that had or has some, templates, quick replies.
    expect(new Set(changes.conversationIds)).toEqual(
      new Set([conversationA.id, conversationB.id, conversationFixture(customerGone).id]),
    );
    expect(new Set(changes.noteConversationIds)).toEqual(
      new Set([conversationA.id, conversationB.id, conversationFixture(customerGone).id]),
    );
    expect(changes).toMatchObject({ templates: true, quickReplies: true });
    expect(repo.quickReplies.list().map((q) => [q.id, q.text])).toEqual([
      ['mutationQ1xx', 'Abrimos de 9:00 a 19:00.'],
    ]);
    expect(repo.notes.ofConversation(conversationFixture(customerGone).id)).toEqual([]);

    const rebuilt = readCacheRows(path);
    const fresh = freshConsoleRows();
    expect(withoutLocalColumns({ ...rebuilt, outbox: [] })).toEqual(withoutLocalColumns(fresh));
    // Unread counts are local: A was read and got one new message; B's unread message is not counted twice.
    expect(unreadCounts(rebuilt)).toEqual({ [conversationA.id]: 1, [conversationB.id]: 1 });
    expect(unreadCounts(fresh)).toEqual({ [conversationA.id]: 3, [conversationB.id]: 1 });
    // The confirmed reply and note left the outbox; the other reply waits to be sent.
    expect(rebuilt.outbox.map((row) => row.mutation_id)).toEqual(['mutationA4xx']);
    close();
  });

  it('repairs a rebuild interrupted half way: the next one ends the same, with the same unread counts', () => {
    const { repo, path, close } = consoleBeforeTheGap();
    const breakInSecondPage = {
      insideSnapshotTransaction(rows: number) {
        if (rows === 7) throw new Error('killed inside the second page');
      },
    };
    const first = Rebuild.begin(repo, breakInSecondPage);
    first.applyPage(snapshotPages[0]!);
    expect(() => first.applyPage(snapshotPages[1]!)).toThrow('killed inside the second page');
    close();

    // A restart: cursor 0 and the old epoch, so the relay sends reset and a snapshot again.
    const db = openCacheDatabase(path);
    const reopened = new CacheRepository(db);
    expect(reopened.getCursor()).toBe(0);
    expect(reopened.getEpoch()).toBe(0);
    expect(reopened.carriesRebuild()).toBe(true);
    const again = Rebuild.begin(reopened);
    for (const page of snapshotPages) again.applyPage(page);
    again.finishSnapshot(SNAPSHOT_CURSOR, EPOCH);

    const rebuilt = readCacheRows(db);
    expect(withoutLocalColumns({ ...rebuilt, outbox: [] })).toEqual(withoutLocalColumns(freshConsoleRows()));
    expect(unreadCounts(rebuilt)).toEqual({ [conversationA.id]: 1, [conversationB.id]: 1 });
    expect(rebuilt.outbox.map((row) => row.mutation_id)).toEqual(['mutationA4xx']);
    db.close();
  });

  it('counts a message once even when a rebuild was interrupted between its message and its conversation', () => {
    const { repo, close } = freshCache();
    const pages = [
      snapshotFrame({ messages: [inboundFixture(customerA, 'wamid.A1')] }),
      snapshotFrame({ conversations: [conversationA] }),
    ];
    const first = Rebuild.begin(repo);
    first.applyPage(pages[0]!);
    const again = Rebuild.begin(repo);
    for (const page of pages) again.applyPage(page);
    again.finishSnapshot(2, 1);
    expect(repo.getConversation(conversationA.id)?.unreadCount).toBe(1);
    close();
  });
});
