// The settings an IT department may set or lock for every console on a machine, with the value each
// must have and the safe default used when nobody (or only an invalid policy) sets it.
import { z } from 'zod';

export const POLICY_KEYS = ['relayUrl', 'retentionDays', 'updateChannel'] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

export const policyValueSchemas = {
  relayUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  retentionDays: z
    .number({ error: 'must be a whole number of days' })
    .int({ error: 'must be a whole number of days' })
    .min(1, { error: 'must be at least 1 day' })
    .max(3650, { error: 'must be at most 3650 days (10 years)' }),
  updateChannel: z.enum(['stable', 'beta'], { error: 'must be "stable" or "beta"' }),
} satisfies Record<PolicyKey, z.ZodType>;

export type PolicyValues = {
  /** null: no relay chosen yet, the agent types one at sign-in. */
  relayUrl: string | null;
  retentionDays: number;
  updateChannel: z.infer<typeof policyValueSchemas.updateChannel>;
};

export type UserSettings = Partial<{ [K in PolicyKey]: Exclude<PolicyValues[K], null> }>;

export const DEFAULT_POLICY_VALUES: Readonly<PolicyValues> = Object.freeze({
  relayUrl: null,
  retentionDays: 90,
  updateChannel: 'stable',
});

export function isPolicyKey(name: string): name is PolicyKey {
  return (POLICY_KEYS as readonly string[]).includes(name);
}

/** The first problem zod found, phrased for a message that already names the source and key. */
export function describeInvalid(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'is invalid';
}
