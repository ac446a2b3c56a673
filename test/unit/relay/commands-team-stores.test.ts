// The team's tables in a real SQLite file: quick-reply shortcuts unique whatever their case (also
// beyond ASCII, and whatever Unicode form the keyboard produced), the creator kept across edits, and
// notes listed per conversation in the order they were written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, QuickReply } from '../../../src/shared/domain.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';
import { createNoteStore, type NoteStore } from '../../../src/relay/team/note-store.ts';
import {
  createQuickReplyStore,
  shortcutKey,
  type QuickReplyStore,
} from '../../../src/relay/team/quick-reply-store.ts';

let dir: string;
let store: SqliteRelayStore;
let quickReplies: QuickReplyStore;
let notes: NoteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-team-'));
  store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
  quickReplies = createQuickReplyStore(store.database);
  notes = createNoteStore(store.database);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const reply = (id: string, shortcut: string, updatedBy = 'agt_ana'): QuickReply => ({
  id,
  shortcut,
  text: `text of ${shortcut}`,
  updatedAt: 1,
  updatedBy,
});

describe('quick replies', () => {
  it('compare shortcuts without case, accents included, in any Unicode form', () => {
    expect(shortcutKey('ENVÍO')).toBe(shortcutKey('envío'));
    expect(shortcutKey('Envi\u0301o')).toBe(shortcutKey('envío'));
    expect(shortcutKey('envio')).not.toBe(shortcutKey('envío'));

    quickReplies.save(reply('qr1', 'Envío'), 'agt_ana');
    expect(quickReplies.findByShortcut('ENVI\u0301O')?.quickReply.id).toBe('qr1');
    expect(quickReplies.findByShortcut('envio')).toBeNull();
  });

  it('cannot hold two replies with one shortcut, even written past the handler checks', () => {
    quickReplies.save(reply('qr1', 'hola'), 'agt_ana');
    expect(() => quickReplies.save(reply('qr2', 'HOLA'), 'agt_beto')).toThrow(/UNIQUE/);
    expect(quickReplies.list().map((r) => r.id)).toEqual(['qr1']);
  });

  it('keep who created a reply across edits by others, and forget it once deleted', () => {
    quickReplies.save(reply('qr1', 'hola'), 'agt_ana');
    quickReplies.save({ ...reply('qr1', 'Hola', 'agt_beto'), text: 'Hola 👋', updatedAt: 2 }, 'agt_beto');
    expect(quickReplies.get('qr1')).toEqual({
      quickReply: { id: 'qr1', shortcut: 'Hola', text: 'Hola 👋', updatedAt: 2, updatedBy: 'agt_beto' },
      createdBy: 'agt_ana',
    });
    quickReplies.save(reply('qr2', 'adios'), 'agt_beto');
    expect(quickReplies.list().map((r) => r.shortcut)).toEqual(['adios', 'Hola']);
    quickReplies.delete('qr1');
    expect(quickReplies.get('qr1')).toBeNull();
    expect(quickReplies.findByShortcut('hola')).toBeNull();
  });
});

describe('notes', () => {
  const conversation = (id: string): Conversation => ({
    id,
    phoneNumberId: '100',
    customer: { key: id, waId: id, userId: null, name: null },
    status: 'open',
    assigneeId: null,
    lastInboundAt: null,
    windowExpiresAt: null,
    lastMessageAt: 0,
    lastMessagePreview: '',
    referral: null,
  });

  it('are listed per conversation in writing order, and paged for snapshots', () => {
    store.saveConversation(conversation('c1'));
    store.saveConversation(conversation('c2'));
    const note = (id: string, conversationId: string, at: number) => ({
      id,
      conversationId,
      phoneNumberId: '100',
      authorId: 'agt_ana',
      text: `note ${id}`,
      at,
    });
    notes.insert(note('n1', 'c1', 20));
    notes.insert(note('n2', 'c2', 10));
    notes.insert(note('n3', 'c1', 10));
    expect(notes.listForConversation('c1').map((n) => n.id)).toEqual(['n3', 'n1']);
    expect(notes.get('n2')).toEqual(note('n2', 'c2', 10));
    const firstPage = notes.listAfter(0, 2);
    expect(firstPage.map((row) => row.note.id)).toEqual(['n1', 'n2']);
    expect(notes.listAfter(firstPage.at(-1)!.rowid, 2).map((row) => row.note.id)).toEqual(['n3']);
  });

  it('belong to a conversation the relay knows', () => {
    expect(() =>
      notes.insert({
        id: 'n1',
        conversationId: 'nope',
        phoneNumberId: '100',
        authorId: 'a',
        text: 't',
        at: 1,
      }),
    ).toThrow(/FOREIGN KEY/);
  });
});
