// The flags every benchmark takes: --json (one JSON object on stdout) and --help.
import { parseArgs } from 'node:util';

export function parseBenchCommandLine(name: string, usage: string): { json: boolean } {
  try {
    const { values } = parseArgs({
      options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help === true) {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    return { json: values.json };
  } catch (error) {
    process.stderr.write(`${name}: ${(error as Error).message}\n\n${usage}\n`);
    process.exit(2);
  }
}
