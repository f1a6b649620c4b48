import type { Catalog } from '../catalog/catalog.ts';
import { InvalidInputError } from '../errors.ts';
import type { ImageStore } from '../images/image-store.ts';
import { runWorkerJob } from '../inference/training-thread.ts';
import { siblingScript } from '../inference/worker-threads.ts';
import type { Cluster, ClusterList, ClusterQuery } from '../schemas/index.ts';
import type { Clustering, ClusteringRequest } from './clustering.ts';
import { thumbnail } from './embedding.ts';

// Clusters of a plot type's unlabeled images, for labeling a whole cluster after a look at its medoid. The thumbnails
// are decoded here (sharp works off the event loop, and keeps them cached); the arithmetic (./clustering.ts) runs on
// a worker thread of its own.

const clusteringScript = siblingScript(import.meta.url, 'clustering-thread-entry');

function cluster(request: ClusteringRequest): Promise<Clustering> {
  return runWorkerJob<Clustering, never>(clusteringScript, { kind: 'start', request }, () => {}).result;
}

/**
 * The plot type's newest `limit` unlabeled images in `k` clusters, the largest first, each with its medoid (the
 * member nearest the cluster's centre), every member's id and its near-duplicate groups, the most unique first. Each
 * image's uniqueness is written on it for the labeler's "most unique" order. A plot type with no unlabeled image has
 * no cluster.
 */
export async function unlabeledClusters(
  catalog: Catalog,
  store: ImageStore,
  plotTypeId: number,
  { k, limit, seed, duplicateDistance }: ClusterQuery,
): Promise<ClusterList> {
  const plotType = await catalog.plotTypes.get(plotTypeId);
  const ids = await catalog.labels.matchingImageIds({ plotTypeId, filter: 'unlabeled' }, limit);
  if (ids.length === 0) return { plotTypeId, images: 0, k, clusters: [] };
  if (k > ids.length) {
    throw new InvalidInputError(
      `${plotType.title} has ${ids.length} unlabeled images (of the newest ${limit}): k must be at most that`,
    );
  }
  const images = await catalog.images.list(ids);
  const { representative, uniqueness, clusters } = await cluster({
    thumbnails: await Promise.all(images.map((image) => thumbnail(store.resolve(image.path)))),
    images: images.map((image) => ({ id: image.id, runId: image.run_id, capturedAt: image.captured_at })),
    k,
    seed,
    duplicateDistance,
  });
  await catalog.images.setUniqueness(new Map(images.map((image, i) => [image.id, uniqueness[i]!])));

  const id = (i: number) => images[i]!.id;
  const listed = clusters.map(({ members, medoid }): Cluster => {
    const groups = new Map<number, Cluster['groups'][number]>();
    for (const i of members) {
      const first = representative[i]!;
      const group = groups.get(first) ?? {
        imageId: id(first),
        uniqueness: uniqueness[first]!,
        duplicateIds: [],
      };
      if (i !== first) group.duplicateIds.push(id(i));
      groups.set(first, group);
    }
    return {
      size: members.length,
      medoidImageId: id(medoid),
      imageIds: members.map(id),
      groups: [...groups.values()].sort((a, b) => b.uniqueness - a.uniqueness || a.imageId - b.imageId),
    };
  });
  return { plotTypeId, images: images.length, k, clusters: listed.sort((a, b) => b.size - a.size) };
}
