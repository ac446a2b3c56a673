// Who is signed in, as the renderer knows it: the App shows the sign-in screen, the console, or a
// start-up failure from this store. A `session.changed` event (another window signed in or out, or
// this one) makes it ask main again, and every new session starts the console view over.
import { createStore } from 'zustand/vanilla';
import type { PolicyView, SessionInfo, Unsubscribe } from '../../shared/console-api.ts';
import { toErrorInfo, type ErrorInfo } from '../../shared/result.ts';
import type { ConsoleClient } from '../bridge/console-client.ts';

export type SessionPhase =
  /** Asking main who is signed in. */
  | 'checking'
  | 'signedOut'
  | 'signedIn'
  /** Main could not answer at all (broken link): shown as a start-up error with a retry. */
  | 'failed';

export interface SessionState {
  phase: SessionPhase;
  session: SessionInfo | null;
  policy: PolicyView | null;
  /** Bumped at every new session: the console view is keyed by it, so it starts over. */
  generation: number;
  /** Waiting for main to answer signIn or signOut. */
  busy: boolean;
  /** Why the last sign-in was refused (shown under the form). */
  signInError: ErrorInfo | null;
  /** Why signing out failed (shown in the sign-out dialog). */
  signOutError: ErrorInfo | null;
  /** Why the session could not be read (phase 'failed'). */
  loadError: ErrorInfo | null;

  /** Loads the session and the policy and listens for session.changed; the function stops listening. */
  start: () => Unsubscribe;
  load: () => Promise<void>;
  /** Resolves true once signed in. */
  signIn: (relayUrl: string, token: string) => Promise<boolean>;
  /** Resolves true once signed out. */
  signOut: (wipeCache: boolean) => Promise<boolean>;
  clearSignOutError: () => void;
}

export function createSessionStore(client: ConsoleClient) {
  // An answer to an older load never overwrites a newer one.
  let loadRequest = 0;

  return createStore<SessionState>()((set, get) => {
    function enter(session: SessionInfo | null): void {
      const state = get();
      const same =
        session !== null &&
        state.session?.agent.id === session.agent.id &&
        state.session.relayUrl === session.relayUrl;
      set({
        phase: session ? 'signedIn' : 'signedOut',
        session,
        loadError: null,
        generation: same ? state.generation : state.generation + 1,
      });
    }

    return {
      phase: 'checking',
      session: null,
      policy: null,
      generation: 0,
      busy: false,
      signInError: null,
      signOutError: null,
      loadError: null,

      start() {
        const unsubscribe = client.onEvent((event) => {
          if (event.type === 'session.changed') void get().load();
        });
        void get().load();
        return unsubscribe;
      },

      async load() {
        const request = ++loadRequest;
        const [session, policy] = await Promise.allSettled([
          client.call('getSession', {}),
          client.call('getPolicy', {}),
        ]);
        if (request !== loadRequest) return;
        if (policy.status === 'fulfilled') set({ policy: policy.value });
        if (session.status === 'fulfilled') return enter(session.value);
        const error = toErrorInfo(session.reason);
        if (error.code === 'NOT_SIGNED_IN') return enter(null);
        set({ phase: 'failed', loadError: error });
      },

      async signIn(relayUrl, token) {
        set({ busy: true, signInError: null });
        try {
          const session = await client.call('signIn', { relayUrl, token });
          loadRequest++;
          enter(session);
          return true;
        } catch (error) {
          set({ signInError: toErrorInfo(error) });
          return false;
        } finally {
          set({ busy: false });
        }
      },

      async signOut(wipeCache) {
        set({ busy: true, signOutError: null });
        try {
          await client.call('signOut', { wipeCache });
          loadRequest++;
          enter(null);
          return true;
        } catch (error) {
          set({ signOutError: toErrorInfo(error) });
          return false;
        } finally {
          set({ busy: false });
        }
      },

      clearSignOutError() {
        set({ signOutError: null });
      },
    };
  });
}

export type SessionStore = ReturnType<typeof createSessionStore>;
