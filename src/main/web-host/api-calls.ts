// POST /api/call/:method — the web transport of the ConsoleApi. The bearer token proves the caller
// is the page this host served; dispatch() validates the method and input and answers a Result.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConsoleApi } from '../../shared/console-api.ts';
import { CodedError } from '../../shared/result.ts';
import { dispatch } from '../api/dispatch.ts';
import { bearerToken, tokenMatches } from './access-token.ts';
import { readBody, sendError, sendJson } from './http-io.ts';

export const API_CALL_PREFIX = '/api/call/';

export async function handleApiCall(
  req: IncomingMessage,
  res: ServerResponse,
  context: { api: ConsoleApi; token: string; pathname: string },
): Promise<void> {
  if (!tokenMatches(context.token, bearerToken(req.headers.authorization))) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    sendError(res, 401, { code: 'UNAUTHORIZED', message: 'Missing or wrong access token' });
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendError(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'Console calls are POST requests' });
    return;
  }
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) {
    sendError(res, 415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the input as application/json' });
    return;
  }

  let method: string;
  try {
    method = decodeURIComponent(context.pathname.slice(API_CALL_PREFIX.length));
  } catch {
    sendError(res, 400, { code: 'BAD_REQUEST', message: 'The method name is not valid URL encoding' });
    return;
  }

  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof CodedError && error.code === 'PAYLOAD_TOO_LARGE') {
      sendError(res, 413, { code: error.code, message: error.message });
    } else {
      sendError(res, 400, { code: 'BAD_REQUEST', message: 'The request body could not be read' });
    }
    return;
  }

  let input: unknown;
  if (body.length > 0) {
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      sendError(res, 400, { code: 'BAD_JSON', message: 'The request body is not valid JSON' });
      return;
    }
  }

  sendJson(res, 200, await dispatch(context.api, method, input));
}
