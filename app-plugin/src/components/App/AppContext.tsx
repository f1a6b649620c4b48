import React, { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { config } from '@grafana/runtime';
import { apiUrlOf, appProxyBase, describeError, HydraAppClient, type Me, type Right } from '@hydra/plugin-kit/client';
import { PLUGIN_ID } from '../../constants';

export interface AppState {
  client: HydraAppClient;
  /** Who acts (the Grafana user, through a Grafana proxy token) and the app's token; undefined while loading. */
  me?: Me;
  /** Why /me failed, said so a user can act. */
  meError?: string;
  can(right: Right): boolean;
}

const AppContext = createContext<AppState | undefined>(undefined);

/** The app's client (through Grafana's plugin proxy, which adds the token) and the token's rights from GET /me. */
export function AppProvider({ client: given, children }: { client?: HydraAppClient; children: ReactNode }) {
  const client = useMemo(
    () => given ?? new HydraAppClient(apiUrlOf(appProxyBase(PLUGIN_ID, config.appSubUrl ?? ''))),
    [given]
  );
  const [me, setMe] = useState<Me>();
  const [meError, setMeError] = useState<string>();
  useEffect(() => {
    client.me().then(setMe, (error) => setMeError(describeError(error, 'the inference server')));
  }, [client]);
  const state = useMemo<AppState>(
    () => ({ client, me, meError, can: (right) => Boolean(me?.rights.includes(right)) }),
    [client, me, meError]
  );
  return <AppContext.Provider value={state}>{children}</AppContext.Provider>;
}

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) {
    throw new Error('useApp outside AppProvider');
  }
  return state;
}
