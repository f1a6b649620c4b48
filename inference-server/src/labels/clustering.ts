import { kmeans } from 'ml-kmeans';
import { embedThumbnails, embeddingDistance } from './embedding.ts';
import { nearDuplicateGroups, uniqueness } from './similarity.ts';

// The arithmetic of the Labeler's clusters, apart from the catalog and the files so that it runs on a worker thread
// (about 5 s of CPU for 2,000 images: features, every pair's distance, k-means).

export interface ClusteringImage {
  id: number;
  runId: number | null;
  capturedAt: number;
}

export interface ClusteringRequest {
  /** One thumbnail per image (embedding.ts), in the order of `images`. */
  thumbnails: Uint8Array[];
  images: ClusteringImage[];
  k: number;
  seed: number;
  duplicateDistance: number;
}

/** Indexes into the request's images. */
export interface Clustering {
  /** Each image's near-duplicate group, as the index of its first image (the representative). */
  representative: number[];
  /** Each image's uniqueness, 0 to 1. */
  uniqueness: number[];
  /** The non-empty clusters: members (near-duplicate groups whole, in their representative's cluster) and medoid. */
  clusters: Array<{ members: number[]; medoid: number }>;
}

/** k-means (ml-kmeans, k-means++ from `seed`) on the images' embeddings, with near-duplicate groups and uniqueness. */
export function clusterThumbnails({
  thumbnails,
  images,
  k,
  seed,
  duplicateDistance,
}: ClusteringRequest): Clustering {
  const embeddings = embedThumbnails(thumbnails);
  const representative = nearDuplicateGroups(
    images.map((image, i) => ({ ...image, embedding: embeddings[i]! })),
    duplicateDistance,
  );
  const { clusters: assignment, centroids } = kmeans(
    embeddings.map((embedding) => Array.from(embedding)),
    k,
    { initialization: 'kmeans++', seed },
  );
  const clusters = centroids.flatMap((centroid, index) => {
    const centre = Float64Array.from(centroid);
    const members = images.flatMap((_, i) => (assignment[representative[i]!] === index ? [i] : []));
    if (members.length === 0) return [];
    const distance = (i: number) => embeddingDistance(embeddings[i]!, centre);
    return [{ members, medoid: members.reduce((best, i) => (distance(i) < distance(best) ? i : best)) }];
  });
  return { representative, uniqueness: uniqueness(embeddings, representative), clusters };
}
