// The one table that decides what follows a Graph send: retried only where Meta did not take it.
import { describe, expect, it } from 'vitest';
import type { SendOutcome } from '../../../src/relay/graph/graph-client.ts';
import { decideAfterSend, type SendDecision } from '../../../src/relay/outbound/send-decision.ts';

const rejected = (code: number, httpStatus = 400): SendOutcome => ({
  kind: 'rejected',
  httpStatus,
  error: { code, title: `title ${code}`, message: `message ${code}`, details: `details ${code}` },
});
const failed = (code: number): SendDecision => ({
  kind: 'failed',
  error: { code, title: `title ${code}`, message: `message ${code}`, details: `details ${code}` },
});

const cases: [string, SendOutcome, SendDecision][] = [
  ['accepted', { kind: 'accepted', waMessageId: 'wamid.1' }, { kind: 'accepted', waMessageId: 'wamid.1' }],
  [
    'connection refused before sending',
    { kind: 'not_sent', reason: 'connection failed (ECONNREFUSED)' },
    { kind: 'retry', scope: 'request', reason: 'connection failed (ECONNREFUSED)' },
  ],
  ['timeout', { kind: 'unknown', reason: 'timed out' }, { kind: 'unknown', reason: 'timed out' }],
  [
    '5xx',
    { kind: 'unknown', reason: 'Graph answered HTTP 503' },
    { kind: 'unknown', reason: 'Graph answered HTTP 503' },
  ],
  [
    '130429 throughput',
    rejected(130429, 429),
    { kind: 'retry', scope: 'number', reason: '130429 title 130429' },
  ],
  [
    '131056 pair rate limit',
    rejected(131056),
    { kind: 'retry', scope: 'recipient', reason: '131056 title 131056' },
  ],
  ['4 app call-rate limit', rejected(4), { kind: 'retry', scope: 'number', reason: '4 title 4' }],
  [
    '80007 account call-rate limit',
    rejected(80007),
    { kind: 'retry', scope: 'number', reason: '80007 title 80007' },
  ],
  ['an unnamed HTTP 429', rejected(0, 429), { kind: 'retry', scope: 'number', reason: '0 title 0' }],
  ['131047 re-engagement', rejected(131047), failed(131047)],
  ['131026 undeliverable', rejected(131026), failed(131026)],
  ['132000 template parameters', rejected(132000), failed(132000)],
  ['132015 template paused', rejected(132015), failed(132015)],
  ['190 token expired (HTTP 401)', rejected(190, 401), failed(190)],
  ['190 in an HTTP 200 body', rejected(190, 200), failed(190)],
  ['100 invalid parameter', rejected(100), failed(100)],
  ['131000 something went wrong (4xx)', rejected(131000), failed(131000)],
];

describe('decideAfterSend', () => {
  it.each(cases)('%s', (_name, outcome, decision) => {
    expect(decideAfterSend(outcome)).toEqual(decision);
  });
});
