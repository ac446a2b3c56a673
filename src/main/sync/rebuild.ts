// A rebuild of the mirror, as the relay drives it: `reset` -> `snapshot` pages -> `snapshot_done`
// (or, from a relay that has no snapshot for the reason, `reset` -> a replay from seq 0 -> `caught_up`,
// which the sync client ends).
// Each step is one transaction, and every state in between is one a restart repairs: the cursor is
// 0 from the reset until the end, so the relay sends a fresh snapshot or a full replay, and the
// epoch is only stored once the mirror is complete for it.
import type { ServerFrame } from '../../shared/protocol.ts';
import type { CacheRepository } from '../cache/cache-repository.ts';
import { ChangeSet, type AppliedChanges } from './change-set.ts';
import type { SyncHooks } from './sync-hooks.ts';

export type SnapshotFrame = Extract<ServerFrame, { type: 'snapshot' }>;

export class Rebuild {
  readonly #repo: CacheRepository;
  readonly #hooks: SyncHooks | undefined;
  /** Everything the UI shows that the rebuild touched: told once, when it is done. */
  readonly #changes = new ChangeSet();
  #rowsApplied = 0;
  #snapshotPages = 0;

  /**
   * Wipes the mirror (never the outbox) and sets the cursor to 0, in one transaction. `interrupted`:
   * a rebuild this one starts over, whose changes the UI has not heard of yet.
   */
  static begin(repo: CacheRepository, hooks?: SyncHooks, interrupted?: Rebuild | null): Rebuild {
    const rebuild = new Rebuild(repo, hooks);
    if (interrupted) rebuild.#changes.add(interrupted.changes());
    const forgotten = repo.transaction(() => {
      const ids = { conversations: repo.conversationIds(), notes: repo.notes.conversationIds() };
      repo.beginRebuild();
      return ids;
    });
    rebuild.#changes.add({
      conversationIds: forgotten.conversations,
      threadIds: forgotten.conversations,
      noteConversationIds: forgotten.notes,
      templates: true,
      quickReplies: true,
    });
    return rebuild;
  }

  private constructor(repo: CacheRepository, hooks: SyncHooks | undefined) {
    this.#repo = repo;
    this.#hooks = hooks;
  }

  /** True once a snapshot page has arrived: from then on only pages and `snapshot_done` may follow. */
  get snapshotting(): boolean {
    return this.#snapshotPages > 0;
  }

  /** Applies one snapshot page in one transaction; the cursor stays where the reset put it. */
  applyPage(frame: SnapshotFrame): void {
    const repo = this.#repo;
    const changes = new ChangeSet();
    let applied = this.#rowsApplied;
    const counted = (): void => {
      applied += 1;
      this.#hooks?.insideSnapshotTransaction?.(applied);
    };
    repo.transaction(() => {
      for (const conversation of frame.conversations) {
        repo.upsertConversation(conversation);
        changes.conversationIds.add(conversation.id);
        counted();
      }
      for (const message of frame.messages) {
        repo.upsertMessage(message);
        // A reply the agent queued before the rebuild and the relay has since confirmed.
        repo.outbox.delete(message.id);
        changes.conversationIds.add(message.conversationId);
        changes.threadIds.add(message.conversationId);
        counted();
      }
      for (const template of frame.templates) {
        repo.catalog.upsertTemplate(template);
        changes.templates = true;
        counted();
      }
      for (const phoneNumber of frame.phoneNumbers) {
        repo.catalog.upsertPhoneNumber(phoneNumber);
        counted();
      }
      for (const alert of frame.alerts) {
        repo.catalog.upsertAlert(alert);
        counted();
      }
      for (const note of frame.notes) {
        repo.notes.upsert(note);
        // A note the agent wrote before the rebuild, confirmed since (its id is the mutation id).
        repo.outbox.delete(note.id);
        changes.noteConversationIds.add(note.conversationId);
        counted();
      }
      for (const quickReply of frame.quickReplies) {
        repo.quickReplies.upsert(quickReply);
        repo.outbox.delete(quickReply.id);
        changes.quickReplies = true;
        counted();
      }
    });
    this.#rowsApplied = applied;
    this.#snapshotPages += 1;
    this.#changes.add(changes.toApplied());
  }

  /** A replay page that is part of this rebuild (no snapshot for it): told with the rest at the end. */
  noteReplayed(changes: AppliedChanges): void {
    this.#changes.add(changes);
  }

  /**
   * `snapshot_done`: stores the cursor the snapshot stands at and the epoch it was built for, in one
   * transaction, and drops what was carried over. Returns what changed for the UI.
   */
  finishSnapshot(cursor: number, epoch: number): AppliedChanges {
    const repo = this.#repo;
    repo.transaction(() => {
      repo.setCursor(cursor);
      repo.setEpoch(epoch);
      repo.endRebuild();
    });
    return this.#changes.toApplied();
  }

  /** Everything the rebuild touched so far (at its end, or when it is cut short). */
  changes(): AppliedChanges {
    return this.#changes.toApplied();
  }
}
