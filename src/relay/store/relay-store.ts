// What the relay keeps, as one interface: the SQLite implementation is the only one today, and the
// webhook, command and sync code depend on this shape rather than on SQL.
import type { Agent, Conversation, Message } from '../../shared/domain.ts';
import type { CommandResult, RelayEvent } from '../../shared/protocol.ts';
import type { StatusUpdate } from '../messages/status-update.ts';

/** A logged event as the sync server forwards it: already serialized once, shared by every console. */
export interface StoredEvent {
  seq: number;
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

  insertAgent(agent: Agent, tokenHash: string, createdAt: number): void;
  findAgentByTokenHash(tokenHash: string): Agent | null;

  getConversation(id: string): Conversation | null;
  saveConversation(conversation: Conversation): void;

  getMessage(id: string): Message | null;
  findMessageByWaId(waMessageId: string): Message | null;
  saveMessage(message: Message): void;

  parkStatus(update: StatusUpdate, receivedAt: number): void;
  /** Removes and returns the statuses parked for this wamid, in arrival order. */
  takeParkedStatuses(waMessageId: string): StatusUpdate[];

  saveUnrecognizedWebhook(body: Buffer, reason: string, receivedAt: number): void;

  getMutation(mutationId: string): MutationRecord | null;
  insertMutation(record: MutationRecord): void;
  finishMutation(mutationId: string, result: CommandResult): void;
  listExecutingMutations(): MutationRecord[];

  close(): void;
}
