// Meta's pair rate limit (one message per 6 s to the same customer), the 24-hour customer-service
// window learned from inbound messages, and per-message pricing of sends.
import { describe, expect, it } from 'vitest';
import { CustomerWindows, SERVICE_WINDOW_MS } from '../../../src/simulator/sends/customer-windows.ts';
import { PAIR_WINDOW_MS, PairRateLimit } from '../../../src/simulator/sends/pair-rate-limit.ts';
import { pricingOf } from '../../../src/simulator/sends/pricing.ts';

const NUMBER = '106540352242922';
const CUSTOMER = '5215512345678';

describe('PairRateLimit', () => {
  it('is off by default, and once on refuses a send to the same pair within the window only', () => {
    const limit = new PairRateLimit();
    limit.recordSend(NUMBER, CUSTOMER, 1_000);
    expect(limit.exceeded(NUMBER, CUSTOMER, 1_001)).toBe(false);
    limit.configure({ enabled: true, windowMs: PAIR_WINDOW_MS });
    expect(limit.exceeded(NUMBER, `+${CUSTOMER}`, 1_000 + PAIR_WINDOW_MS - 1)).toBe(true);
    expect(limit.exceeded(NUMBER, CUSTOMER, 1_000 + PAIR_WINDOW_MS)).toBe(false);
    expect(limit.exceeded('other-number', CUSTOMER, 1_001)).toBe(false);
    expect(limit.exceeded(NUMBER, '5215587654321', 1_001)).toBe(false);
    limit.configure({ enabled: true, windowMs: 100 });
    expect(limit.exceeded(NUMBER, CUSTOMER, 1_100)).toBe(false);
    expect(limit.state()).toEqual({ enabled: true, windowMs: 100 });
  });
});

describe('CustomerWindows', () => {
  it('is open for 24 h after the latest inbound message of that customer to that number', () => {
    const windows = new CustomerWindows();
    expect(windows.isOpen(NUMBER, CUSTOMER, 0)).toBe(false);
    windows.recordInbound(NUMBER, CUSTOMER, 10_000);
    windows.recordInbound(NUMBER, CUSTOMER, 5_000); // an older message arriving late moves nothing
    expect(windows.isOpen(NUMBER, `+${CUSTOMER}`, 10_000 + SERVICE_WINDOW_MS - 1)).toBe(true);
    expect(windows.isOpen(NUMBER, CUSTOMER, 10_000 + SERVICE_WINDOW_MS)).toBe(false);
    expect(windows.isOpen('other-number', CUSTOMER, 10_001)).toBe(false);
  });
});

describe('pricingOf', () => {
  it('charges templates by category, frees utility inside the window and every free-form reply', () => {
    expect(pricingOf(null, true)).toEqual({ category: 'service', type: 'free_customer_service' });
    expect(pricingOf('UTILITY', true)).toEqual({ category: 'utility', type: 'free_customer_service' });
    expect(pricingOf('UTILITY', false)).toEqual({ category: 'utility', type: 'regular' });
    expect(pricingOf('MARKETING', true)).toEqual({ category: 'marketing', type: 'regular' });
    expect(pricingOf('AUTHENTICATION', true)).toEqual({ category: 'authentication', type: 'regular' });
  });
});
