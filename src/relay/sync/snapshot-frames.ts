// `snapshot` frames: the state one agent may see (its numbers, the templates, the recent alerts for
// admins, its conversations and their messages), read from the store page by page and packed into frames under the size limit.
// A generator, so the sync connection reads the next page only once the last frame was written:
// memory per console stays at one page and one frame, however large the store.
import type { Agent } from '../../shared/domain.ts';
import { MAX_FRAME_BYTES } from '../../shared/protocol.ts';
import { canSeeEvent, canSeeNumber } from '../agents/visibility.ts';
import type { RelayStore } from '../store/relay-store.ts';
import type { NoteStore } from '../team/note-store.ts';
import type { QuickReplyStore } from '../team/quick-reply-store.ts';

/** Room left for the frame's own keys around the items. */
const FRAME_BUDGET = MAX_FRAME_BYTES - 1024;
/** Rows read from the store at a time. */
export const SNAPSHOT_PAGE_SIZE = 500;

type Kind = 'conversations' | 'messages' | 'templates' | 'phoneNumbers' | 'alerts' | 'notes' | 'quickReplies';
const KINDS: readonly Kind[] = [
  'conversations',
  'messages',
  'templates',
  'phoneNumbers',
  'alerts',
  'notes',
  'quickReplies',
];
const emptyItems = (): Record<Kind, string[]> => ({
  conversations: [],
  messages: [],
  templates: [],
  phoneNumbers: [],
  alerts: [],
  notes: [],
  quickReplies: [],
});

/** Where a snapshot reads from: the relay store and the team's notes and quick replies. */
export interface SnapshotSource {
  store: RelayStore;
  notes: Pick<NoteStore, 'listAfter'>;
  quickReplies: Pick<QuickReplyStore, 'list'>;
}
/** How many of the newest alerts an admin's snapshot carries. */
export const SNAPSHOT_ALERTS = 500;

/** Collects serialized items and hands out a frame whenever the next item would not fit. */
class FramePacker {
  readonly #budget: number;
  #items: Record<Kind, string[]> = emptyItems();
  #bytes = 0;
  #count = 0;

  constructor(budget: number) {
    this.#budget = budget;
  }

  /** Adds one item; returns the frame it completed, if any. */
  add(kind: Kind, item: unknown): string | null {
    const json = JSON.stringify(item);
    const bytes = Buffer.byteLength(json) + 1;
    const full = this.#count > 0 && this.#bytes + bytes > this.#budget ? this.flush() : null;
    this.#items[kind].push(json);
    this.#bytes += bytes;
    this.#count += 1;
    return full;
  }

  /** The frame of what was collected (null when nothing was). */
  flush(): string | null {
    if (this.#count === 0) return null;
    const lists = KINDS.map((kind) => `"${kind}":[${this.#items[kind].join(',')}]`);
    this.#items = emptyItems();
    this.#bytes = 0;
    this.#count = 0;
    return `{"type":"snapshot",${lists.join(',')}}`;
  }
}

/**
 * The snapshot frames of what `agent` may see. Numbers and templates come first, then conversations,
 * then messages, so a console never holds a message whose conversation it has not got yet.
 */
export function* snapshotFrames(
  { store, notes, quickReplies }: SnapshotSource,
  agent: Agent,
  budget: number = FRAME_BUDGET,
): Generator<string, void, undefined> {
  const packer = new FramePacker(budget);
  function* add(kind: Kind, item: unknown): Generator<string, void, undefined> {
    const frame = packer.add(kind, item);
    if (frame !== null) yield frame;
  }

  for (const phoneNumber of store.listPhoneNumbers())
    if (canSeeNumber(agent, phoneNumber.id)) yield* add('phoneNumbers', phoneNumber);
  for (const template of store.listTemplates()) yield* add('templates', template);
  for (const quickReply of quickReplies.list()) yield* add('quickReplies', quickReply);
  if (canSeeEvent(agent, { type: 'alert.raised', phoneNumberId: null }))
    for (const alert of store.listRecentAlerts(SNAPSHOT_ALERTS)) yield* add('alerts', alert);

  for (let afterId: string | null = null; ;) {
    const page = store.listConversations(afterId, SNAPSHOT_PAGE_SIZE);
    for (const conversation of page)
      if (canSeeNumber(agent, conversation.phoneNumberId)) yield* add('conversations', conversation);
    const last = page.at(-1);
    if (last === undefined || page.length < SNAPSHOT_PAGE_SIZE) break;
    afterId = last.id;
  }

  for (let afterRowid = 0; ;) {
    const page = store.listMessages(afterRowid, SNAPSHOT_PAGE_SIZE);
    for (const { message } of page)
      if (canSeeNumber(agent, message.phoneNumberId)) yield* add('messages', message);
    const last = page.at(-1);
    if (last === undefined || page.length < SNAPSHOT_PAGE_SIZE) break;
    afterRowid = last.rowid;
  }

  for (let afterRowid = 0; ;) {
    const page = notes.listAfter(afterRowid, SNAPSHOT_PAGE_SIZE);
    for (const { note } of page) if (canSeeNumber(agent, note.phoneNumberId)) yield* add('notes', note);
    const last = page.at(-1);
    if (last === undefined || page.length < SNAPSHOT_PAGE_SIZE) break;
    afterRowid = last.rowid;
  }

  const rest = packer.flush();
  if (rest !== null) yield rest;
}
