import { useEffect, useState } from 'react';
import { describeError } from '@hydra/plugin-kit/client';

/** What a request gave: nothing yet (loading), its data, or why it failed, said so that a user can act. */
export interface Loaded<T> {
  data?: T;
  error?: string;
}

/**
 * Runs `load` (memoised by the caller with useCallback) and keeps its outcome; when `load` changes, the answer of
 * the earlier one is dropped, even if it arrives late.
 */
export function useRequest<T>(load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { load?: () => Promise<T> }>({});
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setState({ load, data }),
      (error) => current && setState({ load, error: describeError(error) })
    );
    return () => {
      current = false;
    };
  }, [load]);
  return state.load === load ? state : {};
}
