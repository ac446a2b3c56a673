// `npm run openapi [-- <file>]`: writes the REST API's OpenAPI document (default docs/openapi.json),
// the same document a running relay serves at GET /v1/openapi.json. A development script: prettier
// is a dev dependency.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { buildOpenApiDocument } from './openapi.ts';

const DEFAULT_OUT = resolve(import.meta.dirname, '../../../docs/openapi.json');

function outputFile(argv: string[]): string {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  if (positionals.length > 1) throw new Error('Usage: npm run openapi [-- <output file>]');
  return positionals[0] === undefined ? DEFAULT_OUT : resolve(positionals[0]);
}

try {
  const out = outputFile(process.argv.slice(2));
  mkdirSync(dirname(out), { recursive: true });
  // Formatted as `npm run format` would, so formatting the repository never changes the file.
  const style = await resolveConfig(out);
  writeFileSync(out, await format(JSON.stringify(buildOpenApiDocument()), { ...style, filepath: out }));
  process.stdout.write(`Wrote the OpenAPI document to ${out}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
