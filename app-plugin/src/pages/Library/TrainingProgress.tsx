import React, { useEffect, useRef, useState } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { describeError, trainingJobStream, type HydraAppClient, type TrainingJob } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';

const ENDED: ReadonlySet<TrainingJob['status']> = new Set(['succeeded', 'not-useful', 'failed', 'cancelled']);

/** How long is left, said as a person would. */
function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * A training job as it runs, from its `training` events: epoch, step, loss, accuracy, ETA, and a cancel button.
 * `onEnded` is told once when the job ends (the page reloads its versions).
 */
export function TrainingProgress({
  client,
  job: started,
  canCancel,
  onEnded,
}: {
  client: HydraAppClient;
  job: TrainingJob;
  canCancel: boolean;
  onEnded: (job: TrainingJob) => void;
}) {
  const styles = useStyles2(getStyles);
  const [job, setJob] = useState(started);
  const [error, setError] = useState<string>();
  const ended = useRef(false);
  const endedCallback = useRef(onEnded);
  endedCallback.current = onEnded;

  useEffect(() => {
    const subscription = trainingJobStream(client, started).subscribe({
      next: (update) => {
        if (ended.current) {
          return;
        }
        setJob(update);
        if (ENDED.has(update.status)) {
          ended.current = true;
          endedCallback.current(update);
        }
      },
      error: (failure) => setError(describeError(failure)),
    });
    return () => subscription.unsubscribe();
  }, [client, started]);

  const cancel = () => client.cancelTraining(job.id).then(setJob, (failure) => setError(describeError(failure)));
  const p = job.progress;
  const done = p ? ((p.epoch - 1) * p.steps + p.step) / (p.epochs * p.steps) : 0;
  const finished = ENDED.has(job.status);
  // A not-useful job trained to its end too: what it made is kept for a look, never activated.
  const trainedToEnd = job.status === 'succeeded' || job.status === 'not-useful';
  return (
    <div className={styles.box} data-testid={testIds.library.training} data-job-id={job.id} data-status={job.status}>
      <div className={styles.line}>
        <strong>
          Training job {job.id} ({job.architecture}): {job.status}
        </strong>
        {p && (
          <span>
            epoch {p.epoch}/{p.epochs}, step {p.step}/{p.steps} · loss {p.loss.toFixed(3)} · accuracy{' '}
            {p.accuracy.toFixed(3)}
            {p.valAccuracy !== undefined && ` · validation accuracy ${p.valAccuracy.toFixed(3)}`}
            {!finished && ` · about ${duration(p.etaSeconds)} left`}
          </span>
        )}
        {canCancel && !finished && (
          <Button
            size="sm"
            variant="destructive"
            fill="outline"
            data-testid={testIds.library.cancelTraining}
            onClick={cancel}
          >
            Cancel
          </Button>
        )}
      </div>
      <div className={styles.track}>
        <div
          className={styles.bar}
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round((trainedToEnd ? 1 : done) * 100)}
          style={{ width: `${(trainedToEnd ? 1 : done) * 100}%` }}
        />
      </div>
      {job.error && (
        <Alert
          title={
            job.status === 'not-useful' ? 'Not useful: it learned nothing, so it is never activated' : 'Training failed'
          }
          severity={job.status === 'not-useful' ? 'warning' : 'error'}
        >
          {job.error}
        </Alert>
      )}
      {error && <Alert title="Lost track of the job">{error}</Alert>}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), marginBottom: theme.spacing(1) }),
  line: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1, 2) }),
  track: css({ height: 6, borderRadius: 3, background: theme.colors.background.secondary }),
  bar: css({ height: '100%', borderRadius: 3, background: theme.colors.primary.main, transition: 'width 0.3s' }),
});
