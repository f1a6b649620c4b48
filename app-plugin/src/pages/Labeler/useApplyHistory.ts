import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, type HydraAppClient, type QueueQuery } from '@hydra/plugin-kit/client';
import { newApplyId, stacksFromBatches, type Applied } from './applyStacks';

/** The most images POST /labels takes at once. */
const APPLY_LIMIT = 5000;

/** How many of the user's latest batches rebuild the undo stack after a reload. */
const RELOADED_BATCHES = 100;

export interface ApplyStatus {
  ok: boolean;
  message: string;
}

/**
 * Apply (one POST /labels per class, all with one applyId), undo and redo of whole Applies through the server's batch
 * endpoints, which restore exactly the labels that were there before. The stacks start from the server's batches of
 * `user` (who acts, from /me), so that Ctrl+Z after a reload still undoes the last Apply. `onChanged` runs after
 * each change on the server.
 */
export function useApplyHistory(client: HydraAppClient, user: string | undefined, onChanged: () => void) {
  const [done, setDone] = useState<Applied[]>([]);
  const [undone, setUndone] = useState<Applied[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<ApplyStatus>();
  // Once this page changed something, its own stacks win over a late answer of the server's list.
  const changed = useRef(false);

  useEffect(() => {
    if (user === undefined) {
      return;
    }
    let current = true;
    client.batches(user, RELOADED_BATCHES).then(
      ({ items }) => {
        if (current && !changed.current) {
          const stacks = stacksFromBatches(items);
          setDone(stacks.done);
          setUndone(stacks.undone);
        }
      },
      // Without the list there is nothing to undo yet: the page's own Applies still are.
      () => undefined
    );
    return () => {
      current = false;
    };
  }, [client, user]);

  const run = useCallback(
    async (work: () => Promise<string>): Promise<boolean> => {
      changed.current = true;
      setBusy(true);
      try {
        setStatus({ ok: true, message: await work() });
        return true;
      } catch (error) {
        setStatus({ ok: false, message: describeError(error) });
        return false;
      } finally {
        setBusy(false);
        onChanged();
      }
    },
    [onChanged]
  );

  const apply = useCallback(
    (pending: ReadonlyMap<number, string>) =>
      run(async () => {
        const byClass = new Map<string, number[]>();
        pending.forEach((className, imageId) => byClass.set(className, [...(byClass.get(className) ?? []), imageId]));
        const applyId = newApplyId();
        const batchIds: number[] = [];
        for (const [className, imageIds] of byClass) {
          for (let i = 0; i < imageIds.length; i += APPLY_LIMIT) {
            batchIds.push((await client.apply(imageIds.slice(i, i + APPLY_LIMIT), className, applyId)).batchId);
          }
        }
        setDone((stack) => [...stack, { batchIds, count: pending.size }]);
        setUndone([]);
        return `Applied ${pending.size} label${pending.size === 1 ? '' : 's'} (${[...byClass.keys()].join(', ')}).`;
      }),
    [client, run]
  );

  /** Labels every image the query matches, if they are still `expectedCount` (else the server says how many now). */
  const applyToFilter = useCallback(
    (query: QueueQuery, className: string, expectedCount: number) =>
      run(async () => {
        const { batchId, count } = await client.applyToFilter(query, className, expectedCount, newApplyId());
        setDone((stack) => [...stack, { batchIds: [batchId], count }]);
        setUndone([]);
        return `Labelled all ${count} matching images ${className}.`;
      }),
    [client, run]
  );

  const undo = useCallback(() => {
    const last = done[done.length - 1];
    if (!last || busy) {
      return;
    }
    void run(async () => {
      for (const id of [...last.batchIds].reverse()) {
        await client.undo(id);
      }
      setDone((stack) => stack.slice(0, -1));
      setUndone((stack) => [...stack, last]);
      return `Undone: ${last.count} label${last.count === 1 ? '' : 's'}; the labels before are back.`;
    });
  }, [busy, client, done, run]);

  const redo = useCallback(() => {
    const last = undone[undone.length - 1];
    if (!last || busy) {
      return;
    }
    void run(async () => {
      for (const id of last.batchIds) {
        await client.redo(id);
      }
      setUndone((stack) => stack.slice(0, -1));
      setDone((stack) => [...stack, last]);
      return `Redone: ${last.count} label${last.count === 1 ? '' : 's'}.`;
    });
  }, [busy, client, undone, run]);

  return { apply, applyToFilter, undo, redo, busy, status, canUndo: done.length > 0, canRedo: undone.length > 0 };
}
