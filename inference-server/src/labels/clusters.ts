import { kmeans } from 'ml-kmeans';
import sharp from 'sharp';
import type { Catalog } from '../catalog/catalog.ts';
import { InvalidInputError } from '../errors.ts';
import type { ImageStore } from '../images/image-store.ts';
import type { ClusterList, ClusterQuery } from '../schemas/index.ts';

// Clusters of a plot type's unlabeled images, for labeling a whole cluster after a look at its medoid: k-means
// (ml-kmeans, k-means++ from a seed) on each image as a small grayscale thumbnail. Plots of one plot type share
// their frame, axes and text, so what differs between thumbnails is what the plot shows.

/** Side of the grayscale thumbnail an image is embedded as (shrunk with area averaging, 0..1 per pixel). */
const EMBEDDING_SIDE = 24;

async function embed(file: string): Promise<number[]> {
  const pixels = await sharp(file)
    .greyscale()
    .resize(EMBEDDING_SIDE, EMBEDDING_SIDE, { fit: 'fill' })
    .raw()
    .toBuffer();
  return Array.from(pixels, (value) => value / 255);
}

const squaredDistance = (a: number[], b: number[]) =>
  a.reduce((sum, value, i) => sum + (value - b[i]!) ** 2, 0);

/**
 * The plot type's newest `limit` unlabeled images in `k` clusters, the largest first, each with its medoid (the
 * member nearest the cluster's centre) and every member's id. A plot type with no unlabeled image has no cluster.
 */
export async function unlabeledClusters(
  catalog: Catalog,
  store: ImageStore,
  plotTypeId: number,
  { k, limit, seed }: ClusterQuery,
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
  const embeddings = await Promise.all(images.map((image) => embed(store.resolve(image.path))));
  const { clusters: assignment, centroids } = kmeans(embeddings, k, { initialization: 'kmeans++', seed });
  const clusters = centroids.map((centre, index) => {
    const members = images.flatMap((image, i) => (assignment[i] === index ? [{ image, i }] : []));
    const medoid = members.reduce((best, member) =>
      squaredDistance(embeddings[member.i]!, centre) < squaredDistance(embeddings[best.i]!, centre)
        ? member
        : best,
    );
    return {
      size: members.length,
      medoidImageId: medoid.image.id,
      imageIds: members.map(({ image }) => image.id),
    };
  });
  return {
    plotTypeId,
    images: images.length,
    k,
    clusters: clusters.filter((cluster) => cluster.size > 0).sort((a, b) => b.size - a.size),
  };
}
