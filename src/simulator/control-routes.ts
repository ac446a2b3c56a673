// /_sim/*: the simulator's own controls over HTTP, for tests and demos in another process.
// Loopback callers only: they make the "customer" write and decide delivery outcomes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { CodedError } from '../shared/result.ts';
import { configPatchSchema } from './config.ts';
import type { ConfigPatch, SimulatorConfig } from './config.ts';
import { isLoopback, parseJson, readBody, sendJson } from './http.ts';
import { inboundTextInputSchema, statusInputSchema } from './inputs.ts';
import type { InboundTextRequest, StatusRequest } from './inputs.ts';
import type { RecordedSend } from './send-log.ts';

export interface ControlTarget {
  sendInboundText(input: InboundTextRequest): Promise<{ wamid: string; status: number }>;
  sendStatus(input: StatusRequest): Promise<{ status: number }>;
  sends(): RecordedSend[];
  configure(patch: ConfigPatch): void;
  config(): SimulatorConfig;
}

const STATUS_BY_CODE: Record<string, number> = {
  SIM_INVALID_JSON: 400,
  SIM_INVALID_BODY: 400,
  SIM_BODY_TOO_LARGE: 413,
  SIM_UNKNOWN_WAMID: 404,
  SIM_UNKNOWN_PHONE_NUMBER: 404,
  SIM_NO_WEBHOOK_URL: 409,
  SIM_WEBHOOK_UNREACHABLE: 502,
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

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  return parseJson(await readBody(req));
}

export function createControlHandler(
  target: ControlTarget,
): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> {
  const routes: Record<string, (req: IncomingMessage) => Promise<unknown>> = {
    // The same schemas as the in-process API: same rules, same messages.
    'POST /_sim/inbound': async (req) =>
      target.sendInboundText(inboundTextInputSchema.parse(await jsonBody(req))),
    'POST /_sim/status': async (req) => target.sendStatus(statusInputSchema.parse(await jsonBody(req))),
    'GET /_sim/sends': () => Promise.resolve({ sends: target.sends() }),
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
          message: `No control endpoint ${req.method ?? 'GET'} ${path}; see src/simulator/index.ts.`,
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
