// Which inbound messages this console has already considered, so that only news is announced: not a
// page replayed after a reconnect, not a rebuild re-inserting old rows, not history older than what
// the console had seen. It remembers the newest inbound time it examined and, for a grace period
// below it, the ids it examined: a message that arrives a little out of order (webhooks from
// several customers race) is still news, anything older than the grace period is history.

/** How far below the newest examined message a message not seen before still counts as news. */
export const DEFAULT_GRACE_MS = 5 * 60 * 1000;

export class InboundWatermark {
  readonly #graceMs: number;
  /** Newest inbound timestamp examined; null while nothing was. */
  #newest: number | null = null;
  /** Ids examined at or above the floor, with their timestamps. */
  readonly #seen = new Map<string, number>();

  constructor(graceMs = DEFAULT_GRACE_MS) {
    this.#graceMs = graceMs;
  }

  /** Messages older than this are history; null: nothing examined yet, so nothing is history. */
  get floor(): number | null {
    return this.#newest === null ? null : this.#newest - this.#graceMs;
  }

  has(id: string): boolean {
    return this.#seen.has(id);
  }

  /** `id` was examined: never news again. */
  mark(id: string, timestamp: number): void {
    const floor = this.floor;
    if (floor !== null && timestamp < floor) return;
    this.#seen.set(id, timestamp);
    if (this.#newest === null || timestamp > this.#newest) this.#newest = timestamp;
  }

  /** Everything up to `timestamp` counts as examined from now on (history below the grace period). */
  raiseTo(timestamp: number): void {
    if (this.#newest === null || timestamp > this.#newest) this.#newest = timestamp;
  }

  /** Forgets ids below the floor: the floor alone keeps them out now. */
  prune(): void {
    const floor = this.floor;
    if (floor === null) return;
    for (const [id, timestamp] of this.#seen) if (timestamp < floor) this.#seen.delete(id);
  }
}
