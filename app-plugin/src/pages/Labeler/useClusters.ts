import { useEffect, useState } from 'react';
import { describeError, type ClusterList, type HydraAppClient } from '@hydra/plugin-kit/client';

/**
 * Clusters a person can look through: for 2,000 of the simulator's plots, 30 kept them 0.99 pure on CDC occupancy
 * and 0.94 on RF timing (20: 0.99 and 0.88).
 */
export const CLUSTERS = 30;
/** A few images a cluster at least, so that a small set is not as many clusters as images. */
const IMAGES_PER_CLUSTER = 4;

export interface ClustersState {
  list?: ClusterList;
  error?: string;
}

/**
 * The plot type's unlabeled images in clusters (CLUSTERS, fewer for fewer than IMAGES_PER_CLUSTER images each), asked again with each `reloadKey` (after an Apply or an undo, labeled images leave the clusters).
 */
export function useClusters(client: HydraAppClient, plotTypeId: number, reloadKey: number): ClustersState {
  const [state, setState] = useState<ClustersState>({});
  useEffect(() => {
    let current = true;
    setState({});
    client
      .queueCount({ plotTypeId, filter: 'unlabeled' }, 'newest')
      .then(({ total }) =>
        total === 0
          ? { plotTypeId, images: 0, k: 0, clusters: [] }
          : client.clusters(plotTypeId, { k: Math.max(1, Math.min(CLUSTERS, Math.floor(total / IMAGES_PER_CLUSTER))) })
      )
      .then(
        (list) => current && setState({ list }),
        (error) => current && setState({ error: describeError(error) })
      );
    return () => {
      current = false;
    };
  }, [client, plotTypeId, reloadKey]);
  return state;
}
