// Spawned by cold-open.ts: opens the console core on an existing cache with the relay unreachable,
// asks for the first inbox page, and prints one line `{"conversations": n}` on stdout.
import { z } from 'zod';
import { openConsoleCore } from '../../src/main/core/console-core.ts';
import { consoleMethodInputs } from '../../src/shared/console-api-inputs.ts';

const args = z.tuple([z.string().min(1), z.url()]).safeParse(process.argv.slice(2));
if (!args.success) {
  process.stderr.write('usage: cold-open-child.ts <cache path> <unreachable relay url>\n');
  process.exit(2);
}
const [cachePath, relayUrl] = args.data;
const core = await openConsoleCore({
  cachePath,
  relayUrl,
  token: 'bench-token-unused',
  clientId: 'bench-cold-open',
  demo: false,
});
// The renderer's first call, with the renderer's default page size.
const page = await core.listConversations(consoleMethodInputs.listConversations.parse({}));
process.stdout.write(`${JSON.stringify({ conversations: page.items.length })}\n`);
await core.close();
