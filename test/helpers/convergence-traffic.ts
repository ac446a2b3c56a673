// Seeded traffic for the convergence tests: customers writing through the simulator (every webhook
// retried with the same body until the relay takes it, as Meta retries), replies typed on the
// consoles (queued in their outboxes, whether the relay is reachable or not), and team commands over
// the relay's REST API (assign, close, reopen, notes, quick replies; retried with the same mutation
// id). Every step is fired without waiting, so faults can strike mid-traffic; `finish()` waits for
// all of it and remembers what was delivered, to check caches against.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsoleCore } from '../../src/main/core/console-core.ts';
import { messagesWebhook, textMessage, type Simulator } from '../../src/simulator/index.ts';
import { seededRandom } from '../../src/simulator/seeded-random.ts';
import { conversationId } from '../../src/shared/domain.ts';
import { toErrorInfo } from '../../src/shared/result.ts';

const WABA_ID = '102290129340398';
/** How long one step may keep retrying (the relay down for a restart, a console reconnecting). */
const RETRY_FOR_MS = 30_000;
const RETRY_EVERY_MS = 40;

export interface TrafficOptions {
  simulator: Simulator;
  /** The relay's address for REST commands, and a token allowed to run them. */
  relayUrl: string;
  adminToken: string;
  phoneNumberId: string;
  displayPhoneNumber?: string;
  /** Consoles that type replies, each picked at random per reply. */
  repliers: readonly ConsoleCore[];
  /** Agents conversations get assigned to. */
  assignees: readonly string[];
  seed: number;
  /** Keeps ids and texts of this run apart from other tests on the same stack. */
  tag: string;
  customers?: number;
}

export interface Reply {
  mutationId: string;
  conversationId: string;
  text: string;
}

export class ConvergenceTraffic {
  readonly #options: TrafficOptions;
  readonly #random: () => number;
  readonly #customers: string[];
  /** Conversations the relay has accepted an inbound message for (replies go only there). */
  readonly #open = new Set<string>();
  readonly #work: Promise<void>[] = [];
  #steps = 0;
  /** Inbound message ids the relay accepted. */
  readonly delivered = new Set<string>();
  readonly replies: Reply[] = [];
  /** Team commands that ended in an answer (ok or refused): their mutation ids. */
  readonly commands: string[] = [];
  /** Webhook deliveries the relay did not take at the first try (it was down): retried. */
  webhookRetries = 0;

