// Meta's Graph error envelope: {error: {message, type, code, error_subcode?, error_data?, fbtrace_id}}.
// Messages follow the ones Meta really answers, so relays can be tested against realistic text.
import { randomBytes } from 'node:crypto';
import { isGraphLevelCode, whatsAppErrorInfo } from './whatsapp-errors.ts';

export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    is_transient?: boolean;
    fbtrace_id: string;
  };
}

export interface GraphErrorResponse {
  status: number;
  body: GraphErrorBody;
}

function graphError(status: number, error: Omit<GraphErrorBody['error'], 'fbtrace_id'>): GraphErrorResponse {
  return { status, body: { error: { ...error, fbtrace_id: randomBytes(17).toString('base64url') } } };
}

export function invalidAccessToken(): GraphErrorResponse {
  return graphError(401, {
    message: 'Invalid OAuth access token - Cannot parse access token',
    type: 'OAuthException',
    code: 190,
  });
}

export function unknownVersion(version: string, served: string): GraphErrorResponse {
  return graphError(400, {
    message: `(#100) Unknown Graph API version '${version}': this endpoint serves ${served}`,
    type: 'OAuthException',
    code: 100,
  });
}

/** Subcode 33: the object does not exist (or the token may not see it), or the edge is not supported. */
export function unsupportedRequest(method: string, objectId: string): GraphErrorResponse {
  return graphError(400, {
    message:
      `Unsupported ${method.toLowerCase()} request. Object with ID '${objectId}' does not exist, cannot be loaded due to ` +
      'missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api',
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  });
}

/** What a test (or a check) says about a WhatsApp error; the rest comes from Meta's catalog. */
export interface WhatsAppErrorRequest {
  code: number;
  title?: string;
  details?: string;
  httpStatus?: number;
  subcode?: number;
}

/**
 * A WhatsApp error as Meta answers a send: message "(#code) title", type OAuthException, and
 * error_data {messaging_product, details} (cloud-api.md §3.8). Token errors (190) look like Graph's own.
 */
export function whatsAppError(request: WhatsAppErrorRequest): GraphErrorResponse {
  const info = whatsAppErrorInfo(request.code);
  const status = request.httpStatus ?? info.httpStatus;
  const subcode = request.subcode === undefined ? {} : { error_subcode: request.subcode };
  if (request.code === 190) {
    const base = invalidAccessToken();
    const message = request.title ?? base.body.error.message;
    return { status, body: { error: { ...base.body.error, message, ...subcode } } };
  }
  const title = request.title ?? info.title;
  const details = request.details ?? (isGraphLevelCode(request.code) ? undefined : info.details);
  return graphError(status, {
    message: `(#${request.code}) ${title}`,
    type: 'OAuthException',
    code: request.code,
    ...subcode,
    ...(details === undefined ? {} : { error_data: { messaging_product: 'whatsapp' as const, details } }),
  });
}

/** A 5xx from Graph itself: nothing says whether the request was carried out. */
export function serverError(status: number): GraphErrorResponse {
  return graphError(status, {
    message: 'An unexpected error has occurred. Please retry your request later.',
    type: 'OAuthException',
    code: 2,
    is_transient: true,
  });
}

/** A required form field or body key is missing, worded as Graph words it. */
export function requiredParameter(name: string): GraphErrorResponse {
  return graphError(400, {
    message: `(#100) The parameter ${name} is required.`,
    type: 'OAuthException',
    code: 100,
  });
}

export function invalidParameter(details: string): GraphErrorResponse {
  return graphError(400, {
    message: `(#100) Invalid parameter: ${details}`,
    type: 'OAuthException',
    code: 100,
    error_data: { messaging_product: 'whatsapp', details },
  });
}

/**
 * A media lookup or download failing with `status`, on demand (failMediaDownloads) or for a bad
 * URL: the body a relay would see from Meta for that status.
 */
export function mediaFault(status: number, mediaId: string, message?: string): GraphErrorResponse {
  if (status === 401) return { ...invalidAccessToken(), status };
  if (message !== undefined) return graphError(status, { message, type: 'OAuthException', code: 100 });
  if (status === 400 || status === 404) return { ...unsupportedRequest('GET', mediaId), status };
  if (status === 429) {
    return graphError(status, {
      message: '(#4) Application request limit reached',
      type: 'OAuthException',
      code: 4,
      is_transient: true,
    });
  }
  return serverError(status);
}
