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
  /** All matching images on the server, counted once per query; undefined until the count came. */
  total?: number;
  /** Sparse: a slot stays empty until its chunk has come. */
  items: Array<QueueItem | undefined>;
  error?: string;
  loading: boolean;
}

/**
 * The Labeler's queue, loaded a chunk at a time as the grid scrolls to it (`ensure`), so a queue of 100,000 images
 * costs what the screen shows. The server counts the queue once, beside the first chunk: a count walks every match,
 * a page only its own rows. A new query, sort or `reloadKey` starts over (and counts again).
 */
export function useQueue(client: HydraAppClient, query: QueueQuery | undefined, sort: QueueSort, reloadKey: number) {
  const [state, setState] = useState<QueueState>({ items: [], loading: false });
  const requested = useRef(new Set<number>());
  const generation = useRef(0);

  const failed = useCallback((current: number, error: unknown) => {
    if (generation.current === current) {
      setState((previous) => ({ ...previous, loading: false, error: describeError(error) }));
    }
  }, []);

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
              const items = [...previous.items];
              page.items.forEach((item, i) => (items[chunk * QUEUE_CHUNK + i] = item));
              return { ...previous, items, loading: false };
            })
          );
        },
        (error) => {
          requested.current.delete(chunk);
          failed(current, error);
        }
      );
    },
    [client, query, sort, failed]
  );

  useEffect(() => {
    generation.current += 1;
    const current = generation.current;
    requested.current = new Set();
    setState({ items: [], loading: Boolean(query) });
    if (!query) {
      return;
    }
    client.queueCount(query, sort).then(
      ({ total }) => generation.current === current && setState((previous) => ({ ...previous, total })),
      (error) => failed(current, error)
    );
    load(0, current);
  }, [client, query, sort, load, failed, reloadKey]);

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
