import { useCallback, useState } from 'react';
import type { ModelVersion } from '@hydra/inference-server/api';
import { describeError, type HydraAppClient, type PromotionGate } from '@hydra/plugin-kit/client';

export interface Status {
  ok: boolean;
  message: string;
}

/** Verdicts of the gate that let a version through without a question. */
const PASSES: ReadonlySet<PromotionGate['verdict']> = new Set(['better', 'no-active', 'not-comparable']);

/**
 * Promotion through the gate: the page reads the gate first; a version it lets through is activated at once, a worse
 * or trivial one waits in `pending` for the modal (a reason, or the news that it never can be).
 */
export function usePromotion(
  client: HydraAppClient,
  name: (version: ModelVersion) => string,
  onChanged: (status: Status) => void
) {
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<{ version: ModelVersion; gate: PromotionGate }>();
  const [error, setError] = useState<string>();

  const run = useCallback(
    async (work: () => Promise<string | undefined>) => {
      setBusy(true);
      setError(undefined);
      try {
        const message = await work();
        if (message) {
          onChanged({ ok: true, message });
        }
      } catch (failure) {
        onChanged({ ok: false, message: describeError(failure) });
      } finally {
        setBusy(false);
      }
    },
    [onChanged]
  );

  const promote = useCallback(
    (version: ModelVersion) =>
      run(async () => {
        const gate = await client.gate(version.plotTypeId, version.id);
        if (!PASSES.has(gate.verdict)) {
          setPending({ version, gate });
          return undefined;
        }
        await client.activate(version.plotTypeId, version.id);
        return `${name(version)} is active (${gate.verdict === 'better' ? 'better than the one before' : (gate.reasons[0] ?? gate.verdict)})`;
      }),
    [client, name, run]
  );

  /** Promotes the pending worse version with the reason; a refusal stays in the modal. */
  const confirm = useCallback(
    async (reason: string) => {
      if (!pending) {
        return;
      }
      const { version } = pending;
      setBusy(true);
      try {
        await client.activate(version.plotTypeId, version.id, { reason, confirmWorse: true });
        setPending(undefined);
        setError(undefined);
        onChanged({ ok: true, message: `${name(version)} is active, although worse: “${reason}”` });
      } catch (failure) {
        setError(describeError(failure));
      } finally {
        setBusy(false);
      }
    },
    [client, name, onChanged, pending]
  );

  const rollback = useCallback(
    (plotTypeId: number) => run(async () => `Rolled back: ${name(await client.rollback(plotTypeId))} is active again`),
    [client, name, run]
  );

  const setStatus = useCallback(
    (version: ModelVersion, status: 'ready' | 'retired') =>
      run(async () => {
        await client.setVersionStatus(version.plotTypeId, version.id, status);
        return `${name(version)} ${status === 'retired' ? 'is retired' : 'is back'}`;
      }),
    [client, name, run]
  );

  const dismiss = useCallback(() => {
    setPending(undefined);
    setError(undefined);
  }, []);

  return { busy, pending, error, promote, confirm, dismiss, rollback, setStatus };
}
