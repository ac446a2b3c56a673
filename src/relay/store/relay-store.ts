// What the relay keeps, as one interface: the SQLite implementation is the only one today, and the
// webhook, command and sync code depend on this shape rather than on SQL.
import type { Alert, Conversation, Message, PhoneNumber, Template } from '../../shared/domain.ts';
import type { CommandResult, RelayEvent, RelayEventType } from '../../shared/protocol.ts';
import type { StatusUpdate } from '../messages/status-update.ts';

/** A logged event as the sync server forwards it: already serialized once, shared by every console. */
export interface StoredEvent {
  seq: number;
  /** The event's type, so visibility rules (alerts: admins only) need not parse the JSON. */
  type: RelayEventType;
  phoneNumberId: string | null;
  json: string;
}

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;
/** An event before the log gives it its seq. */
export type NewRelayEvent = WithoutSeq<RelayEvent>;

export type MutationState = 'executing' | 'done';

export interface MutationRecord {
  mutationId: string;
  agentId: string;
  state: MutationState;
  /** Null while executing. */
  result: CommandResult | null;
  createdAt: number;
}

/** A message with its position in the messages table (snapshots page through it). */
export interface MessageRow {
  rowid: number;
  message: Message;
}

/** Where a raw body was kept. */
export interface KeptWebhook {
  /** Row id in unrecognized_webhooks. */
  id: number;
  /** True when the same bytes were kept before (a duplicate delivery): nothing new was stored or raised. */
  alreadyKept: boolean;
}

export type EventsListener = (events: StoredEvent[]) => void;

export interface RelayStore {
  /**
   * Runs `fn` in one transaction. Events appended inside are announced to listeners only after the
   * commit (never when it rolls back), so consoles never see an event the log does not hold.
   */
  transaction<T>(fn: () => T): T;
  onEvents(listener: EventsListener): () => void;

  appendEvent(event: NewRelayEvent): RelayEvent;
  /** Events with seq > afterSeq, oldest first. */
  readEvents(afterSeq: number, limit: number): StoredEvent[];
  headSeq(): number;

  getConversation(id: string): Conversation | null;
  /** The conversation of this business number with a customer known by either id (wa_id first). */
  findConversationByCustomer(
    phoneNumberId: string,
    ids: { waId: string | null; userId: string | null },
  ): Conversation | null;
  saveConversation(conversation: Conversation): void;
  /** Conversations with id > afterId (null: from the start), ordered by id. */
  listConversations(afterId: string | null, limit: number): Conversation[];

  getMessage(id: string): Message | null;
  findMessageByWaId(waMessageId: string): Message | null;
  /** Inserts, or updates what may change later: wamid, status, error, pricing and media. */
  saveMessage(message: Message): void;
  /** Messages with rowid > afterRowid, ordered by rowid. */
  listMessages(afterRowid: number, limit: number): MessageRow[];

  getTemplate(key: string): Template | null;
  saveTemplate(template: Template): void;
  listTemplates(): Template[];

  getPhoneNumber(id: string): PhoneNumber | null;
  /** The known business number with this display number (compared on digits only). */
  findPhoneNumberByDisplay(displayPhoneNumber: string): PhoneNumber | null;
  savePhoneNumber(phoneNumber: PhoneNumber): void;
  listPhoneNumbers(): PhoneNumber[];

  /** Stores an alert; false (and nothing stored) when an alert with its id exists already. */
  insertAlert(alert: Alert): boolean;
  /** The newest `limit` alerts, oldest first. */
  listRecentAlerts(limit: number): Alert[];

  /** Keeps a status until its message is known; the same status parked twice is kept once. */
  parkStatus(update: StatusUpdate, receivedAt: number): void;
  /** Removes and returns the statuses parked for this wamid, in arrival order. */
  takeParkedStatuses(waMessageId: string): StatusUpdate[];

  /**
   * Keeps a correctly signed body the relay could not (fully) apply, and raises the admin alert that
   * names its row, in one transaction: nothing is kept raw without an admin hearing of it. The same
   * bytes delivered again are neither kept nor announced twice.
   */
  saveUnrecognizedWebhook(body: Buffer, reason: string, receivedAt: number): KeptWebhook;

  getMutation(mutationId: string): MutationRecord | null;
  insertMutation(record: MutationRecord): void;
  finishMutation(mutationId: string, result: CommandResult): void;
  listExecutingMutations(): MutationRecord[];

  close(): void;
}
