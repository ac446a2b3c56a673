// Demo and test mode only (`controlEnabled`): moves the relay's clock forward, so a demo or a test can
// watch a 24-hour window close or the log horizon pass without waiting. Loopback callers only.
//   GET  /_control/clock                  -> {now, offsetMs}
//   POST /_control/clock {advanceMs}      -> {now, offsetMs}
// When the controls are off the path does not exist (404), as on any production relay.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { OffsetClock } from '../../shared/clock.ts';
import { readBoundedBody } from '../http/read-body.ts';
import { sendError, sendJson } from '../http/respond.ts';

export const CLOCK_CONTROL_PATH = '/_control/clock';

const MAX_CONTROL_BODY_BYTES = 4 * 1024;
const TEN_YEARS_MS = 10 * 365 * 24 * 60 * 60 * 1000;

const advanceSchema = z.strictObject({
  advanceMs: z
    .number({ error: 'advanceMs must be a number of milliseconds' })
    .int('advanceMs must be a whole number of milliseconds')
    .positive('the clock only moves forward: advanceMs must be > 0')
    .max(TEN_YEARS_MS, 'advanceMs must be at most ten years'),
});

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

const clockState = (clock: OffsetClock) => ({ now: clock.now(), offsetMs: clock.offsetMs });

/** Serves the clock control; `clock` is null when the controls are off. */
export async function handleClockControl(
  request: IncomingMessage,
  response: ServerResponse,
  clock: OffsetClock | null,
): Promise<void> {
  if (clock === null) return sendError(response, 404, 'NOT_FOUND', `Nothing at ${CLOCK_CONTROL_PATH}`);
  if (!isLoopbackAddress(request.socket.remoteAddress)) {
    return sendError(response, 403, 'LOOPBACK_ONLY', 'The relay controls answer loopback callers only.');
  }
  if (request.method === 'GET') return sendJson(response, 200, clockState(clock));
  if (request.method !== 'POST') {
    return sendError(response, 405, 'METHOD_NOT_ALLOWED', 'Use GET, POST', { allow: 'GET, POST' });
  }
  const read = await readBoundedBody(request, MAX_CONTROL_BODY_BYTES);
  if (!read.ok) {
    if (read.reason === 'aborted') return;
    return sendError(
      response,
      413,
      'BODY_TOO_LARGE',
      `Control bodies are at most ${MAX_CONTROL_BODY_BYTES} bytes`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(read.body.toString('utf8'));
  } catch {
    return sendError(response, 400, 'INVALID_BODY', 'The body must be JSON: {"advanceMs": <ms>}');
  }
  const parsed = advanceSchema.safeParse(json);
  if (!parsed.success) return sendError(response, 400, 'INVALID_BODY', z.prettifyError(parsed.error));
  clock.advance(parsed.data.advanceMs);
  return sendJson(response, 200, clockState(clock));
}
