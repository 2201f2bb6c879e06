/**
 * @module The signed-in SDK client. The key lives in sessionStorage (gone when the tab closes) and is sent only
 * to this server's public API, like any other client would.
 */
import { AgentHuman } from '@agenthuman/sdk';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

const STORAGE_KEY = 'agenthuman.apiKey';

type ClientState = {
  client: AgentHuman | undefined;
  keyPrefix: string | undefined;
  signIn(key: string): Promise<void>;
  signOut(): void;
};

const ClientContext = createContext<ClientState | undefined>(undefined);

const makeClient = (apiKey: string) => new AgentHuman({ baseUrl: location.origin, apiKey });

export function ClientProvider({ children }: { children: ReactNode }) {
  const [key, setKey] = useState<string | undefined>(() => sessionStorage.getItem(STORAGE_KEY) ?? undefined);
  const client = useMemo(() => (key ? makeClient(key) : undefined), [key]);

  const signIn = useCallback(async (candidate: string) => {
    const trimmed = candidate.trim();
    await makeClient(trimmed).usage.get(); // throws AuthenticationError for a wrong key
    sessionStorage.setItem(STORAGE_KEY, trimmed);
    setKey(trimmed);
  }, []);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setKey(undefined);
  }, []);

  const value = useMemo(
    () => ({ client, keyPrefix: key?.slice(0, 12), signIn, signOut }),
    [client, key, signIn, signOut],
  );
  return <ClientContext.Provider value={value}>{children}</ClientContext.Provider>;
}

export function useAuth(): ClientState {
  const state = useContext(ClientContext);
  if (!state) throw new Error('useAuth outside ClientProvider');
  return state;
}

/** The client on pages behind sign-in. */
export function useClient(): AgentHuman {
  const { client } = useAuth();
  if (!client) throw new Error('useClient before sign-in');
  return client;
}
