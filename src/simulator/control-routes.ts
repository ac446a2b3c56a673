// /_sim/*: the simulator's own controls over HTTP, for tests and demos in another process.
// Loopback callers only: they make the "customer" write, decide delivery outcomes, manage
// templates, arm webhook and Graph faults, read what was sent and uploaded, and move the clock.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { CodedError } from '../shared/result.ts';
import { configPatchSchema } from './config.ts';
import type { ConfigPatch, SimulatorConfig } from './config.ts';
import { isLoopback, MAX_BODY_BYTES, parseJson, readBody, sendJson } from './http.ts';
import {
  addMediaHttpInputSchema,
  addTemplateInputSchema,
  clockInputSchema,
  delayInputSchema,
  duplicateInputSchema,
  failMediaInputSchema,
  failSendsInputSchema,
  failUploadsInputSchema,
  inboundInputSchema,
  inboundTextInputSchema,
  MAX_MEDIA_BYTES,
  pairRateLimitInputSchema,
  statusInputSchema,
  templateStatusInputSchema,
  webhookInputSchema,
} from './inputs.ts';
import type {
  AddTemplateRequest,
  FailSendsRequest,
  FailUploadsRequest,
  InboundRequest,
  InboundTextRequest,
  PairRateLimitRequest,
  StatusRequest,
  TemplateStatusRequest,
} from './inputs.ts';
import type { RecordedSend } from './send-log.ts';
import type { PairRateLimitState } from './sends/pair-rate-limit.ts';
import type { RecordedAttempt, RecordedRead } from './sends/request-log.ts';
import type { ArmedFault } from './sends/send-faults.ts';
import type { MetaTemplate } from './templates/template-store.ts';
import type { RecordedUpload } from './uploads/upload-log.ts';
import type { WebhookFaultState } from './webhook-faults.ts';
import type { SignatureMode, WebhookAnswer } from './webhooks.ts';

export interface ControlTarget {
  sendInboundText(input: InboundTextRequest): Promise<{ wamid: string; status: number }>;
  sendInbound(input: InboundRequest): Promise<{ wamid: string; status: number }>;
  sendStatus(input: StatusRequest): Promise<{ status: number }>;
  sendWebhook(body: unknown, options: { signature: SignatureMode }): Promise<WebhookAnswer>;
  addMedia(input: { bytes: Buffer; mimeType: string; filename?: string }): string;
  failMediaDownloads(input: z.infer<typeof failMediaInputSchema>): void;
  duplicateWebhooks(input: z.infer<typeof duplicateInputSchema>): void;
  delayWebhooks(input: z.infer<typeof delayInputSchema>): void;
  faults(): WebhookFaultState;
  clearFaults(): void;
  advanceClock(ms: number): number;
  now(): number;
  sends(): RecordedSend[];
  attempts(): RecordedAttempt[];
  reads(): RecordedRead[];
  uploads(): RecordedUpload[];
  templates(): MetaTemplate[];
  addTemplate(input: AddTemplateRequest): MetaTemplate;
  setTemplateStatus(input: TemplateStatusRequest): Promise<{ template: MetaTemplate; status: number }>;
  failNextSends(input: FailSendsRequest): void;
  failNextUploads(input: FailUploadsRequest): void;
  pairRateLimit(input: PairRateLimitRequest): void;
  graphFaults(): { sends: ArmedFault[]; uploads: ArmedFault[]; pairRateLimit: PairRateLimitState };
  configure(patch: ConfigPatch): void;
  config(): SimulatorConfig;
}

const STATUS_BY_CODE: Record<string, number> = {
  SIM_INVALID_JSON: 400,
  SIM_INVALID_BODY: 400,
  SIM_BODY_TOO_LARGE: 413,
  SIM_UNKNOWN_WAMID: 404,
  SIM_UNKNOWN_PHONE_NUMBER: 404,
  SIM_UNKNOWN_MEDIA: 404,
  SIM_UNKNOWN_TEMPLATE: 404,
  SIM_TEMPLATE_EXISTS: 409,
  SIM_NO_WEBHOOK_URL: 409,
  SIM_WEBHOOK_UNREACHABLE: 502,
  SIM_CLOSED: 503,
};

function answerError(res: ServerResponse, error: unknown): Promise<void> {
  if (error instanceof z.ZodError) {
    return sendJson(res, 400, { error: { code: 'SIM_INVALID_BODY', message: z.prettifyError(error) } });
  }
  if (error instanceof CodedError) {
    return sendJson(res, STATUS_BY_CODE[error.code] ?? 500, {
      error: { code: error.code, message: error.message },
    });
  }
  return sendJson(res, 500, {
    error: { code: 'SIM_INTERNAL', message: error instanceof Error ? error.message : String(error) },
  });
}

async function jsonBody(req: IncomingMessage, limitBytes: number = MAX_BODY_BYTES): Promise<unknown> {
  return parseJson(await readBody(req, limitBytes));
}

