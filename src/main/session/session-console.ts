// The ConsoleApi of a real install: it owns who is signed in and the console core of that account.
// Signed out, it answers only what the sign-in screen needs (getPolicy, getSyncStatus, signIn) and
// refuses the rest with NOT_SIGNED_IN. Signed in, it hands every other call to the account's core and
// forwards that core's events; listeners stay subscribed across sign-in, sign-out and switches.
import { rmSync } from 'node:fs';
import type {
  ConsoleApi,
  PolicyView,
  SessionInfo,
  SyncStatus,
  Unsubscribe,
} from '../../shared/console-api.ts';
import type { Agent } from '../../shared/domain.ts';
import { CodedError } from '../../shared/result.ts';
import type { ConsoleCore } from '../core/console-core.ts';
import { EventHub } from '../core/event-hub.ts';
import type { PolicySettings } from '../policy/index.ts';
import type { MediaSource } from '../ports.ts';
import type { TokenVault } from '../vault/token-vault.ts';
import { accountPaths, type AccountPaths } from './account-paths.ts';
import { delegateToCore, type SessionMethod } from './core-delegation.ts';
import { LastSessionFile } from './last-session.ts';
import { normalizeRelayUrl, policyViewOf } from './policy-view.ts';
import { fetchRelayAgent } from './relay-identity.ts';

/** What it takes to open one account's core; the app passes these on to openConsoleCore. */
export interface AccountCoreOptions {
  relayUrl: string;
  token: string;
  agentId: string;
  clientId: string;
  retentionDays: number;
  paths: AccountPaths;
}

export interface SessionConsoleOptions {
  /** The per-user data folder: accounts/, session.json. */
  userData: string;
  vault: TokenVault;
  policy: PolicySettings;
  /** This installation's stable id (the relay tells consoles apart by it). */
  clientId: string;
  /** VENTANA_RELAY_URL: a developer's default relay, below a locked policy. */
  relayUrlOverride?: string | null;
  openCore(options: AccountCoreOptions): Promise<ConsoleCore>;
  /** Test seam for GET /v1/me; the global fetch by default. */
  fetch?: typeof fetch;
  log?: (message: string) => void;
}

export interface SessionConsole extends ConsoleApi {
  /** The signed-in agent's media (null while signed out): read on every request, as the agent may change. */
  readonly media: MediaSource | null;
  close(): Promise<void>;
}

/** What the status line shows before anyone signs in: no relay, nothing synced. */
const SIGNED_OUT_STATUS: SyncStatus = Object.freeze({
  state: 'offline',
  cursor: 0,
  headSeq: 0,
  offlineSince: null,
  error: null,
  clockOffsetMs: 0,
});

interface SignedIn {
  relayUrl: string;
  agent: Agent;
  paths: AccountPaths;
  core: ConsoleCore;
  stopForwarding: Unsubscribe;
}

