// Runs inside a (possibly absent) Secret Service session for console-session-keyring.test.ts: a real
// install's session console with KeytarVault. `sign-in <userData> <relayUrl> <token>` signs in and
// quits; `restart <userData>` starts again as the next launch would and reports who is signed in and
// what the keychain holds. Prints one JSON line.
import { PolicySettings } from '../../src/main/policy/index.ts';
import { openAccountCore } from '../../src/main/session/open-account-core.ts';
import { startSessionConsole } from '../../src/main/session/session-console.ts';
import { KeytarVault } from '../../src/main/vault/keytar-vault.ts';
import { toErrorInfo } from '../../src/shared/result.ts';
import { join } from 'node:path';

const [phase, userData = '', relayUrl = '', token = ''] = process.argv.slice(2);
const vault = new KeytarVault();

try {
  const policy = await PolicySettings.open({
    sources: [],
    userSettingsPath: join(userData, 'settings.json'),
  });
  const api = await startSessionConsole({
    userData,
    vault,
    policy,
    clientId: 'keyring-child',
    openCore: openAccountCore,
    log: () => undefined,
  });
  try {
    if (phase === 'sign-in') {
      const session = await api.signIn({ relayUrl, token });
      console.log(JSON.stringify({ ok: true, agentId: session.agent.id }));
    } else {
      const session = await api.getSession({});
      const stored = await vault.get(session.relayUrl);
      console.log(
        JSON.stringify({ ok: true, agentId: session.agent.id, relayUrl: session.relayUrl, stored }),
      );
    }
  } finally {
    await api.close();
  }
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: toErrorInfo(error) }));
}
