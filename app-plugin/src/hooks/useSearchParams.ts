import { useCallback, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router';

export type SearchChanges = Record<string, string | number | undefined>;

/**
 * The page's query string, and a way to change some of its parameters (undefined removes one) without adding to
 * the browser's history: what a page keeps in its URL so a link or a reload shows the same.
 */
export function useSearchParams(): [URLSearchParams, (changes: SearchChanges) => void] {
  const location = useLocation();
  const navigate = useNavigate();
  const params = useMemo(() => new URLSearchParams(location.search), [location.search]);
  const set = useCallback(
    (changes: SearchChanges) => {
      const next = new URLSearchParams(location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) {
          next.delete(key);
        } else {
          next.set(key, String(value));
        }
      }
      navigate({ search: `?${next}` }, { replace: true });
    },
    [location.search, navigate]
  );
  return [params, set];
}
