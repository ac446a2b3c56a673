// startSimulator: a stand-in for Meta's WhatsApp Cloud API over real HTTP. The relay calls its Graph
// endpoints exactly as it calls graph.facebook.com; it posts signed webhooks to the relay as Meta
// does; tests drive the customer side through this object or the /_sim HTTP controls.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { z } from 'zod';
import { systemClock } from '../shared/clock.ts';
import type { Clock } from '../shared/clock.ts';
import { CodedError } from '../shared/result.ts';
import { AutoStatuses } from './auto-statuses.ts';
import { DEFAULT_CONFIG, configPatchSchema } from './config.ts';
import type { SimulatorConfig } from './config.ts';
import { createControlHandler } from './control-routes.ts';
import { createGraphHandler } from './graph-routes.ts';
import { sendJson } from './http.ts';
import { inboundTextInputSchema, statusInputSchema } from './inputs.ts';
import { inboundTextWebhook, statusWebhook } from './payloads.ts';
import type { BusinessNumber, StatusName } from './payloads.ts';
import { SendLog } from './send-log.ts';
import type { RecordedSend } from './send-log.ts';
import { newWamid } from './wamid.ts';
import { WebhookPoster } from './webhooks.ts';

export type { RecordedSend } from './send-log.ts';
export type { SimulatorConfig } from './config.ts';
export { inboundTextWebhook, statusWebhook } from './payloads.ts';
export type { WebhookEnvelope, StatusName } from './payloads.ts';
export { signBody } from './sign.ts';

export interface SimulatorOptions {
  host?: string;
  port?: number;
  /** Signs webhooks: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>. */
  appSecret: string;
  /** Graph calls must carry Authorization: Bearer <accessToken>. */
  accessToken: string;
  graphVersion?: string;
  wabaId: string;
  phoneNumbers: { id: string; displayPhoneNumber: string }[];
  /** The relay's POST /webhook (can also be set later). */
  webhookUrl?: string;
  autoStatuses?: boolean;
  statusDelayMs?: number;
  clock?: Clock;
  /** Where failures of background webhooks (auto statuses) are reported; silent by default. */
  logger?: Logger;
}

export interface Simulator {
  /** http://127.0.0.1:PORT — the relay's graphBaseUrl (Graph path: /{version}/{phone-number-id}/messages). */
  readonly url: string;
  readonly graphVersion: string;
  setWebhookUrl(url: string): void;
  configure(options: {
    autoStatuses?: boolean;
    statusBeforeResponse?: boolean;
    statusDelayMs?: number;
  }): void;
  /** Posts a signed inbound text webhook as the customer; resolves with the relay's HTTP status. timestamp in ms (default clock.now()). */
  sendInboundText(input: {
    from: string;
    name?: string;
    text: string;
    phoneNumberId?: string;
    timestamp?: number;
  }): Promise<{
    wamid: string;
    status: number;
  }>;
  /** Posts a signed status webhook for a message the simulator accepted earlier. */
  sendStatus(input: {
    wamid: string;
    status: 'sent' | 'delivered' | 'read' | 'failed';
    error?: { code: number; title: string; details?: string };
  }): Promise<{ status: number }>;
  /** Every POST /messages send the simulator accepted, in order. */
  sends(): RecordedSend[];
  /** Calls `listener` after each accepted send has been answered; returns the unsubscribe function. */
  onSend(listener: (send: RecordedSend) => void): () => void;
  close(): Promise<void>;
}

const optionsSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
  appSecret: z.string().min(1),
  accessToken: z.string().min(1),
  graphVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, "must look like 'v23.0'")
    .default('v23.0'),
  wabaId: z.string().min(1),
  phoneNumbers: z.array(z.object({ id: z.string().min(1), displayPhoneNumber: z.string().min(1) })).min(1),
  webhookUrl: z.string().optional(),
  autoStatuses: z.boolean().default(DEFAULT_CONFIG.autoStatuses),
  statusDelayMs: z.number().int().min(0).default(DEFAULT_CONFIG.statusDelayMs),
});

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const parsedOptions = optionsSchema.safeParse(options);
  if (!parsedOptions.success) {
    throw new CodedError(
      'SIM_INVALID_OPTIONS',
      `Invalid simulator options: ${z.prettifyError(parsedOptions.error)}`,
    );
  }
  const settings = parsedOptions.data;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: 'silent' });
  const numbers = new Map<string, BusinessNumber>(
    settings.phoneNumbers.map((n) => [
      n.id,
      { wabaId: settings.wabaId, phoneNumberId: n.id, displayPhoneNumber: n.displayPhoneNumber },
    ]),
  );
  const defaultNumberId = settings.phoneNumbers[0]?.id ?? '';
  let config: SimulatorConfig = {
    ...DEFAULT_CONFIG,
    autoStatuses: settings.autoStatuses,
    statusDelayMs: settings.statusDelayMs,
  };
  const log = new SendLog();
  const poster = new WebhookPoster(settings.appSecret, settings.webhookUrl ?? null);
  const sendListeners = new Set<(send: RecordedSend) => void>();

  function businessNumber(phoneNumberId: string): BusinessNumber {
    const number = numbers.get(phoneNumberId);
    if (number === undefined) {
      throw new CodedError(
        'SIM_UNKNOWN_PHONE_NUMBER',
        `Phone number id '${phoneNumberId}' is not one of the simulator's numbers.`,
      );
    }
    return number;
  }

  async function postStatus(
    wamid: string,
    status: StatusName,
    error?: { code: number; title: string; details?: string },
  ) {
    const send = log.find(wamid);
    if (send === undefined)
      throw new CodedError('SIM_UNKNOWN_WAMID', `No accepted send has the id '${wamid}'.`);
    // Marked before posting so an automatic chain running meanwhile does not post it twice.
    log.markPosted(wamid, status);
    const envelope = statusWebhook({
      ...businessNumber(send.phoneNumberId),
      wamid,
      recipientId: send.to.replace(/\D/g, ''),
      status,
      timestamp: clock.now(),
      bizOpaqueCallbackData: send.bizOpaqueCallbackData,
      ...(error === undefined ? {} : { error }),
    });
    return poster.post(envelope);
  }

  const autoStatuses = new AutoStatuses({
    post: (wamid, status) => postStatus(wamid, status),
    hasPosted: (wamid, status) => log.hasPosted(wamid, status),
    delayMs: () => config.statusDelayMs,
    onError: (error, wamid, status) =>
      logger.warn({ err: error, wamid, status }, 'automatic status webhook failed'),
  });

  function configure(patch: {
    autoStatuses?: boolean;
    statusBeforeResponse?: boolean;
    statusDelayMs?: number;
  }): void {
    config = { ...config, ...configPatchSchema.parse(patch) };
  }

  async function sendInboundText(input: {
    from: string;
    name?: string;
    text: string;
    phoneNumberId?: string;
    timestamp?: number;
  }): Promise<{ wamid: string; status: number }> {
    const request = inboundTextInputSchema.parse(input);
    const number = businessNumber(request.phoneNumberId ?? defaultNumberId);
    const wamid = newWamid(request.from);
    const envelope = inboundTextWebhook({
      ...number,
      from: request.from,
      ...(request.name === undefined ? {} : { name: request.name }),
      wamid,
      text: request.text,
      timestamp: request.timestamp ?? clock.now(),
    });
    const { status } = await poster.post(envelope);
    return { wamid, status };
  }

  async function sendStatus(input: {
    wamid: string;
    status: StatusName;
    error?: { code: number; title: string; details?: string };
  }): Promise<{ status: number }> {
    const request = statusInputSchema.parse(input);
    const { status } = await postStatus(request.wamid, request.status, request.error);
    return { status };
  }

  const graph = createGraphHandler({
    accessToken: settings.accessToken,
    graphVersion: settings.graphVersion,
    isPhoneNumber: (id) => numbers.has(id),
    async acceptSend(accepted) {
      const send: RecordedSend = { wamid: newWamid(accepted.to), ...accepted, at: clock.now() };
      log.record(send);
      if (config.statusBeforeResponse) {
        try {
          await postStatus(send.wamid, 'sent');
        } catch (error) {
          logger.warn({ err: error, wamid: send.wamid }, 'sent status before the answer failed');
        }
      }
      return send;
    },
    answered(send) {
      if (config.autoStatuses) autoStatuses.start(send.wamid);
      for (const listener of sendListeners) listener({ ...send });
    },
  });
  const control = createControlHandler({
    sendInboundText,
    sendStatus,
    sends: () => log.all(),
    configure,
    config: () => ({ ...config }),
  });

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const handle = path.startsWith('/_sim/') ? control : graph;
    handle(req, res, path).catch((error: unknown) => {
      logger.error({ err: error, path }, 'request failed');
      if (!res.headersSent) {
        void sendJson(res, 500, {
          error: { code: 'SIM_INTERNAL', message: 'The simulator failed; see its log.' },
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${urlHost(settings.host)}:${port}`,
    graphVersion: settings.graphVersion,
    setWebhookUrl: (url) => poster.setUrl(url),
    configure,
    sendInboundText,
    sendStatus,
    sends: () => log.all(),
    onSend(listener) {
      sendListeners.add(listener);
      return () => void sendListeners.delete(listener);
    },
    async close() {
      autoStatuses.stop();
      poster.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
