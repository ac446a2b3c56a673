// Keeps live notifications to a few per second. The first news after a quiet spell shows at once;
// news within the next `gapMs` waits and is shown together: one notification per conversation
// (a burst becomes "N new messages"), or one digest when more conversations than `maxPerFlush` wrote.
import type { Clock } from '../../shared/clock.ts';
import type { ConsoleNotification } from '../../shared/console-api.ts';
import { byConversation, conversationNotification, digestNotification } from './compose.ts';
import type { NewsItem } from './new-inbound.ts';
import type { NotificationStrings } from './notification-strings.ts';

/** Runs `task` after `ms`; answers how to cancel it. */
export type Schedule = (task: () => void, ms: number) => () => void;

export const realSchedule: Schedule = (task, ms) => {
  const timer = setTimeout(task, ms);
  // A pending notification must not keep a closing process alive.
  timer.unref();
  return () => clearTimeout(timer);
};

export interface LiveThrottleOptions {
  clock: Clock;
  schedule: Schedule;
  strings: NotificationStrings;
  show(notification: ConsoleNotification): void;
  /** Least time between two showings (default 1 s). */
  gapMs?: number;
  /** Most notifications in one showing (default 3); more conversations make one digest. */
  maxPerFlush?: number;
}

export class LiveThrottle {
  readonly #options: LiveThrottleOptions;
  readonly #gapMs: number;
  readonly #maxPerFlush: number;
  #pending: NewsItem[] = [];
  #lastShownAt = Number.NEGATIVE_INFINITY;
  #cancel: (() => void) | null = null;

  constructor(options: LiveThrottleOptions) {
    this.#options = options;
    this.#gapMs = options.gapMs ?? 1000;
    this.#maxPerFlush = options.maxPerFlush ?? 3;
  }

  add(items: readonly NewsItem[]): void {
    if (items.length === 0) return;
    this.#pending.push(...items);
    if (this.#cancel) return; // a showing is already scheduled: these join it
    const wait = this.#lastShownAt + this.#gapMs - this.#options.clock.now();
    if (wait <= 0) {
      this.#flush();
      return;
    }
    this.#cancel = this.#options.schedule(() => {
      this.#cancel = null;
      this.#flush();
    }, wait);
  }

  /** Takes what has not been shown yet (it goes into a digest instead) and cancels the showing. */
  drain(): NewsItem[] {
    this.#cancel?.();
    this.#cancel = null;
    const pending = this.#pending;
    this.#pending = [];
    return pending;
  }

  close(): void {
    this.drain();
  }

  #flush(): void {
    const items = this.#pending;
    this.#pending = [];
    if (items.length === 0) return;
    this.#lastShownAt = this.#options.clock.now();
    const { strings } = this.#options;
    const groups = byConversation(items);
    if (groups.length > this.#maxPerFlush) {
      const digest = digestNotification(items, strings);
      if (digest) this.#options.show(digest);
      return;
    }
    for (const group of groups) this.#options.show(conversationNotification(group, strings));
  }
}
