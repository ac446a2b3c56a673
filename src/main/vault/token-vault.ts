// Where the console keeps an agent's relay token between launches. The token never reaches the
// renderer or a log; on a desktop it lives in the OS keychain (keytar-vault.ts), in demo mode in memory.
export interface TokenVault {
  get(account: string): Promise<string | null>;
  set(account: string, token: string): Promise<void>;
  /** Returns whether a token was stored for the account. */
  delete(account: string): Promise<boolean>;
}

/** Keychain entries are filed under this service name. */
export const VAULT_SERVICE = 'Ventana';
