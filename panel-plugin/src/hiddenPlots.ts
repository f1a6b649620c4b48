import { config } from '@grafana/runtime';
import { useCallback, useState } from 'react';
import { HIDDEN_STORAGE_PREFIX } from './constants';

const storageKey = (panelKey: string) =>
  `${HIDDEN_STORAGE_PREFIX}:${config.bootData?.user?.login ?? 'anonymous'}:${panelKey}`;

function load(key: string): string[] {
  try {
    const value = JSON.parse(window.localStorage.getItem(key) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** Plot types this user has hidden in this panel, remembered in the browser's local storage. */
export function useHiddenPlots(panelKey: string): [Set<string>, (plotType: string) => void] {
  const key = storageKey(panelKey);
  const [hidden, setHidden] = useState(() => new Set(load(key)));
  const toggle = useCallback(
    (plotType: string) =>
      setHidden((current) => {
        const next = new Set(current);
        if (!next.delete(plotType)) {
          next.add(plotType);
        }
        window.localStorage.setItem(key, JSON.stringify([...next]));
        return next;
      }),
    [key]
  );
  return [hidden, toggle];
}
