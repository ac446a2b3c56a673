// Posts webhooks to the relay the way Meta does: JSON with non-ASCII escaped, signed over the
// exact bytes sent. No retries: a test that wants a redelivery posts again.
import { z } from 'zod';
import { CodedError } from '../shared/result.ts';
import { metaJson } from './meta-json.ts';
import { SIGNATURE_HEADER, signBody } from './sign.ts';
import type { WebhookEnvelope } from './payloads.ts';

const WEBHOOK_TIMEOUT_MS = 15_000;
const webhookUrlSchema = z.url({ protocol: /^https?$/, error: 'The webhook URL must be an http(s) URL.' });

export function parseWebhookUrl(url: string): string {
  const parsed = webhookUrlSchema.safeParse(url);
  if (!parsed.success)
    throw new CodedError(
      'SIM_INVALID_WEBHOOK_URL',
      `Invalid webhook URL '${url}': ${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
}

export class WebhookPoster {
  readonly #appSecret: string;
  #url: string | null;
  // Aborted on close, so a simulator shut down mid-post leaves nothing running.
  readonly #closing = new AbortController();

  constructor(appSecret: string, url: string | null) {
    this.#appSecret = appSecret;
    this.#url = url === null ? null : parseWebhookUrl(url);
  }

  get url(): string | null {
    return this.#url;
  }

  setUrl(url: string): void {
    this.#url = parseWebhookUrl(url);
  }

  /** Posts one signed webhook and resolves with the relay's HTTP status (any status: Meta's retry policy is not ours). */
  async post(envelope: WebhookEnvelope): Promise<{ status: number }> {
    const url = this.#url;
    if (url === null)
      throw new CodedError(
        'SIM_NO_WEBHOOK_URL',
        'No webhook URL is set: pass webhookUrl or call setWebhookUrl().',
      );
    const raw = Buffer.from(metaJson(envelope), 'utf8');
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(this.#appSecret, raw) },
        body: raw,
        signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
      });
      await response.arrayBuffer(); // drain, so the connection can be reused
      return { status: response.status };
    } catch (error) {
      const cause =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      throw new CodedError('SIM_WEBHOOK_UNREACHABLE', `POST ${url} failed: ${cause}`);
    }
  }

  close(): void {
    this.#closing.abort();
  }
}
