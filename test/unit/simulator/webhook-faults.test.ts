import { describe, expect, it } from 'vitest';
import { WebhookFaults } from '../../../src/simulator/webhook-faults.ts';

describe('WebhookFaults', () => {
  it('posts nothing twice and holds nothing back until a fault is armed', () => {
    const faults = new WebhookFaults();
    expect(faults.next()).toEqual({ delayMs: 0, duplicate: 'none' });
    expect(faults.state()).toEqual({ duplicate: null, delay: null });
  });

  it('duplicates exactly the next `count` webhooks, then none', () => {
    const faults = new WebhookFaults();
    faults.duplicate(2, false);
    expect([faults.next(), faults.next(), faults.next()].map((plan) => plan.duplicate)).toEqual([
      'sequential',
      'sequential',
      'none',
    ]);
    faults.duplicate(1, true);
    expect(faults.state().duplicate).toEqual({ remaining: 1, concurrent: true });
    expect(faults.next().duplicate).toBe('concurrent');
    expect(faults.state().duplicate).toBeNull();
  });

  it('delays the next `count` webhooks, or every one until cleared when no count is given', () => {
    const faults = new WebhookFaults();
    faults.delay(300, 1);
    expect([faults.next().delayMs, faults.next().delayMs]).toEqual([300, 0]);
    faults.delay(50);
    expect([faults.next().delayMs, faults.next().delayMs, faults.next().delayMs]).toEqual([50, 50, 50]);
    expect(faults.state().delay).toEqual({ ms: 50, remaining: null });
    faults.clear();
    expect(faults.next()).toEqual({ delayMs: 0, duplicate: 'none' });
  });

  it('a delay of 0 ms disarms the delay', () => {
    const faults = new WebhookFaults();
    faults.delay(100);
    faults.delay(0);
    expect(faults.state().delay).toBeNull();
  });
});
