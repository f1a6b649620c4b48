import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import {
  describeError,
  type HydraAppClient,
  type QueueItem,
  type QueueQuery,
  type QueueSort,
} from '@hydra/plugin-kit/client';

/** Images per request: a screen or two of thumbnails. */
export const QUEUE_CHUNK = 500;

export interface QueueState {
  /** All matching images on the server; undefined until the first page came. */
  total?: number;
  /** Sparse: a slot stays empty until its chunk has come. */
  items: Array<QueueItem | undefined>;
  error?: string;
  loading: boolean;
}

/**
 * The Labeler's queue, loaded a chunk at a time as the grid scrolls to it (`ensure`), so a queue of 100,000 images
 * costs what the screen shows. A new query, sort or `reloadKey` starts over.
 */
export function useQueue(client: HydraAppClient, query: QueueQuery | undefined, sort: QueueSort, reloadKey: number) {
  const [state, setState] = useState<QueueState>({ items: [], loading: false });
  const requested = useRef(new Set<number>());
  const generation = useRef(0);

  const load = useCallback(
    (chunk: number, current: number) => {
      if (!query || requested.current.has(chunk)) {
        return;
      }
      requested.current.add(chunk);
      client.queue(query, sort, QUEUE_CHUNK, chunk * QUEUE_CHUNK).then(
        (page) => {
          if (generation.current !== current) {
            return;
          }
          // A transition: rendering a chunk that arrives mid-scroll yields to the scroll's frames.
          startTransition(() =>
            setState((previous) => {
              const items = previous.total === page.total ? [...previous.items] : new Array(page.total);
              page.items.forEach((item, i) => (items[chunk * QUEUE_CHUNK + i] = item));
              return { total: page.total, items, loading: false };
            })
          );
        },
        (error) => {
          if (generation.current === current) {
            requested.current.delete(chunk);
            setState((previous) => ({ ...previous, loading: false, error: describeError(error) }));
          }
        }
      );
    },
    [client, query, sort]
  );

  useEffect(() => {
    generation.current += 1;
    requested.current = new Set();
    setState({ items: [], loading: Boolean(query) });
    load(0, generation.current);
  }, [load, query, reloadKey]);

  /** Loads what the images from `start` to `end` (exclusive) need. */
  const ensure = useCallback(
    (start: number, end: number) => {
      for (let chunk = Math.floor(start / QUEUE_CHUNK); chunk * QUEUE_CHUNK < end; chunk++) {
        load(chunk, generation.current);
      }
    },
    [load]
  );

  return { ...state, ensure };
}
