import { useEffect } from 'react';
import type { ModelVersion } from '@hydra/inference-server/api';

/** ↓ and ↑ select the next and previous version of the table (outside text fields), to read evaluations one by one. */
export function useVersionKeys(versions: ModelVersion[], selected: number | undefined, select: (id: number) => void) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (
        (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') ||
        event.altKey ||
        event.ctrlKey ||
        event.metaKey ||
        target?.closest('input, textarea, select, [role="dialog"], [role="listbox"]') ||
        versions.length === 0
      ) {
        return;
      }
      const index = versions.findIndex((v) => v.id === selected);
      const next =
        index === -1 ? 0 : Math.min(versions.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)));
      event.preventDefault();
      select(versions[next]!.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [versions, selected, select]);
}
