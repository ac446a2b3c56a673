// npm run simulator -- --port 8090 --webhook-url http://127.0.0.1:8080/webhook --app-secret S \
//   --access-token T --waba-id W --phone-number-id P [--demo-customers]
// Runs the Cloud API simulator as its own process; logs go to stderr, the URL to stdout.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { z } from 'zod';
import { statusOrderSchema } from './config.ts';
import { startDemoCustomers } from './demo-customers.ts';
import { startSimulator } from './index.ts';

const USAGE = `Usage: npm run simulator -- --webhook-url URL --app-secret SECRET --access-token TOKEN
                              --waba-id ID --phone-number-id ID [options]

Required:
  --webhook-url URL             the relay's webhook endpoint, e.g. http://127.0.0.1:8080/webhook
  --app-secret SECRET           signs webhooks (X-Hub-Signature-256); the relay's app secret
  --access-token TOKEN          the bearer token Graph calls must carry
  --waba-id ID                  the WhatsApp Business account id (entry.id of webhooks)
  --phone-number-id ID          a business phone number id; repeat for several numbers

Options:
  --display-phone-number NUM    display number of each --phone-number-id, in order (default 15550001234)
  --host HOST                   default 127.0.0.1
  --port PORT                   default 0 (any free port)
  --graph-version VERSION       default v23.0
  --status-delay-ms MS          gap between automatic sent/delivered/read statuses (default 800)
  --no-auto-statuses            post statuses only when told to (POST /_sim/status)
  --status-before-response      post the 'sent' status before answering each send
  --status-order ORDER          in-order (default), reversed (read first) or shuffled
  --demo-customers              scripted customers who write in and answer replies
  --demo-interval-ms MS         how often a demo customer writes on their own (default 25000)
  --help                        show this help`;

const DEFAULT_DISPLAY_NUMBER = '15550001234';

// A missing required flag says so, rather than zod's "expected string, received undefined".
const required = {
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : undefined),
};
const whole = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).int().min(min).max(max);

const flagsSchema = z.object({
  'webhook-url': z.url({
    protocol: /^https?$/,
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be an http(s) URL'),
  }),
  'app-secret': z.string(required).min(1),
  'access-token': z.string(required).min(1),
  'waba-id': z.string(required).min(1),
  'phone-number-id': z.array(z.string().min(1), required).min(1),
  'display-phone-number': z
    .array(z.string().regex(/^\d{6,15}$/, 'must be digits, e.g. 15550001234'))
    .default([]),
  host: z.string().min(1).default('127.0.0.1'),
  port: whole(0, 65_535).default(0),
  'graph-version': z
    .string()
    .regex(/^v\d+\.\d+$/, "must look like 'v23.0'")
    .default('v23.0'),
  'status-delay-ms': whole(0, 600_000).default(800),
  'auto-statuses': z.boolean().default(true),
  'status-before-response': z.boolean().default(false),
  'status-order': statusOrderSchema.default('in-order'),
  'demo-customers': z.boolean().default(false),
  'demo-interval-ms': whole(100, 86_400_000).default(25_000),
});

function exitWithUsage(message: string): never {
  process.stderr.write(`simulator: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function readFlags(): z.infer<typeof flagsSchema> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      allowNegative: true,
      options: {
        'webhook-url': { type: 'string' },
        'app-secret': { type: 'string' },
        'access-token': { type: 'string' },
        'waba-id': { type: 'string' },
        'phone-number-id': { type: 'string', multiple: true },
        'display-phone-number': { type: 'string', multiple: true },
        host: { type: 'string' },
        port: { type: 'string' },
        'graph-version': { type: 'string' },
        'status-delay-ms': { type: 'string' },
        'auto-statuses': { type: 'boolean' },
        'status-before-response': { type: 'boolean' },
        'status-order': { type: 'string' },
        'demo-customers': { type: 'boolean' },
        'demo-interval-ms': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    exitWithUsage(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  delete values.help;
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  --${issue.path.join('.')} ${issue.message}`);
    exitWithUsage(`invalid flags:\n${problems.join('\n')}`);
  }
  return parsed.data;
}

const flags = readFlags();
const logger = pino({ name: 'simulator' }, pino.destination(2));
const simulator = await startSimulator({
  host: flags.host,
  port: flags.port,
  appSecret: flags['app-secret'],
  accessToken: flags['access-token'],
  graphVersion: flags['graph-version'],
  wabaId: flags['waba-id'],
  phoneNumbers: flags['phone-number-id'].map((id, index) => ({
    id,
    displayPhoneNumber: flags['display-phone-number'][index] ?? DEFAULT_DISPLAY_NUMBER,
  })),
  webhookUrl: flags['webhook-url'],
  autoStatuses: flags['auto-statuses'],
  statusDelayMs: flags['status-delay-ms'],
  logger,
});
simulator.configure({
  statusBeforeResponse: flags['status-before-response'],
  statusOrder: flags['status-order'],
});
const customers = flags['demo-customers']
  ? startDemoCustomers(simulator, { intervalMs: flags['demo-interval-ms'], logger })
  : null;

process.stdout.write(
  `Cloud API simulator listening on ${simulator.url} (Graph ${simulator.graphVersion}); webhooks go to ${flags['webhook-url']}\n`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    customers?.stop();
    void simulator.close().then(() => process.exit(0));
  });
}
