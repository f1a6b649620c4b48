import { useEffect } from 'react';
import type { Incident } from '@hydra/plugin-kit/client';

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/** j / k step through the incidents (opening each one's timeline), Esc closes the timeline. */
export function useIncidentKeys(
  incidents: Incident[],
  selected: number | undefined,
  select: (key: number | undefined) => void
) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      const index = incidents.findIndex((incident) => incident.key === selected);
      const step = event.key === 'j' ? 1 : event.key === 'k' ? -1 : 0;
      if (step !== 0 && incidents.length > 0) {
        const next = index < 0 ? 0 : Math.min(incidents.length - 1, Math.max(0, index + step));
        select(incidents[next]!.key);
      } else if (event.key === 'Escape' && selected !== undefined) {
        select(undefined);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [incidents, selected, select]);
}
