import { useEffect, useRef, useState } from 'react';
import { describeError, HydraApiError } from '@hydra/plugin-kit/client';

export interface Requested<T> {
  data?: T;
  /** Why the latest request failed, said so a user can act. */
  error?: string;
  /** That failure as the server answered it (e.g. kind not_found), for pages that say more. */
  failure?: HydraApiError;
}

/**
 * What `load` answers for `key` (undefined: nothing to ask yet). A new key forgets the old answer, and an answer to an
 * earlier key, arriving late, is dropped. With `refreshMs` it asks again that often, keeping the last answer shown
 * (with the error beside it) while a refresh fails.
 */
export function useRequest<T>(key: string | undefined, load: () => Promise<T>, refreshMs?: number): Requested<T> {
  const [state, setState] = useState<Requested<T> & { key?: string }>({});
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (key === undefined) {
      return undefined;
    }
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The next refresh waits for this answer, so a slow server is never asked twice at once.
    const ask = (): Promise<void> =>
      loadRef
        .current()
        .then(
          (data) => live && setState({ key, data }),
          (error) =>
            live &&
            setState((previous) => ({
              key,
              data: previous.key === key ? previous.data : undefined,
              error: describeError(error),
              failure: HydraApiError.from(error, ''),
            }))
        )
        .then(() => {
          if (live && refreshMs) {
            timer = setTimeout(ask, refreshMs);
          }
        });
    void ask();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, refreshMs]);
  return state.key === key ? state : {};
}
