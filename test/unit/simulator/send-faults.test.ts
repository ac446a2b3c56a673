// Armed Graph faults: used in the order armed, `count` times each, scoped to a recipient or not;
// a refusal before the body is read only when nothing scoped could claim the request.
import { describe, expect, it } from 'vitest';
import { failSendsInputSchema } from '../../../src/simulator/inputs.ts';
import { ArmedFaults, faultOutcome } from '../../../src/simulator/sends/send-faults.ts';

const A = '5215512345678';
const B = '5215587654321';
const error = (code: number) => ({ kind: 'error' as const, error: { code } });

describe('faultOutcome', () => {
  it('turns each validated fault shape into its outcome, with Meta-accepted defaults for hangs only', () => {
    const outcome = (input: unknown) => faultOutcome(failSendsInputSchema.parse({ error: input }).error);
    expect(outcome({ code: 130429 })).toEqual({ kind: 'error', error: { code: 130429 } });
    expect(outcome({ code: 131056, httpStatus: 429, details: 'pair' })).toEqual({
      kind: 'error',
      error: { code: 131056, httpStatus: 429, details: 'pair' },
    });
    expect(outcome({ httpStatus: 500 })).toEqual({ kind: 'server-error', httpStatus: 500, accepted: false });
    expect(outcome({ httpStatus: 502, accepted: true })).toEqual({
      kind: 'server-error',
      httpStatus: 502,
      accepted: true,
    });
    expect(outcome({ hang: true })).toEqual({ kind: 'hang', accepted: true });
    expect(outcome({ hang: true, accepted: false })).toEqual({ kind: 'hang', accepted: false });
    expect(outcome({ refuse: true })).toEqual({ kind: 'refuse' });
    expect(outcome({ errorWith200: true, code: 190 })).toEqual({
      kind: 'error-with-200',
      error: { code: 190 },
    });
  });
});

describe('ArmedFaults', () => {
  it('uses faults in the order armed, each `count` times, and then none', () => {
    const faults = new ArmedFaults();
    faults.arm(error(130429), 2);
    faults.arm(error(131047), 1);
    expect([faults.take(A), faults.take(null), faults.take(B), faults.take(A)]).toEqual([
      error(130429),
      error(130429),
      error(131047),
      null,
    ]);
    expect(faults.state()).toEqual([]);
  });

  it('meets a scoped fault only for its recipient, whatever the spelling of the number', () => {
    const faults = new ArmedFaults();
    faults.arm(error(131026), 1, `+52 1 55 1234 5678`);
    expect(faults.take(B)).toBeNull();
    expect(faults.take(null)).toBeNull();
    expect(faults.state()).toEqual([{ outcome: error(131026), remaining: 1, to: A }]);
    expect(faults.take(A)).toEqual(error(131026));
  });

  it('refuses before the body only for an unscoped refusal at the head with nothing scoped armed', () => {
    const faults = new ArmedFaults();
    faults.arm(error(130429), 1);
    faults.arm({ kind: 'refuse' }, 1);
    expect(faults.takeRefusalBeforeBody()).toBe(false);
    expect(faults.take(A)).toEqual(error(130429));
    faults.arm({ kind: 'refuse' }, 1, B);
    expect(faults.takeRefusalBeforeBody()).toBe(false);
    expect(faults.take(A)).toEqual({ kind: 'refuse' });
    expect(faults.take(B)).toEqual({ kind: 'refuse' });
    faults.arm({ kind: 'refuse' }, 1);
    expect(faults.takeRefusalBeforeBody()).toBe(true);
    expect(faults.state()).toEqual([]);
  });

  it('clears everything', () => {
    const faults = new ArmedFaults();
    faults.arm({ kind: 'hang', accepted: true }, 5, A);
    faults.clear();
    expect(faults.take(A)).toBeNull();
  });
});
