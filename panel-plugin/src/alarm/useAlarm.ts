import { useCallback, useEffect, useRef, useState } from 'react';
import { isBad } from '../rows';
import type { PlotRow } from '../types';
import { AlarmSound } from './alarmSound';

export interface Alarm {
  imageId: number;
  plotType: string;
  title: string;
  verdict: string;
}

export interface AlarmState {
  /** Alarms not yet acknowledged, newest first. */
  active: Alarm[];
  /** The browser will not play sound until the user interacts ("click to enable sound"). */
  soundLocked: boolean;
  muted: boolean;
  enableSound: () => void;
  toggleMute: () => void;
  acknowledge: () => void;
}

/**
 * Sounds the alarm when a plot turns Bad: its latest image has a confirmed verdict of an alarm class. Plots that
 * are already Bad when the panel opens do not sound; each image sounds at most once.
 */
export function useAlarm(rows: PlotRow[], speakNames: boolean, sound: AlarmSound = defaultSound()): AlarmState {
  const seen = useRef<Set<number> | undefined>(undefined);
  const [active, setActive] = useState<Alarm[]>([]);
  const [muted, setMuted] = useState(false);
  const [soundLocked, setSoundLocked] = useState(!sound.unlocked);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;

  useEffect(() => {
    if (rows.length === 0) {
      return;
    }
    const bad = rows.filter((row) => isBad(row) && row.confirmed && row.imageId !== null);
    if (!seen.current) {
      seen.current = new Set(bad.map((row) => row.imageId!));
      return;
    }
    const fresh = bad.filter((row) => !seen.current!.has(row.imageId!));
    if (fresh.length === 0) {
      return;
    }
    for (const row of fresh) {
      seen.current.add(row.imageId!);
    }
    setActive((current) => [
      ...fresh.map((row) => ({
        imageId: row.imageId!,
        plotType: row.plotType,
        title: row.title,
        verdict: row.verdict ?? '',
      })),
      ...current,
    ]);
    if (!mutedRef.current) {
      const played = sound.play(
        speakNames ? fresh.map((row) => `${row.title} is ${row.verdict}`).join('. ') : undefined
      );
      setSoundLocked(!played && !sound.unlocked);
    }
  }, [rows, speakNames, sound]);

  const enableSound = useCallback(() => {
    void sound.unlock().then((unlocked) => setSoundLocked(!unlocked));
  }, [sound]);

  return {
    active,
    soundLocked,
    muted,
    enableSound,
    toggleMute: useCallback(() => setMuted((m) => !m), []),
    acknowledge: useCallback(() => setActive([]), []),
  };
}

let shared: AlarmSound | undefined;
/** One sound for the page: every grid panel shares the unlocked audio context. */
function defaultSound(): AlarmSound {
  shared ??= new AlarmSound();
  return shared;
}
