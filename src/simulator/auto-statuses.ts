// After a send is answered, Meta reports sent, delivered and read. We post them one at a time, each
// only after the relay answered the previous, `delayMs` apart; statuses already posted (e.g. `sent`
// before the answer, or by a test) are skipped, and a `failed` one ends the chain. `order` makes
// them arrive as Meta sometimes delivers them: reversed (read first) or shuffled.
import type { StatusOrder } from './config.ts';
import type { StatusName } from './payloads/index.ts';

const CHAIN: readonly StatusName[] = ['sent', 'delivered', 'read'];

export interface AutoStatusDeps {
  post(wamid: string, status: StatusName): Promise<unknown>;
  hasPosted(wamid: string, status: StatusName): boolean;
  delayMs(): number;
  order(): StatusOrder;
  /** Floats in [0, 1) for the shuffled order (seeded, so a failing run can be repeated). */
  random(): number;
  onError(error: unknown, wamid: string, status: StatusName): void;
}

/** The chain in the requested order (Fisher-Yates for `shuffled`). */
export function arrangeChain(order: StatusOrder, random: () => number): StatusName[] {
  if (order === 'in-order') return [...CHAIN];
  if (order === 'reversed') return CHAIN.toReversed();
  const chain = [...CHAIN];
  for (let i = chain.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [chain[i], chain[j]] = [chain[j] as StatusName, chain[i] as StatusName];
  }
  return chain;
}

export class AutoStatuses {
  readonly #deps: AutoStatusDeps;
  readonly #sleepers = new Map<NodeJS.Timeout, () => void>();
  #stopped = false;

  constructor(deps: AutoStatusDeps) {
    this.#deps = deps;
  }

  start(wamid: string): void {
    void this.#run(wamid);
  }

  stop(): void {
    this.#stopped = true;
    for (const [timer, wake] of this.#sleepers) {
      clearTimeout(timer);
      wake();
    }
    this.#sleepers.clear();
  }

  async #run(wamid: string): Promise<void> {
    for (const status of arrangeChain(this.#deps.order(), () => this.#deps.random())) {
      if (this.#done(wamid) || this.#deps.hasPosted(wamid, status)) continue;
      await this.#sleep(this.#deps.delayMs());
      if (this.#done(wamid) || this.#deps.hasPosted(wamid, status)) continue;
      try {
        await this.#deps.post(wamid, status);
      } catch (error) {
        // The relay is unreachable: later statuses would fail the same way.
        this.#deps.onError(error, wamid, status);
        return;
      }
    }
  }

  #done(wamid: string): boolean {
    return this.#stopped || this.#deps.hasPosted(wamid, 'failed');
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#sleepers.delete(timer);
        resolve();
      }, ms);
      this.#sleepers.set(timer, resolve);
    });
  }
}
