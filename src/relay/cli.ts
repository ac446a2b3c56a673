// `npm run relay` — serve the relay, or manage its agents (the database is the relay's own: a running
// relay picks agent changes up within a couple of seconds).
// Configuration comes from the JSON file and VENTANA_* environment variables (env wins).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { systemClock } from '../shared/clock.ts';
import { CodedError } from '../shared/result.ts';
import {
  addAgentCommand,
  changeAccessCommand,
  listAgentsCommand,
  revokeAgentCommand,
} from './agents/agent-cli.ts';
import { createAgentStore, type AgentStore } from './agents/agent-store.ts';
import { accessChangeSchema, newAgentInputSchema } from './agents/agents.ts';
import { loadRelayConfig, type RelayConfig } from './config.ts';
import { startRelay } from './index.ts';
import { openSqliteRelayStore } from './store/sqlite-relay-store.ts';

const USAGE = `Usage:
  npm run relay [-- serve] [--config <file>]
  npm run relay -- agent add --name <name> --role agent|supervisor|admin --numbers <id,id,...|all>
  npm run relay -- agent list [--json]
  npm run relay -- agent revoke <agent-id>
  npm run relay -- agent numbers <agent-id> [--numbers <id,id,...|all>] [--role agent|supervisor|admin]

Every command takes --config <file>. Settings come from the JSON config file and VENTANA_* environment
variables (the environment wins); agent commands change the relay's database, and a running relay
applies the change to open consoles within a few seconds (revoked: disconnected; new numbers or role:
their inbox is rebuilt).
Exit codes: 0 ok, 1 failure (e.g. unknown agent id), 2 usage error, 78 invalid configuration.`;

const EXIT_USAGE = 2;
const EXIT_CONFIG = 78;

class UsageError extends Error {}

type Options = ReturnType<typeof parseCommandLine>['values'];
type OptionName = keyof Options;

/** What each command accepts besides --config and --help: its positional operands and options. */
const COMMANDS = {
  serve: { operands: [], options: [] },
  'agent add': { operands: [], options: ['name', 'role', 'numbers'] },
  'agent list': { operands: [], options: ['json'] },
  'agent revoke': { operands: ['agent-id'], options: [] },
  'agent numbers': { operands: ['agent-id'], options: ['numbers', 'role'] },
} as const satisfies Record<string, { operands: readonly string[]; options: readonly OptionName[] }>;
type CommandName = keyof typeof COMMANDS;

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        name: { type: 'string' },
        role: { type: 'string' },
        numbers: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `--numbers 'a, b'` -> ['a', 'b']; `all` stays 'all'. */
const numbersArgSchema = z.string().transform((value) =>
  value.trim() === 'all'
    ? ('all' as const)
    : value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
);

const agentAddArgsSchema = z.object({
  name: z.string({ error: '--name is required' }),
  role: z.string({ error: '--role is required' }),
  numbers: z.string({ error: '--numbers is required' }).pipe(numbersArgSchema),
});

const accessArgsSchema = z
  .object({ numbers: numbersArgSchema.optional(), role: z.string().optional() })
  .refine(
    (args) => args.numbers !== undefined || args.role !== undefined,
    '--numbers, --role or both are required',
  );

/** Parses `input` with `schema`, turning every problem into one usage error. */
function parseArgsWith<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const describe = (issue: z.core.$ZodIssue): string => {
    const option = issue.path.length > 0 ? `--${String(issue.path[0])}` : '';
    return option === '' || issue.message.includes(option) ? issue.message : `${option}: ${issue.message}`;
  };
  throw new UsageError(parsed.error.issues.map(describe).join('; '));
}

function commandOf(positionals: string[]): { name: CommandName; operands: string[] } {
  const [first = 'serve', second] = positionals;
  const name = first === 'agent' ? `agent ${second ?? ''}`.trim() : first;
  if (!(name in COMMANDS)) throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  const command = name as CommandName;
  const operands = positionals.slice(first === 'agent' ? 2 : 1);
  const expected = COMMANDS[command].operands;
  if (operands.length !== expected.length) {
    throw new UsageError(
      expected.length === 0
        ? `"${command}" takes no operands (got ${operands.join(' ')})`
        : `"${command}" needs <${expected.join('> <')}>`,
    );
  }
  return { name: command, operands };
}

function checkOptions(command: CommandName, values: Options): void {
  const allowed: readonly OptionName[] = [...COMMANDS[command].options, 'config', 'help'];
  const stray = (Object.keys(values) as OptionName[]).filter((option) => !allowed.includes(option));
  if (stray.length > 0)
    throw new UsageError(`"${command}" does not take ${stray.map((o) => `--${o}`).join(', ')}`);
}

async function serve(config: RelayConfig): Promise<void> {
  const relay = await startRelay(config);
  const wsUrl = relay.url.replace(/^http/, 'ws');
  process.stdout.write(
    `Ventana relay listening at ${relay.url} (webhook ${relay.url}/webhook, sync ${wsUrl}/v1/sync)\n`,
  );
  const stop = (signal: string) => {
    process.stdout.write(`${signal}: stopping the relay gracefully\n`);
    relay.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`relay: did not stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** Runs `fn` on the relay database's agents, closing the database afterwards. */
function withAgents(config: RelayConfig, fn: (agents: AgentStore) => string): void {
  const store = openSqliteRelayStore(config.dbPath);
  try {
    process.stdout.write(fn(createAgentStore(store.database)));
  } finally {
    store.close();
  }
}

/** Checks the arguments of an agent command (before any configuration problem), then its runner. */
function agentCommand(
  command: Exclude<CommandName, 'serve'>,
  operands: string[],
  values: Options,
): (agents: AgentStore) => string {
  const agentId = operands[0] ?? '';
  switch (command) {
    case 'agent add': {
      const input = parseArgsWith(newAgentInputSchema, parseArgsWith(agentAddArgsSchema, values));
      return (agents) => addAgentCommand(agents, systemClock, input);
    }
    case 'agent list':
      return (agents) => listAgentsCommand(agents, values.json === true);
    case 'agent revoke':
      return (agents) => revokeAgentCommand(agents, systemClock, agentId);
    case 'agent numbers': {
      const change = parseArgsWith(accessChangeSchema, parseArgsWith(accessArgsSchema, values));
      return (agents) => changeAccessCommand(agents, systemClock, agentId, change);
    }
  }
}

async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv);
    if (values.help === true) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const { name, operands } = commandOf(positionals);
    checkOptions(name, values);
    // Usage errors first: a typo in the arguments is reported before any configuration problem.
    const run = name === 'serve' ? null : agentCommand(name, operands, values);
    const config = loadRelayConfig({ file: values.config, env: process.env });
    if (run === null) await serve(config);
    else withAgents(config, run);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`relay: ${error.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof CodedError && error.code === 'INVALID_CONFIG') {
      process.stderr.write(`relay: ${error.message}\n`);
      return EXIT_CONFIG;
    }
    process.stderr.write(
      `relay: ${error instanceof CodedError ? `${error.code}: ` : ''}${(error as Error).message}\n`,
    );
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code !== 0) process.exit(code);
