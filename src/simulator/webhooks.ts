// Posts webhooks to the relay the way Meta does: JSON with non-ASCII escaped, signed over the
// exact bytes sent. No automatic retries: duplicates and delays happen only when a test arms them
// (WebhookFaults), and a test that wants a redelivery can also post again.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { CodedError } from '../shared/result.ts';
import { metaJson } from './meta-json.ts';
import { SIGNATURE_HEADER, signBody } from './sign.ts';
import type { WebhookFaults } from './webhook-faults.ts';

const WEBHOOK_TIMEOUT_MS = 15_000;
const webhookUrlSchema = z.url({ protocol: /^https?$/, error: 'The webhook URL must be an http(s) URL.' });

/** valid: Meta's signature; invalid: signed with another secret; missing: no signature header. */
export type SignatureMode = 'valid' | 'invalid' | 'missing';

/** The relay's answer: any status (Meta's retry policy is not ours) and its body as text. */
export interface WebhookAnswer {
  status: number;
  body: string;
}

export function parseWebhookUrl(url: string): string {
  const parsed = webhookUrlSchema.safeParse(url);
  if (!parsed.success)
    throw new CodedError(
      'SIM_INVALID_WEBHOOK_URL',
      `Invalid webhook URL '${url}': ${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}

export class WebhookPoster {
  readonly #appSecret: string;
  readonly #faults: WebhookFaults;
  #url: string | null;
  // Aborted on close, so a simulator shut down mid-post (or mid-delay) leaves nothing running.
  readonly #closing = new AbortController();
  // Aborted (and replaced) to post every held webhook now.
  #release = new AbortController();

  constructor(appSecret: string, url: string | null, faults: WebhookFaults) {
    this.#appSecret = appSecret;
    this.#url = url === null ? null : parseWebhookUrl(url);
    this.#faults = faults;
  }

  get url(): string | null {
    return this.#url;
  }

  setUrl(url: string): void {
    this.#url = parseWebhookUrl(url);
  }

  /** Posts one webhook body as Meta writes it (JSON, non-ASCII escaped). */
  post(body: unknown, signature: SignatureMode = 'valid'): Promise<WebhookAnswer> {
    return this.postRaw(Buffer.from(metaJson(body), 'utf8'), signature);
  }

  /** Posts exactly these bytes, applying whatever delivery faults are armed. */
  async postRaw(raw: Buffer, signature: SignatureMode = 'valid'): Promise<WebhookAnswer> {
    const url = this.#url;
    if (url === null)
      throw new CodedError(
        'SIM_NO_WEBHOOK_URL',
        'No webhook URL is set: pass webhookUrl or call setWebhookUrl().',
      );
    const plan = this.#faults.next();
    if (plan.delayMs > 0) await this.#hold(plan.delayMs, url);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature !== 'missing') {
      const secret = signature === 'valid' ? this.#appSecret : `not-${this.#appSecret}`;
      headers[SIGNATURE_HEADER] = signBody(secret, raw);
    }
    const send = () => this.#send(url, headers, raw);
    if (plan.duplicate === 'concurrent') {
      const [first] = await Promise.all([send(), send()]);
      return first;
    }
    const first = await send();
    if (plan.duplicate === 'sequential') await send();
    return first;
  }

  /** Posts every webhook held by a delay now. */
  releaseHeld(): void {
    this.#release.abort();
    this.#release = new AbortController();
  }

  async #hold(ms: number, url: string): Promise<void> {
    const released = this.#release.signal;
    try {
      await sleep(ms, undefined, { signal: AbortSignal.any([this.#closing.signal, released]) });
    } catch {
      if (this.#closing.signal.aborted) {
        throw new CodedError('SIM_CLOSED', `The simulator closed while a delayed webhook to ${url} waited.`);
      }
    }
  }

  async #send(url: string, headers: Record<string, string>, raw: Buffer): Promise<WebhookAnswer> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: raw,
        signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      throw new CodedError('SIM_WEBHOOK_UNREACHABLE', `POST ${url} failed: ${describeFailure(error)}`);
    }
  }

  close(): void {
    this.#closing.abort();
  }
}
