import { useEffect, useRef } from 'react';

interface Keys {
  onUndo: () => void;
  onRedo: () => void;
  /** Space: the preview of the image under the pointer, or closes it. */
  onSpace: () => void;
  onEscape: () => void;
}

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/** The Labeler's shortcuts (digits are the palette's): Ctrl+Z, Ctrl+Shift+Z (or Ctrl+Y), space, Esc. */
export function useLabelerKeys(keys: Keys) {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (typing(event.target)) {
        return;
      }
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === 'z') {
        event.preventDefault();
        (event.shiftKey ? latest.current.onRedo : latest.current.onUndo)();
      } else if (mod && key === 'y') {
        event.preventDefault();
        latest.current.onRedo();
      } else if (event.key === ' ') {
        event.preventDefault();
        latest.current.onSpace();
      } else if (event.key === 'Escape') {
        latest.current.onEscape();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
