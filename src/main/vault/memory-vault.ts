// Demo mode keeps the token only for the life of the process: nothing touches the keychain.
import type { TokenVault } from './token-vault.ts';

export class MemoryVault implements TokenVault {
  readonly #tokens = new Map<string, string>();

  get(account: string): Promise<string | null> {
    return Promise.resolve(this.#tokens.get(account) ?? null);
  }

  set(account: string, token: string): Promise<void> {
    this.#tokens.set(account, token);
    return Promise.resolve();
  }

  delete(account: string): Promise<boolean> {
    return Promise.resolve(this.#tokens.delete(account));
  }
}
