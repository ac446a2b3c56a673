// startSimulator: a stand-in for Meta's WhatsApp Cloud API over real HTTP. The relay calls its Graph
// endpoints exactly as it calls graph.facebook.com (sends of every type, uploads, the template list,
// media lookups and downloads); it posts signed webhooks to the relay as Meta does; tests drive the
// customer side, manage templates, arm delivery and Graph faults and move its clock through this
// object or the /_sim HTTP controls (control-routes.ts).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { z } from 'zod';
import { OffsetClock, systemClock } from '../shared/clock.ts';
import type { Clock } from '../shared/clock.ts';
import { CodedError } from '../shared/result.ts';
import { AutoStatuses } from './auto-statuses.ts';
import { DEFAULT_CONFIG, configPatchSchema } from './config.ts';
import type { SimulatorConfig, StatusOrder } from './config.ts';
import { createControlHandler } from './control-routes.ts';
import { createGraphHandler } from './graph-routes.ts';
import { sendJson } from './http.ts';
import { buildInbound } from './inbound.ts';
import {
  addMediaInputSchema,
  addTemplateInputSchema,
  clockInputSchema,
  delayInputSchema,
  duplicateInputSchema,
  failMediaInputSchema,
  failSendsInputSchema,
  failUploadsInputSchema,
  inboundInputSchema,
  inboundTextInputSchema,
  pairRateLimitInputSchema,
  statusInputSchema,
  templateStatusInputSchema,
} from './inputs.ts';
import type {
  AddTemplateRequest,
  DelayRequest,
  DuplicateRequest,
  FailMediaRequest,
  FailSendsRequest,
  FailUploadsRequest,
  PairRateLimitRequest,
  TemplateStatusRequest,
} from './inputs.ts';
import { createMediaDownloadHandler } from './media/download-route.ts';
import { MediaHost } from './media/media-host.ts';
import { MEDIA_DOWNLOAD_PATH } from './media/media-url.ts';
import { pmpPricing, statusWebhook, templateStatusUpdateWebhook, textMessage } from './payloads/index.ts';
import type { BusinessNumber, MessageBody, StatusName } from './payloads/index.ts';
import { seededRandom } from './seeded-random.ts';
import { SendLog } from './send-log.ts';
import type { RecordedSend } from './send-log.ts';
import { CustomerWindows } from './sends/customer-windows.ts';
import { PAIR_WINDOW_MS, PairRateLimit } from './sends/pair-rate-limit.ts';
import type { PairRateLimitState } from './sends/pair-rate-limit.ts';
import { pricingOf } from './sends/pricing.ts';
import { RequestLog } from './sends/request-log.ts';
import type { RecordedAttempt, RecordedRead } from './sends/request-log.ts';
import { ArmedFaults, faultOutcome } from './sends/send-faults.ts';
import type { ArmedFault } from './sends/send-faults.ts';
import { SEED_TEMPLATES } from './templates/catalog.ts';
import { TemplateStore, toMetaTemplate } from './templates/template-store.ts';
import type { MetaTemplate } from './templates/template-store.ts';
import { UploadLog } from './uploads/upload-log.ts';
import type { RecordedUpload } from './uploads/upload-log.ts';
import { whatsAppErrorInfo } from './whatsapp-errors.ts';
import { WebhookFaults } from './webhook-faults.ts';
import { WebhookPoster } from './webhooks.ts';
import type { SignatureMode, WebhookAnswer } from './webhooks.ts';
import { newWamid } from './wamid.ts';

export type { RecordedSend } from './send-log.ts';
export type { RecordedAttempt, RecordedRead } from './sends/request-log.ts';
export type { ArmedFault, FaultOutcome } from './sends/send-faults.ts';
export type { PairRateLimitState } from './sends/pair-rate-limit.ts';
export type { MetaTemplate, StoredTemplate } from './templates/template-store.ts';
export type { RecordedUpload } from './uploads/upload-log.ts';
export type {
  AddTemplateRequest,
  FailSendsRequest,
  FailUploadsRequest,
  PairRateLimitRequest,
  SendFaultSpec,
  TemplateStatusRequest,
} from './inputs.ts';
export { SEED_TEMPLATES } from './templates/catalog.ts';
export type { SimulatorConfig, StatusOrder } from './config.ts';
export type { WebhookFaultState } from './webhook-faults.ts';
export type { SignatureMode, WebhookAnswer } from './webhooks.ts';
export * from './payloads/index.ts';
export { signBody } from './sign.ts';

