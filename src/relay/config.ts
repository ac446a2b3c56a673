// The relay's configuration: an optional JSON file, then `VENTANA_*` environment variables (env wins),
// validated by one zod schema. Every problem is listed at once, so a bad deployment is fixed in one go.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { CodedError } from '../shared/result.ts';

export const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']);

const requiredText = z.string().min(1, 'must not be empty');

/** Meta's default throughput of a business number (cloud-api.md §5.4). */
export const DEFAULT_NUMBER_MESSAGES_PER_SECOND = 80;

export const relayConfigSchema = z.strictObject({
  host: requiredText.default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  dbPath: requiredText.default('ventana-relay.db'),
  mediaDir: requiredText.default('ventana-media'),
  appSecret: requiredText,
  verifyToken: requiredText,
  accessToken: requiredText,
  graphBaseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('https://graph.facebook.com'),
  graphVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v23.0')
    .default('v23.0'),
  wabaId: requiredText,
  maxWebhookBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  graphTimeoutMs: z.number().int().positive().default(15_000),
  numberMessagesPerSecond: z.number().int().positive().default(DEFAULT_NUMBER_MESSAGES_PER_SECOND),
  eventHorizonDays: z.number().int().positive().default(30),
  controlEnabled: z.boolean().default(false),
  logLevel: logLevelSchema.default('info'),
});

export interface RelayConfig {
  host: string;
  port: number;
  dbPath: string;
  /** Folder where downloaded inbound media is kept. */
  mediaDir: string;
  appSecret: string;
  verifyToken: string;
  accessToken: string;
  graphBaseUrl: string;
  graphVersion: string;
  wabaId: string;
  maxWebhookBytes: number;
  graphTimeoutMs: number;
  /**
   * Sends per second per business number (a token bucket, bursts up to one second's worth). Meta's
   * default is 80; upgraded numbers take up to 1,000, coexistence numbers 20. Absent: 80.
   */
  numberMessagesPerSecond?: number;
  /** Events older than this are pruned from the log; a console whose cursor is older rebuilds from a snapshot. */
  eventHorizonDays: number;
  /** Demo and test mode only: loopback-only control endpoints (moving the relay's clock). Never in production. */
  controlEnabled: boolean;
  logLevel: z.infer<typeof logLevelSchema>;
}

type ConfigKey = keyof RelayConfig;

// Keeps the schema and the interface other programs code against in step.
const _schemaMatchesInterface: z.infer<typeof relayConfigSchema> extends RelayConfig ? true : never = true;

const INTEGER_KEYS: ReadonlySet<ConfigKey> = new Set([
  'port',
  'maxWebhookBytes',
  'graphTimeoutMs',
  'numberMessagesPerSecond',
  'eventHorizonDays',
]);
const BOOLEAN_KEYS: ReadonlySet<ConfigKey> = new Set(['controlEnabled']);
const PATH_KEYS = ['dbPath', 'mediaDir'] as const;

/** `graphBaseUrl` -> `VENTANA_GRAPH_BASE_URL`. */
export function envVarFor(key: ConfigKey): string {
  return `VENTANA_${key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}

const configKeys = Object.keys(relayConfigSchema.shape) as ConfigKey[];

function readConfigFile(file: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(`config file ${file}: cannot be read (${code ?? String(error)})`);
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    problems.push(`config file ${file}: not valid JSON (${(error as Error).message})`);
    return {};
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    problems.push(`config file ${file}: must hold a JSON object`);
    return {};
  }
  const values = { ...(json as Record<string, unknown>) };
  // A relative path in a file is relative to that file, not to wherever the relay was started.
  for (const key of PATH_KEYS) {
    const value = values[key];
    if (typeof value === 'string' && value !== '') values[key] = resolve(dirname(file), value);
  }
  return values;
}

function readEnv(
  env: Record<string, string | undefined>,
  problems: string[],
): Partial<Record<ConfigKey, unknown>> {
  const values: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of configKeys) {
    const raw = env[envVarFor(key)];
    if (raw === undefined || raw === '') continue;
    const text = raw.trim();
    if (BOOLEAN_KEYS.has(key)) {
      if (text === 'true' || text === 'false') values[key] = text === 'true';
      else problems.push(`${key}: ${envVarFor(key)}="${raw}" must be true or false`);
    } else if (!INTEGER_KEYS.has(key)) values[key] = raw;
    else if (/^\d+$/.test(text)) values[key] = Number(text);
    else problems.push(`${key}: ${envVarFor(key)}="${raw}" is not a whole number`);
  }
  return values;
}

/**
 * Loads the relay's configuration from `file` (JSON, optional) and `env` (VENTANA_*, wins over the
 * file). Throws CodedError('INVALID_CONFIG') listing every problem.
 */
export function loadRelayConfig(input: {
  file?: string;
  env: Record<string, string | undefined>;
}): RelayConfig {
  const problems: string[] = [];
  const fromFile = input.file === undefined ? {} : readConfigFile(input.file, problems);
  const fromEnv = readEnv(input.env, problems);
  const merged: Record<string, unknown> = { ...fromFile, ...fromEnv };
  const parsed = relayConfigSchema.safeParse(merged);
  if (!parsed.success)
    problems.push(...parsed.error.issues.map((issue) => describeIssue(issue, merged, fromEnv)));
  if (!parsed.success || problems.length > 0) {
    throw new CodedError(
      'INVALID_CONFIG',
      `Invalid relay configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return parsed.data;
}

/** One line per problem, naming the setting and where its value came from. */
function describeIssue(
  issue: z.core.$ZodIssue,
  merged: Record<string, unknown>,
  fromEnv: Partial<Record<ConfigKey, unknown>>,
): string {
  if (issue.code === 'unrecognized_keys')
    return `config file: unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  const key = issue.path[0];
  if (typeof key !== 'string' || !configKeys.includes(key as ConfigKey))
    return `${issue.path.join('.') || 'config'}: ${issue.message}`;
  const configKey = key as ConfigKey;
  if (merged[configKey] === undefined) {
    return `${configKey}: required; set "${configKey}" in the config file or ${envVarFor(configKey)}`;
  }
  const source = configKey in fromEnv ? envVarFor(configKey) : `"${configKey}" in the config file`;
  return `${configKey}: ${issue.message} (from ${source})`;
}