  constructor(options: TrafficOptions) {
    this.#options = options;
    this.#random = seededRandom(options.seed);
    this.#customers = Array.from(
      { length: options.customers ?? 6 },
      (_, i) => `59398${String(options.seed % 1000).padStart(3, '0')}${String(i).padStart(4, '0')}`,
    );
  }

  /** `count` steps, `gapMs` apart: each an inbound message, often a reply, sometimes a team command. */
  async run(count: number, gapMs = 15): Promise<void> {
    for (let i = 0; i < count; i++) {
      this.step();
      await sleep(gapMs);
    }
  }

  step(): void {
    const n = ++this.#steps;
    const customer = this.#customers[Math.floor(this.#random() * this.#customers.length)] as string;
    this.#track(this.#inbound(customer, n));
    const open = [...this.#open];
    if (open.length > 0 && this.#random() < 0.6) {
      const target = open[Math.floor(this.#random() * open.length)] as string;
      const core = this.#options.repliers[Math.floor(this.#random() * this.#options.repliers.length)];
      if (core) this.#track(this.#reply(core, target, `Respuesta ${this.#options.tag} ${n}`));
    }
    if (open.length > 0 && n % 4 === 0) {
      const target = open[Math.floor(this.#random() * open.length)] as string;
      this.#track(this.#teamCommand(target, n));
    }
  }

  /** Waits for every step to land (accepted by the relay, or queued in a console's outbox). */
  async finish(): Promise<void> {
    while (this.#work.length > 0) await Promise.all(this.#work.splice(0));
  }

  #track(work: Promise<void>): void {
    // Handled here so a failure waits for finish() to be reported, not as an unhandled rejection.
    work.catch(() => {});
    this.#work.push(work);
  }

  async #inbound(customer: string, n: number): Promise<void> {
    const { simulator, phoneNumberId } = this.#options;
    const id = `wamid.${this.#options.tag}-${n}`;
    const body = messagesWebhook(
      {
        wabaId: WABA_ID,
        phoneNumberId,
        displayPhoneNumber: this.#options.displayPhoneNumber ?? '+593 2 555 0100',
      },
      {
        contacts: [{ profile: { name: `Cliente ${customer.slice(-4)}` }, wa_id: customer }],
        messages: [
          {
            from: customer,
            id,
            timestamp: String(Math.floor(simulator.clock.now() / 1000)),
            ...textMessage(`Mensaje ${this.#options.tag} ${n}`),
          },
        ],
      },
    );
    let tries = 0;
    await retry(`webhook ${id}`, async () => {
      if (tries++ > 0) this.webhookRetries += 1;
      const answer = await simulator.sendWebhook(body);
      return answer.status === 200;
    });
    this.delivered.add(id);
    this.#open.add(conversationId(phoneNumberId, customer));
  }

  async #reply(core: ConsoleCore, target: string, text: string): Promise<void> {
    // The console may not have the conversation yet (its stream is behind, or cut): type it once it does.
    const { mutationId } = await retry(`reply "${text}"`, async () => {
      try {
        return await core.sendText({ conversationId: target, text });
      } catch (error) {
        if (toErrorInfo(error).code === 'CONVERSATION_NOT_FOUND') return null;
        throw error;
      }
    });
    this.replies.push({ mutationId, conversationId: target, text });
  }

  async #teamCommand(target: string, n: number): Promise<void> {
    const { assignees, tag } = this.#options;
    const kinds = ['assign', 'close', 'reopen', 'add_note', 'quick_reply_create', 'unassign'] as const;
    const kind = kinds[Math.floor(this.#random() * kinds.length)] ?? 'assign';
    const assignee = assignees[Math.floor(this.#random() * assignees.length)] ?? '';
    const command =
      kind === 'assign'
        ? { kind, conversationId: target, agentId: assignee }
        : kind === 'add_note'
          ? { kind, conversationId: target, text: `Nota ${tag} ${n}` }
          : kind === 'quick_reply_create'
            ? { kind, shortcut: `qr_${tag}_${n}`, text: `Respuesta rápida ${n}` }
            : { kind, conversationId: target };
    const mutationId = `cmd-${tag}-${n}`.replace(/[^A-Za-z0-9_-]/g, '-');
    await postCommand(this.#options.relayUrl, this.#options.adminToken, mutationId, command);
    this.commands.push(mutationId);
  }
}

/**
 * Runs a command through the relay's REST API, retried with the same mutation id until the relay
 * answers (it runs it once whatever the retries). Answers the HTTP status: a refusal (closing a
 * closed conversation) is an answer too; 5xx (and 503 while stopping) is not.
 */
export async function postCommand(
  relayUrl: string,
  token: string,
  mutationId: string,
  command: Record<string, unknown>,
): Promise<number> {
  return retry(`command ${String(command.kind)} ${mutationId}`, async () => {
    const answer = await fetch(`${relayUrl}/v1/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mutationId, command }),
    });
    await answer.arrayBuffer();
    return answer.status < 500 ? answer.status : null;
  });
}

/** Tries `attempt` until it answers something truthy; a thrown network error counts as "not yet". */
async function retry<T>(what: string, attempt: () => Promise<T | null | false>): Promise<T> {
  const deadline = performance.now() + RETRY_FOR_MS;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`gave up on ${what} after ${RETRY_FOR_MS} ms${detail}`);
    }
    await sleep(RETRY_EVERY_MS);
  }
}