export interface SimulatorOptions {
  host?: string;
  port?: number;
  /** Signs webhooks: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>. */
  appSecret: string;
  /** Graph calls (and media downloads) must carry Authorization: Bearer <accessToken>. */
  accessToken: string;
  graphVersion?: string;
  wabaId: string;
  phoneNumbers: { id: string; displayPhoneNumber: string }[];
  /** The relay's POST /webhook (can also be set later). */
  webhookUrl?: string;
  autoStatuses?: boolean;
  statusDelayMs?: number;
  /** The simulator's time starts here; advanceClock() moves it forward from there. */
  clock?: Clock;
  /** Seed of the shuffled status order (default fixed, so a failing run can be repeated). */
  seed?: number;
  /** Where failures of background webhooks (auto statuses) are reported; silent by default. */
  logger?: Logger;
  /** The account's templates at start, in listing order (default: SEED_TEMPLATES, a Spanish shop's set). */
  templates?: readonly AddTemplateRequest[];
}

/** Meta's error of a `failed` status; title and details default to what Meta writes for the code. */
type StatusError = { code: number; title?: string; details?: string };
/** Per-message pricing of a status; billable defaults to what the type implies (only 'regular' is charged). */
type PricingRequest = { category: string; type: string; billable?: boolean };

export interface SendInboundInput {
  /** The customer's wa_id (E.164 digits); '' for a username-only customer, with `userId`. */
  from: string;
  name?: string;
  /** Business-scoped user id (BSUID). */
  userId?: string;
  username?: string;
  phoneNumberId?: string;
  /** When the customer wrote, in ms (default: the simulator's clock). */
  timestamp?: number;
  /** A Meta-shaped message without from/id/timestamp, e.g. locationMessage({...}) or { type: 'location', location: {...} }. */
  message: MessageBody;
  /** Meta's referral object (see adReferral). */
  referral?: Record<string, unknown>;
  /** Meta's context: { id } for a reply (from defaults to the business number), { forwarded: true }, ... */
  context?: { from?: string; id?: string; forwarded?: boolean; frequently_forwarded?: boolean };
}

