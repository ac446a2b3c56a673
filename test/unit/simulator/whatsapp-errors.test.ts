// WhatsApp errors in Meta's Graph envelope (cloud-api.md §3.8), with the catalog's titles, details
// and HTTP statuses filling what a caller leaves out.
import { describe, expect, it } from 'vitest';
import { serverError, whatsAppError } from '../../../src/simulator/graph-errors.ts';
import { whatsAppErrorInfo } from '../../../src/simulator/whatsapp-errors.ts';

describe('whatsAppError', () => {
  it("writes Meta's envelope: (#code) title, OAuthException, error_data with messaging_product and details", () => {
    const { status, body } = whatsAppError({ code: 131047 });
    expect(status).toBe(400);
    expect(body).toEqual({
      error: {
        message: '(#131047) Re-engagement message',
        type: 'OAuthException',
        code: 131047,
        error_data: {
          messaging_product: 'whatsapp',
          details:
            'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        },
        fbtrace_id: expect.stringMatching(/^[\w-]{20,}$/) as unknown,
      },
    });
  });

  it('keeps what the caller says: title, details, HTTP status, subcode', () => {
    const { status, body } = whatsAppError({
      code: 131056,
      httpStatus: 429,
      title: 'Pair limit',
      details: 'Espera',
      subcode: 2494055,
    });
    expect(status).toBe(429);
    expect(body.error).toMatchObject({
      message: '(#131056) Pair limit',
      code: 131056,
      error_subcode: 2494055,
      error_data: { details: 'Espera' },
    });
  });

  it('answers 429 for throughput, 401 for tokens, and a token error without error_data', () => {
    expect(whatsAppError({ code: 130429 }).status).toBe(429);
    const token = whatsAppError({ code: 190 });
    expect(token.status).toBe(401);
    expect(token.body.error).toEqual({
      message: 'Invalid OAuth access token - Cannot parse access token',
      type: 'OAuthException',
      code: 190,
      fbtrace_id: expect.any(String) as unknown,
    });
    expect(
      whatsAppError({ code: 190, title: 'Error validating access token: Session has expired', subcode: 463 })
        .body.error,
    ).toMatchObject({
      message: 'Error validating access token: Session has expired',
      error_subcode: 463,
    });
    expect(whatsAppError({ code: 4 }).body.error).not.toHaveProperty('error_data');
  });

  it('gives unknown codes a generic title, and 5xx answers Graph code 2, transient', () => {
    expect(whatsAppErrorInfo(999_999)).toEqual({
      title: 'Something went wrong',
      details: 'Something went wrong',
      httpStatus: 400,
    });
    expect(serverError(503)).toMatchObject({ status: 503, body: { error: { code: 2, is_transient: true } } });
  });
});
