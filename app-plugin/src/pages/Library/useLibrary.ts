import { useCallback, useEffect, useState } from 'react';
import type { ModelVersion } from '@hydra/inference-server/api';
import {
  describeError,
  type Activation,
  type HydraAppClient,
  type TrainingJob,
  type VersionAgreement,
} from '@hydra/plugin-kit/client';

/** Agreement with the labels changes as people label: the page reads it again this often. */
const REFRESH_MS = 60_000;

export interface LibraryData {
  plotTypeId: number;
  versions: ModelVersion[];
  /** Newest first. */
  activations: Activation[];
  jobs: TrainingJob[];
  agreement: VersionAgreement[];
}

export interface Library {
  data?: LibraryData;
  error?: string;
  reload: () => void;
}

/**
 * A plot type's versions, activation history, training jobs and agreement with human labels. A reload keeps showing
 * what it had until the new answer comes; an answer for another plot type than the one now picked is dropped.
 */
export function useLibrary(client: HydraAppClient, plotTypeId: number | undefined): Library {
  const [state, setState] = useState<{ data?: LibraryData; error?: string; plotTypeId?: number }>({});
  const [reloadKey, setReloadKey] = useState(0);
  const reload = useCallback(() => setReloadKey((key) => key + 1), []);

  useEffect(() => {
    if (plotTypeId === undefined) {
      return;
    }
    let current = true;
    Promise.all([
      client.models(plotTypeId),
      client.activations(plotTypeId),
      client.trainingJobs(plotTypeId),
      client.agreement(plotTypeId),
    ]).then(
      ([versions, activations, jobs, agreement]) =>
        current &&
        setState({
          plotTypeId,
          data: {
            plotTypeId,
            versions: versions.items,
            activations: activations.items,
            jobs: jobs.items,
            agreement: agreement.items,
          },
        }),
      (error) => current && setState({ plotTypeId, error: describeError(error) })
    );
    return () => {
      current = false;
    };
  }, [client, plotTypeId, reloadKey]);

  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  return state.plotTypeId === plotTypeId ? { data: state.data, error: state.error, reload } : { reload };
}