export interface Simulator {
  /** http://127.0.0.1:PORT — the relay's graphBaseUrl (Graph path: /{version}/{phone-number-id}/messages). */
  readonly url: string;
  readonly graphVersion: string;
  /** The simulator's time: message timestamps, status times and media URL expiry read it. */
  readonly clock: Clock;
  setWebhookUrl(url: string): void;
  configure(options: Partial<SimulatorConfig>): void;
  /** Posts a signed inbound message of any type as the customer; resolves with the relay's HTTP status. */
  sendInbound(input: SendInboundInput): Promise<{ wamid: string; status: number }>;
  /** sendInbound of a text message. */
  sendInboundText(input: {
    from: string;
    name?: string;
    text: string;
    phoneNumberId?: string;
    timestamp?: number;
  }): Promise<{ wamid: string; status: number }>;
  /**
   * Posts a signed status webhook for a message the simulator accepted earlier. Pricing defaults to
   * the send's own: templates by category (utility free inside the customer-service window, billable
   * otherwise), free customer service for the rest; `failed` carries Meta's error object instead.
   */
  sendStatus(input: {
    wamid: string;
    status: StatusName;
    error?: StatusError;
    pricing?: PricingRequest;
  }): Promise<{ status: number }>;
  /**
   * Posts any body as a webhook: an object is serialised as Meta does and signed; `{ raw }` posts
   * exactly that text (signed too, unless `signature` says otherwise). Delivery faults apply.
   */
  sendWebhook(body: unknown, options?: { signature?: SignatureMode }): Promise<WebhookAnswer>;
  /** Registers media a customer can send; answers its media id (GET /{version}/{id} describes it). */
  addMedia(input: { bytes: Buffer; mimeType: string; filename?: string }): string;
  /** The next `times` lookups (step 'info') or downloads (step 'download', default) of the media answer `status`. */
  failMediaDownloads(input: FailMediaRequest): void;
  /** The next `count` webhooks are each posted twice. */
  duplicateWebhooks(input: DuplicateRequest): void;
  /** The next `count` webhooks (all, without count) wait `ms` before they are posted. */
  delayWebhooks(input: DelayRequest): void;
  /** Disarms every webhook and media fault, and posts held (delayed) webhooks now. */
  clearFaults(): void;
  /** Moves the simulator's clock forward; answers the new time (ms). */
  advanceClock(ms: number): number;
  /** Every POST /messages send the simulator accepted, in order (also those never answered, see failNextSends). */
  sends(): RecordedSend[];
  /** Every POST /messages request (sends and mark-reads) with its outcome: Graph calls, counted. */
  attempts(): RecordedAttempt[];
  /** Every mark-read the simulator accepted. */
  reads(): RecordedRead[];
  /** Every file uploaded through POST /{version}/{phone-number-id}/media. */
  uploads(): RecordedUpload[];
  /**
   * Calls `listener` after each accepted send has been answered (or, for a send that is never
   * answered, once accepted); returns the unsubscribe function.
   */
  onSend(listener: (send: RecordedSend) => void): () => void;
  /** The account's templates as GET /{version}/{waba-id}/message_templates lists them. */
  templates(): MetaTemplate[];
  /** Adds a template (silently: Meta's status webhook comes with setTemplateStatus). */
  addTemplate(input: AddTemplateRequest): MetaTemplate;
  /** Changes a template's status and posts the matching message_template_status_update webhook. */
  setTemplateStatus(input: TemplateStatusRequest): Promise<{ template: MetaTemplate; status: number }>;
  /**
   * The next `count` (default 1) Graph sends, or those to `to` only, fail as told: a WhatsApp error
   * ({code, httpStatus?, title?, details?}), a 5xx ({httpStatus}), an error with HTTP 200
   * ({errorWith200, code}), no answer ({hang}: accepted by Meta unless `accepted: false`) or a reset
   * connection ({refuse}). Only requests that pass the checks meet a fault; an unscoped refusal
   * comes before the request is even read.
   */
  failNextSends(input: FailSendsRequest): void;
  /** The same for POST /{phone-number-id}/media uploads. */
  failNextUploads(input: FailUploadsRequest): void;
  /** Meta's pair rate limit: with `enabled`, a second send to a customer within `windowMs` (6 s) answers 131056. */
  pairRateLimit(input: PairRateLimitRequest): void;
  /** Armed Graph faults and the pair rate limit. */
  graphFaults(): { sends: ArmedFault[]; uploads: ArmedFault[]; pairRateLimit: PairRateLimitState };
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
  seed: z.number().int().default(20_261_121),
  templates: z.array(addTemplateInputSchema).optional(),
});

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** `{ raw: '...' }` and nothing else: text to post as it is. */
function rawBody(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const keys = Object.keys(body);
  const raw = (body as { raw?: unknown }).raw;
  return keys.length === 1 && typeof raw === 'string' ? raw : null;
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
  const clock = new OffsetClock(options.clock ?? systemClock);
  const logger = options.logger ?? pino({ level: 'silent' });
  const random = seededRandom(settings.seed);
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
  const requests = new RequestLog();
  const uploads = new UploadLog();
  const templates = new TemplateStore();
  for (const template of settings.templates ?? SEED_TEMPLATES) addTemplate(template);
  const windows = new CustomerWindows();
  const sendFaults = new ArmedFaults();
  const uploadFaults = new ArmedFaults();
  const pairLimit = new PairRateLimit();
  const faults = new WebhookFaults();
  const media = new MediaHost(clock);
  const poster = new WebhookPoster(settings.appSecret, settings.webhookUrl ?? null, faults);
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
    extra: { error?: StatusError; pricing?: PricingRequest } = {},
  ) {
    const send = log.find(wamid);
    if (send === undefined)
      throw new CodedError('SIM_UNKNOWN_WAMID', `No accepted send has the id '${wamid}'.`);
    // Marked before posting so an automatic chain running meanwhile does not post it twice.
    log.markPosted(wamid, status);
    const pricing = extra.pricing ?? log.pricingOf(wamid);
    const envelope = statusWebhook({
      ...businessNumber(send.phoneNumberId),
      wamid,
      recipientId: send.to.replace(/\D/g, ''),
      status,
      timestamp: clock.now(),
      bizOpaqueCallbackData: send.bizOpaqueCallbackData,
      ...(extra.error === undefined ? {} : { error: completeError(extra.error) }),
      ...(pricing === undefined ? {} : { pricing: pmpPricing(pricing) }),
    });
    return poster.post(envelope);
  }

  function completeError(error: StatusError): { code: number; title: string; details: string } {
    const known = whatsAppErrorInfo(error.code);
    const title = error.title ?? known.title;
    // A custom title without details repeats the title, as Meta does for errors it has no details for.
    const details = error.details ?? (error.title === undefined ? known.details : title);
    return { code: error.code, title, details };
  }

  const autoStatuses = new AutoStatuses({
    post: (wamid, status) => postStatus(wamid, status),
    hasPosted: (wamid, status) => log.hasPosted(wamid, status),
    delayMs: () => config.statusDelayMs,
    order: (): StatusOrder => config.statusOrder,
    random,
    onError: (error, wamid, status) =>
      logger.warn({ err: error, wamid, status }, 'automatic status webhook failed'),
  });

  function configure(patch: Partial<SimulatorConfig>): void {
    config = { ...config, ...configPatchSchema.parse(patch) };
  }

  async function sendInbound(input: SendInboundInput): Promise<{ wamid: string; status: number }> {
    const request = inboundInputSchema.parse(input);
    const number = businessNumber(request.phoneNumberId ?? defaultNumberId);
    const { wamid, envelope } = buildInbound(request, number, media, clock.now());
    // The customer wrote: Meta opens the service window whatever the relay answers.
    if (request.from !== '') {
      windows.recordInbound(number.phoneNumberId, request.from, request.timestamp ?? clock.now());
    }
    const { status } = await poster.post(envelope);
    return { wamid, status };
  }

  async function sendInboundText(input: {
    from: string;
    name?: string;
    text: string;
    phoneNumberId?: string;
    timestamp?: number;
  }): Promise<{ wamid: string; status: number }> {
    const { text, ...rest } = inboundTextInputSchema.parse(input);
    return sendInbound({ ...rest, message: textMessage(text) });
  }

  async function sendStatus(input: {
    wamid: string;
    status: StatusName;
    error?: StatusError;
    pricing?: PricingRequest;
  }): Promise<{ status: number }> {
    const { wamid, status: name, ...extra } = statusInputSchema.parse(input);
    const { status } = await postStatus(wamid, name, extra);
    return { status };
  }

  function sendWebhook(body: unknown, options: { signature?: SignatureMode } = {}): Promise<WebhookAnswer> {
    const signature = options.signature ?? 'valid';
    const raw = rawBody(body);
    return raw === null ? poster.post(body, signature) : poster.postRaw(Buffer.from(raw, 'utf8'), signature);
  }

  function addMedia(input: { bytes: Buffer; mimeType: string; filename?: string }): string {
    return media.add(addMediaInputSchema.parse(input));
  }

  function failMediaDownloads(input: FailMediaRequest): void {
    media.failNext(failMediaInputSchema.parse(input));
  }

  function duplicateWebhooks(input: DuplicateRequest): void {
    const { count, concurrent } = duplicateInputSchema.parse(input);
    faults.duplicate(count, concurrent);
  }

  function delayWebhooks(input: DelayRequest): void {
    const { ms, count } = delayInputSchema.parse(input);
    faults.delay(ms, count);
  }

  function clearFaults(): void {
    faults.clear();
    media.clearFaults();
    sendFaults.clear();
    uploadFaults.clear();
    pairLimit.configure({ enabled: false, windowMs: PAIR_WINDOW_MS });
    poster.releaseHeld();
  }

  function failNextSends(input: FailSendsRequest): void {
    const { count, to, error } = failSendsInputSchema.parse(input);
    sendFaults.arm(faultOutcome(error), count, to ?? null);
  }

  function failNextUploads(input: FailUploadsRequest): void {
    const { count, error } = failUploadsInputSchema.parse(input);
    const outcome = faultOutcome(error);
    // A failed upload stores nothing: no id was ever answered, so nothing can reference it.
    uploadFaults.arm('accepted' in outcome ? { ...outcome, accepted: false } : outcome, count);
  }

  function pairRateLimit(input: PairRateLimitRequest): void {
    pairLimit.configure(pairRateLimitInputSchema.parse(input));
  }

  function graphFaults(): { sends: ArmedFault[]; uploads: ArmedFault[]; pairRateLimit: PairRateLimitState } {
    return { sends: sendFaults.state(), uploads: uploadFaults.state(), pairRateLimit: pairLimit.state() };
  }

  function addTemplate(input: AddTemplateRequest): MetaTemplate {
    const { rejectedReason, ...template } = addTemplateInputSchema.parse(input);
    return toMetaTemplate(templates.add({ ...template, rejectedReason: rejectedReason ?? null }));
  }

  async function setTemplateStatus(
    input: TemplateStatusRequest,
  ): Promise<{ template: MetaTemplate; status: number }> {
    const { name, language, status, reason } = templateStatusInputSchema.parse(input);
    const template = templates.setStatus(name, language, status, reason ?? null);
    const answer = await poster.post(
      templateStatusUpdateWebhook({
        wabaId: settings.wabaId,
        at: clock.now(),
        templateId: Number(template.id),
        name,
        language,
        event: status,
        reason: reason ?? 'NONE',
        category: template.category,
      }),
    );
    return { template: toMetaTemplate(template), status: answer.status };
  }

  function advanceClock(ms: number): number {
    clock.advance(clockInputSchema.parse({ advanceMs: ms }).advanceMs);
    return clock.now();
  }

  // Known once the server listens; `paging.next` links point at it.
  let url = '';
  const graph = createGraphHandler({
    accessToken: settings.accessToken,
    graphVersion: settings.graphVersion,
    wabaId: settings.wabaId,
    isPhoneNumber: (id) => numbers.has(id),
    media,
    now: () => clock.now(),
    templates,
    uploads,
    faults: sendFaults,
    uploadFaults,
    pairRateLimit: pairLimit,
    requests,
    baseUrl: () => url,
    templatePageSize: () => config.templatePageSize,
    async acceptSend(accepted) {
      const send: RecordedSend = {
        wamid: newWamid(accepted.to),
        phoneNumberId: accepted.phoneNumberId,
        to: accepted.to,
        type: accepted.type,
        text: accepted.text,
        bizOpaqueCallbackData: accepted.bizOpaqueCallbackData,
        body: accepted.body,
        at: clock.now(),
      };
      const windowOpen = windows.isOpen(send.phoneNumberId, send.to, send.at);
      log.record(send, pricingOf(accepted.templateCategory, windowOpen));
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
  const download = createMediaDownloadHandler({ accessToken: settings.accessToken, media });
  // What both the in-process API and the loopback control endpoints offer.
  const operations = {
    configure,
    sendInbound,
    sendInboundText,
    sendStatus,
    sendWebhook,
    addMedia,
    failMediaDownloads,
    duplicateWebhooks,
    delayWebhooks,
    clearFaults,
    advanceClock,
    sends: () => log.all(),
    attempts: () => requests.attempts(),
    reads: () => requests.reads(),
    uploads: () => uploads.all(),
    templates: () => templates.all().map(toMetaTemplate),
    addTemplate,
    setTemplateStatus,
    failNextSends,
    failNextUploads,
    pairRateLimit,
    graphFaults,
  };
  const control = createControlHandler({
    ...operations,
    faults: () => faults.state(),
    now: () => clock.now(),
    config: () => ({ ...config }),
  });

  const server = createServer((req, res) => {
    const requestUrl = new URL(req.url ?? '/', 'http://simulator');
    const path = requestUrl.pathname;
    const handled = path.startsWith('/_sim/')
      ? control(req, res, path)
      : path === MEDIA_DOWNLOAD_PATH
        ? download(req, res, requestUrl)
        : graph(req, res, requestUrl);
    handled.catch((error: unknown) => {
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
  url = `http://${urlHost(settings.host)}:${port}`;
  media.setBaseUrl(url);

  return {
    url,
    graphVersion: settings.graphVersion,
    clock,
    setWebhookUrl: (webhookUrl) => poster.setUrl(webhookUrl),
    ...operations,
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
