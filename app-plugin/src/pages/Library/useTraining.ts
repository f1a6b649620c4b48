import { useCallback, useEffect, useState } from 'react';
import { describeError, type HydraAppClient, type TrainingJob, type TrainOptions } from '@hydra/plugin-kit/client';
import type { Status } from './usePromotion';

/**
 * Training from the page: `train` starts a job of the plot type; `watched` are the jobs whose progress the page shows,
 * those started here and those running that it did not start (another tab, another user); `ended` reports how one
 * ended. A job started here stays shown, ended, until another plot type is picked.
 */
export function useTraining(
  client: HydraAppClient,
  plotTypeId: number | undefined,
  jobs: TrainingJob[],
  onStatus: (status: Status, changed: boolean) => void
) {
  const [started, setStarted] = useState<TrainingJob[]>([]);
  const [starting, setStarting] = useState(false);
  useEffect(() => setStarted([]), [plotTypeId]);

  const train = async (request: TrainOptions) => {
    if (plotTypeId === undefined) {
      return false;
    }
    setStarting(true);
    try {
      const job = await client.train(plotTypeId, request);
      setStarted((current) => [job, ...current]);
      onStatus({ ok: true, message: `Training job ${job.id} started` }, false);
      return true;
    } catch (error) {
      onStatus({ ok: false, message: describeError(error) }, false);
      return false;
    } finally {
      setStarting(false);
    }
  };
  const ended = useCallback(
    (job: TrainingJob) =>
      onStatus(
        {
          ok: job.status === 'succeeded',
          message:
            job.status === 'succeeded'
              ? `Training job ${job.id} succeeded: its version is in the table`
              : job.status === 'not-useful'
                ? `Training job ${job.id} made a version that learned nothing; it is in the table, never to be activated: ${job.error ?? ''}`
                : `Training job ${job.id} ${job.status}${job.error ? `: ${job.error}` : ''}`,
        },
        true
      ),
    [onStatus]
  );
  const watched = [
    ...started,
    ...jobs.filter(
      (job) => (job.status === 'queued' || job.status === 'running') && !started.some((s) => s.id === job.id)
    ),
  ];
  return { train, starting, watched, ended };
}