/** Opens the remembered session if there is one (offline too: the relay is not asked), else starts signed out. */
export async function startSessionConsole(options: SessionConsoleOptions): Promise<SessionConsole> {
  const log = options.log ?? ((message: string) => console.warn(message));
  const lastSession = new LastSessionFile(options.userData);
  const events = new EventHub();
  const override = options.relayUrlOverride ? normalizeRelayUrl(options.relayUrlOverride) : null;
  let current: SignedIn | null = null;
  let closed = false;
  // Sign-in, sign-out and close run one at a time: a second click never opens two cores.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  const policyView = (): PolicyView => policyViewOf(options.policy.effective, override);
  const lockedRelayUrl = (): string | null => {
    const view = policyView();
    return view.locked.includes('relayUrl') ? view.relayUrl : null;
  };

  async function open(relayUrl: string, agent: Agent, token: string): Promise<SignedIn> {
    const paths = accountPaths(options.userData, relayUrl, agent.id);
    const core = await options.openCore({
      relayUrl,
      token,
      agentId: agent.id,
      clientId: options.clientId,
      retentionDays: options.policy.effective.values.retentionDays,
      paths,
    });
    const stopForwarding = core.onEvent((event) => events.emit(event));
    return { relayUrl, agent, paths, core, stopForwarding };
  }

  async function closeCurrent(): Promise<SignedIn | null> {
    const previous = current;
    current = null;
    if (previous) {
      previous.stopForwarding();
      await previous.core.close();
    }
    return previous;
  }

  function signedIn(): SignedIn {
    if (closed) throw new CodedError('CLOSED', 'The console is closed');
    if (current === null)
      throw new CodedError('NOT_SIGNED_IN', 'Sign in with your relay address and token to use the console.');
    return current;
  }

  async function reopenLastSession(): Promise<void> {
    const last = lastSession.read();
    if (last === null) return;
    const locked = lockedRelayUrl();
    if (locked !== null && locked !== last.relayUrl) {
      log(`Ventana: your organization now sets the relay to ${locked}; sign in again.`);
      return;
    }
    let token: string | null;
    try {
      token = await options.vault.get(last.relayUrl);
    } catch (error) {
      // Without the keychain there is no token: sign-in will say so clearly if it is still missing.
      log(`Ventana starts signed out: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (token === null) {
      lastSession.clear();
      return;
    }
    try {
      current = await open(last.relayUrl, last.agent, token);
    } catch (error) {
      // A cache that cannot be opened must not keep the app from starting: signing in again reopens it.
      log(
        `Ventana starts signed out: the cache did not open (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }

  await reopenLastSession();

  const session: Pick<ConsoleApi, SessionMethod | 'onEvent'> = {
    async getSession() {
      const { core, agent, relayUrl } = signedIn();
      // The core knows the agent as of the last welcome (role or numbers may have changed since sign-in).
      const fromCore = await core.getSession({}).catch(() => null);
      return fromCore ?? { agent, relayUrl, demo: false };
    },

    signIn(input) {
      return serialized(async (): Promise<SessionInfo> => {
        if (closed) throw new CodedError('CLOSED', 'The console is closed');
        const locked = lockedRelayUrl();
        const relayUrl = locked ?? normalizeRelayUrl(input.relayUrl);
        const agent = await fetchRelayAgent(
          relayUrl,
          input.token,
          options.fetch ? { fetch: options.fetch } : {},
        );
        // Only a token the relay accepted is kept; KEYCHAIN_UNAVAILABLE stops here with nothing stored.
        await options.vault.set(relayUrl, input.token);
        const previous = await closeCurrent();
        if (previous && previous.relayUrl !== relayUrl) await forgetToken(previous.relayUrl);
        try {
          current = await open(relayUrl, agent, input.token);
        } catch (error) {
          lastSession.clear();
          await forgetToken(relayUrl);
          events.emit({ type: 'session.changed' });
          throw error;
        }
        lastSession.write(relayUrl, agent);
        if (locked === null) {
          await options.policy
            .setUserSetting('relayUrl', relayUrl)
            .catch((error: unknown) => log(`Ventana could not save the relay address: ${String(error)}`));
        }
        events.emit({ type: 'session.changed' });
        return { agent, relayUrl, demo: false };
      });
    },

    signOut(input) {
      return serialized(async (): Promise<null> => {
        const { relayUrl } = signedIn();
        // The token goes first: if the keychain refuses, the agent stays signed in and is told why,
        // rather than signed out with the credential left behind.
        await options.vault.delete(relayUrl);
        const previous = await closeCurrent();
        lastSession.clear();
        if (input.wipeCache && previous) rmSync(previous.paths.dir, { recursive: true, force: true });
        events.emit({ type: 'session.changed' });
        return null;
      });
    },

    getPolicy() {
      return Promise.resolve(policyView());
    },

    getSyncStatus(input) {
      if (closed) return Promise.reject(new CodedError('CLOSED', 'The console is closed'));
      return current ? current.core.getSyncStatus(input) : Promise.resolve({ ...SIGNED_OUT_STATUS });
    },

    onEvent(listener) {
      return events.on(listener);
    },
  };

  async function forgetToken(relayUrl: string): Promise<void> {
    await options.vault.delete(relayUrl).catch(() => false);
  }

  return {
    ...delegateToCore(() => signedIn().core),
    ...session,
    get media() {
      return current?.core.media ?? null;
    },
    close() {
      return serialized(async () => {
        closed = true;
        await closeCurrent();
      });
    },
  };
}
