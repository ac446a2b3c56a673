// Runs inside a (possibly absent) Secret Service session for test/integration/keytar.test.ts:
// stores, reads and deletes a token through KeytarVault and prints one JSON line of what happened.
import { KeytarVault } from '../../src/main/vault/keytar-vault.ts';
import { toErrorInfo } from '../../src/shared/result.ts';

const [account = 'agent@relay', token = 'token-value'] = process.argv.slice(2);
const vault = new KeytarVault();

try {
  const before = await vault.get(account);
  await vault.set(account, token);
  const stored = await vault.get(account);
  const deleted = await vault.delete(account);
  const afterDelete = await vault.get(account);
  const deletedAgain = await vault.delete(account);
  console.log(JSON.stringify({ ok: true, before, stored, deleted, afterDelete, deletedAgain }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: toErrorInfo(error) }));
}
