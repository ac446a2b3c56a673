// `npm run relay` — serve the relay, or add an agent and print its token once.
//   serve [--config <file>]                 (the default command)
//   agent add --name <n> --role agent|supervisor|admin --numbers <id,id|all> [--config <file>]
// Configuration comes from the JSON file and VENTANA_* environment variables (env wins).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { systemClock } from '../shared/clock.ts';
import { CodedError } from '../shared/result.ts';
import { createAgent, newAgentInputSchema, type NewAgentInput } from './agents/agents.ts';
import { loadRelayConfig, type RelayConfig } from './config.ts';
import { startRelay } from './index.ts';
import { openSqliteRelayStore } from './store/sqlite-relay-store.ts';

const USAGE = `Usage:
  npm run relay [-- serve] [--config <file>]
  npm run relay -- agent add --name <name> --role agent|supervisor|admin --numbers <id,id,...|all> [--config <file>]

Settings come from the JSON config file and VENTANA_* environment variables (the environment wins).
Exit codes: 0 ok, 1 failure, 2 usage error, 78 invalid configuration.`;

const EXIT_USAGE = 2;
const EXIT_CONFIG = 78;

class UsageError extends Error {}

const agentAddArgsSchema = z.object({
  name: z.string({ error: '--name is required' }),
  role: z.string({ error: '--role is required' }),
  numbers: z.string({ error: '--numbers is required' }).transform((value) =>
    value.trim() === 'all'
      ? ('all' as const)
      : value
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean),
  ),
});

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
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
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
        process.stderr.write(`relay did not stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

function agentInputFrom(values: Record<string, unknown>): NewAgentInput {
  const args = agentAddArgsSchema.safeParse(values);
  if (!args.success) throw new UsageError(args.error.issues.map((issue) => issue.message).join('; '));
  const input = newAgentInputSchema.safeParse(args.data);
  if (!input.success) throw new UsageError(z.prettifyError(input.error));
  return input.data;
}

function addAgent(config: RelayConfig, input: NewAgentInput): void {
  const store = openSqliteRelayStore(config.dbPath);
  try {
    const { agent, token } = createAgent(store, systemClock, input);
    const numbers = agent.numbers === 'all' ? 'all numbers' : `numbers ${agent.numbers.join(', ')}`;
    process.stdout.write(
      `Created ${agent.role} "${agent.name}" (${agent.id}) for ${numbers}.\n` +
        `Token (shown only this once; the relay keeps only its hash):\n${token}\n`,
    );
  } finally {
    store.close();
  }
}

async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv);
    if (values.help === true) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const command = positionals.join(' ') || 'serve';
    if (command !== 'serve' && command !== 'agent add') throw new UsageError(`unknown command "${command}"`);
    if (command === 'serve' && (values.name ?? values.role ?? values.numbers) !== undefined) {
      throw new UsageError('--name, --role and --numbers belong to "agent add"');
    }
    // Usage errors first: a typo in the arguments is reported before any configuration problem.
    const agentInput = command === 'agent add' ? agentInputFrom(values) : null;
    const config = loadRelayConfig({ file: values.config, env: process.env });
    if (agentInput === null) await serve(config);
    else addAgent(config, agentInput);
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
