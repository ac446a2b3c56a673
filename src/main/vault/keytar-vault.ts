// The OS keychain through keytar (macOS Keychain, Windows Credential Vault, the Secret Service on
// Linux). The only file that imports keytar, so swapping it (e.g. for @napi-rs/keyring) touches one
// file. No keychain means no token storage: there is deliberately no plaintext fallback.
import { CodedError } from '../../shared/result.ts';
import { VAULT_SERVICE, type TokenVault } from './token-vault.ts';

/** The part of keytar this vault uses. */
interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export class KeytarVault implements TokenVault {
  readonly #service: string;
  #keytar: Promise<Keytar> | null = null;

  constructor(service: string = VAULT_SERVICE) {
    this.#service = service;
  }

  get(account: string): Promise<string | null> {
    return this.#call((keytar) => keytar.getPassword(this.#service, account));
  }

  set(account: string, token: string): Promise<void> {
    return this.#call((keytar) => keytar.setPassword(this.#service, account, token));
  }

  delete(account: string): Promise<boolean> {
    return this.#call((keytar) => keytar.deletePassword(this.#service, account));
  }

  async #call<T>(operation: (keytar: Keytar) => Promise<T>): Promise<T> {
    let keytar: Keytar;
    try {
      // Loaded on first use: a machine without libsecret can still start (and run the demo).
      keytar = await (this.#keytar ??= import('keytar').then((module): Keytar => module.default));
    } catch (error) {
      this.#keytar = null;
      throw unavailable(error);
    }
    try {
      return await operation(keytar);
    } catch (error) {
      throw unavailable(error);
    }
  }
}

function unavailable(cause: unknown): CodedError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new CodedError(
    'KEYCHAIN_UNAVAILABLE',
    `The system keychain is not available (${detail}). Ventana keeps the relay token only in the keychain: ` +
      'unlock or start it (on Linux a Secret Service such as gnome-keyring or KWallet), or use demo mode.',
  );
}