const hasMessage = z.looseObject({ message: z.unknown() });
// base64 is 4/3 of the bytes, plus the JSON around it.
const MEDIA_BODY_LIMIT = Math.ceil((MAX_MEDIA_BYTES * 4) / 3) + 64 * 1024;

export function createControlHandler(
  target: ControlTarget,
): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> {
  const routes: Record<string, (req: IncomingMessage) => Promise<unknown>> = {
    // The same schemas as the in-process API: same rules, same messages.
    'POST /_sim/inbound': async (req) => {
      const body = await jsonBody(req);
      // {message: {...}} is any message type; {text} is the short form for text.
      return hasMessage.safeParse(body).success
        ? target.sendInbound(inboundInputSchema.parse(body))
        : target.sendInboundText(inboundTextInputSchema.parse(body));
    },
    'POST /_sim/status': async (req) => target.sendStatus(statusInputSchema.parse(await jsonBody(req))),
    'POST /_sim/webhook': async (req) => {
      const input = webhookInputSchema.parse(await jsonBody(req));
      const body = input.raw === undefined ? input.envelope : { raw: input.raw };
      return target.sendWebhook(body, { signature: input.signature });
    },
    'POST /_sim/media': async (req) => {
      const input = addMediaHttpInputSchema.parse(await jsonBody(req, MEDIA_BODY_LIMIT));
      const { base64, ...rest } = input;
      return Promise.resolve({ id: target.addMedia({ ...rest, bytes: Buffer.from(base64, 'base64') }) });
    },
    'GET /_sim/faults': () => Promise.resolve({ faults: target.faults() }),
    'DELETE /_sim/faults': () => {
      target.clearFaults();
      return Promise.resolve({ faults: target.faults() });
    },
    'POST /_sim/faults/duplicate-webhooks': async (req) => {
      target.duplicateWebhooks(duplicateInputSchema.parse(await jsonBody(req)));
      return { faults: target.faults() };
    },
    'POST /_sim/faults/delay-webhooks': async (req) => {
      target.delayWebhooks(delayInputSchema.parse(await jsonBody(req)));
      return { faults: target.faults() };
    },
    'POST /_sim/faults/fail-media': async (req) => {
      target.failMediaDownloads(failMediaInputSchema.parse(await jsonBody(req)));
      return { ok: true };
    },
    'GET /_sim/clock': () => Promise.resolve({ now: target.now() }),
    'POST /_sim/clock': async (req) => ({
      now: target.advanceClock(clockInputSchema.parse(await jsonBody(req)).advanceMs),
    }),
    'GET /_sim/sends': () => Promise.resolve({ sends: target.sends() }),
    'GET /_sim/attempts': () => Promise.resolve({ attempts: target.attempts() }),
    'GET /_sim/reads': () => Promise.resolve({ reads: target.reads() }),
    'GET /_sim/uploads': () => Promise.resolve({ uploads: target.uploads() }),
    'GET /_sim/templates': () => Promise.resolve({ templates: target.templates() }),
    'POST /_sim/templates': async (req) => ({
      template: target.addTemplate(addTemplateInputSchema.parse(await jsonBody(req))),
    }),
    'POST /_sim/templates/status': async (req) =>
      target.setTemplateStatus(templateStatusInputSchema.parse(await jsonBody(req))),
    'GET /_sim/faults/graph': () => Promise.resolve(target.graphFaults()),
    'POST /_sim/faults/fail-sends': async (req) => {
      target.failNextSends(failSendsInputSchema.parse(await jsonBody(req)));
      return target.graphFaults();
    },
    'POST /_sim/faults/fail-uploads': async (req) => {
      target.failNextUploads(failUploadsInputSchema.parse(await jsonBody(req)));
      return target.graphFaults();
    },
    'POST /_sim/faults/pair-rate-limit': async (req) => {
      target.pairRateLimit(pairRateLimitInputSchema.parse(await jsonBody(req)));
      return target.graphFaults();
    },
    'PUT /_sim/config': async (req) => {
      target.configure(configPatchSchema.parse(await jsonBody(req)));
      return { config: target.config() };
    },
  };

  return async (req, res, path) => {
    if (!isLoopback(req.socket.remoteAddress)) {
      return sendJson(res, 403, {
        error: { code: 'SIM_NOT_LOOPBACK', message: 'The /_sim controls answer loopback callers only.' },
      });
    }
    const route = routes[`${req.method ?? 'GET'} ${path}`];
    if (route === undefined) {
      return sendJson(res, 404, {
        error: {
          code: 'SIM_NOT_FOUND',
          message: `No control endpoint ${req.method ?? 'GET'} ${path}; see src/simulator/control-routes.ts.`,
        },
      });
    }
    try {
      return await sendJson(res, 200, await route(req));
    } catch (error) {
      return answerError(res, error);
    }
  };
}
