// Decides what the agent hears about, from the console's cache as the sync client leaves it:
// - live (connected): a notification per new inbound message in the agent's conversations (theirs
//   and the unassigned queue), a few per second at most (see LiveThrottle);
// - catching up (at start, after a reconnect, during a rebuild): nothing per message; when the
//   catch-up ends, ONE digest of what arrived meanwhile;
// - always: `unread.changed` with the unread total (the inbox's unreadTotal) whenever it changes.
// The core owns it: it calls onApplied() after each applied batch (and after local changes to
// unread counts, such as marking a conversation read) and onSyncStatus() on every status.
import type { Database } from 'better-sqlite3';
import { systemClock, type Clock } from '../../shared/clock.ts';
import type { ConsoleEvent, SyncStatus } from '../../shared/console-api.ts';
import { UnreadTotal } from './agent-scope.ts';
import { digestNotification } from './compose.ts';
import { DEFAULT_GRACE_MS, InboundWatermark } from './inbound-watermark.ts';
import { LiveThrottle, realSchedule, type Schedule } from './live-throttle.ts';
import { NewInbound, type NewsItem } from './new-inbound.ts';
import {
  notificationStrings,
  type NotificationLocale,
  type NotificationStrings,
} from './notification-strings.ts';

export interface NotifierOptions {
  /** The core's cache connection (or a second connection to the same file). */
  db: Database;
  /** The signed-in agent's id; null before the first welcome. */
  agentId: () => string | null;
  emit: (event: ConsoleEvent) => void;
  clock?: Clock;
  /** Language of the notifications' own words (default 'es'). */
  locale?: NotificationLocale;
  /** Test seam: how a delayed showing is scheduled (default setTimeout). */
  schedule?: Schedule;
  /** See InboundWatermark (default 5 minutes). */
  graceMs?: number;
  /** Live: least time between two showings (default 1 s) and most notifications per showing (default 3). */
  gapMs?: number;
  maxPerFlush?: number;
  /** Where a failure goes: notifications are best-effort and must never break the sync that feeds them. */
  onError?: (error: unknown) => void;
}

export class Notifier {
  readonly #options: NotifierOptions;
  readonly #strings: NotificationStrings;
  readonly #inbound: NewInbound;
  readonly #unread: UnreadTotal;
  readonly #watermark: InboundWatermark;
  readonly #throttle: LiveThrottle;
  #live = false;
  /** A first sync into an empty cache: its end is history, not news. */
  #baseline: boolean;
  /** News of a catch-up not yet told (what the throttle still held when the connection dropped). */
  #held: NewsItem[] = [];
  #lastUnread: number | null = null;
  #closed = false;

  constructor(options: NotifierOptions) {
    this.#options = options;
    this.#strings = notificationStrings(options.locale ?? 'es');
    this.#inbound = new NewInbound(options.db);
    this.#unread = new UnreadTotal(options.db);
    this.#watermark = new InboundWatermark(options.graceMs ?? DEFAULT_GRACE_MS);
    // What the cache holds at open was seen in an earlier session; what the first catch-up brings
    // on top of it arrived while the app was closed, and is told in the digest.
    this.#baseline = this.#inbound.isEmpty() && cursorOf(options.db) === 0;
    this.#inbound.absorb(this.#watermark);
    this.#throttle = new LiveThrottle({
      clock: options.clock ?? systemClock,
      schedule: options.schedule ?? realSchedule,
      strings: this.#strings,
      show: (notification) => this.#emit({ type: 'notification', notification }),
      ...(options.gapMs === undefined ? {} : { gapMs: options.gapMs }),
      ...(options.maxPerFlush === undefined ? {} : { maxPerFlush: options.maxPerFlush }),
    });
  }

  /** A batch was applied to the cache (or unread counts changed locally). */
  onApplied(): void {
    this.#guard(() => {
      if (this.#live) this.#throttle.add(this.#readNews());
      this.#tellUnread();
    });
  }

  onSyncStatus(status: SyncStatus): void {
    this.#guard(() => {
      const live = status.state === 'connected';
      if (live && !this.#live) this.#endCatchUp();
      else if (!live && this.#live) this.#held.push(...this.#throttle.drain());
      this.#live = live;
      this.#tellUnread();
    });
  }

  /** Call before the cache connection closes. */
  close(): void {
    this.#closed = true;
    this.#throttle.close();
  }

  #endCatchUp(): void {
    if (this.#baseline) {
      this.#baseline = false;
      this.#held = [];
      this.#inbound.absorb(this.#watermark);
      return;
    }
    const news = [...this.#held, ...this.#readNews()];
    this.#held = [];
    const digest = digestNotification(news, this.#strings);
    if (digest) this.#emit({ type: 'notification', notification: digest });
  }

  #readNews(): NewsItem[] {
    return this.#inbound.read(this.#watermark, this.#options.agentId(), this.#strings);
  }

  #tellUnread(): void {
    const total = this.#unread.read();
    if (total === this.#lastUnread) return;
    this.#lastUnread = total;
    this.#emit({ type: 'unread.changed', unreadTotal: total });
  }

  #emit(event: ConsoleEvent): void {
    if (!this.#closed) this.#options.emit(event);
  }

  #guard(work: () => void): void {
    if (this.#closed) return;
    try {
      work();
    } catch (error) {
      (this.#options.onError ?? reportError)(error);
    }
  }
}

function cursorOf(db: Database): number {
  const row = db.prepare<[], { value: string }>(`SELECT value FROM sync_state WHERE key = 'cursor'`).get();
  const cursor = row ? Number(row.value) : 0;
  return Number.isFinite(cursor) ? cursor : 0;
}

function reportError(error: unknown): void {
  console.error('Ventana notifications failed (sync goes on):', error);
}
