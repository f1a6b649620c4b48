import { kmeans } from 'ml-kmeans';
import type { Catalog } from '../catalog/catalog.ts';
import { InvalidInputError } from '../errors.ts';
import type { ImageStore } from '../images/image-store.ts';
import type { Cluster, ClusterList, ClusterQuery } from '../schemas/index.ts';
import { embedSet, embeddingDistance } from './embedding.ts';
import { nearDuplicateGroups, uniqueness } from './similarity.ts';

// Clusters of a plot type's unlabeled images, for labeling a whole cluster after a look at its medoid: k-means
// (ml-kmeans, k-means++ from a seed) on each image's embedding (./embedding.ts). Consecutive chunks of one run that
// look alike are one near-duplicate group, which stays whole in its first image's cluster, and every image gets a
// uniqueness score.

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
  const embeddings = await embedSet(images.map((image) => store.resolve(image.path)));
  const representative = nearDuplicateGroups(
    images.map((image, i) => ({
      id: image.id,
      runId: image.run_id,
      capturedAt: image.captured_at,
      embedding: embeddings[i]!,
    })),
    duplicateDistance,
  );
  const scores = uniqueness(embeddings, representative);
  await catalog.images.setUniqueness(new Map(images.map((image, i) => [image.id, scores[i]!])));

  const { clusters: assignment, centroids } = kmeans(
    embeddings.map((embedding) => Array.from(embedding)),
    k,
    { initialization: 'kmeans++', seed },
  );
  const clusters = centroids.flatMap((centroid, index): Cluster[] => {
    const centre = Float64Array.from(centroid);
    // A near-duplicate group goes whole where its representative went.
    const members = images.flatMap((_, i) => (assignment[representative[i]!] === index ? [i] : []));
    if (members.length === 0) return [];
    const distance = (i: number) => embeddingDistance(embeddings[i]!, centre);
    const medoid = members.reduce((best, i) => (distance(i) < distance(best) ? i : best));
    const groups = new Map<number, Cluster['groups'][number]>();
    for (const i of members) {
      const first = representative[i]!;
      const group = groups.get(first) ?? {
        imageId: images[first]!.id,
        uniqueness: scores[first]!,
        duplicateIds: [],
      };
      if (i !== first) group.duplicateIds.push(images[i]!.id);
      groups.set(first, group);
    }
    return [
      {
        size: members.length,
        medoidImageId: images[medoid]!.id,
        imageIds: members.map((i) => images[i]!.id),
        groups: [...groups.values()].sort((a, b) => b.uniqueness - a.uniqueness || a.imageId - b.imageId),
      },
    ];
  });
  return { plotTypeId, images: images.length, k, clusters: clusters.sort((a, b) => b.size - a.size) };
}
