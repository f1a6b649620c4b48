import { Type, type Static } from 'typebox';

export const ClusterQuery = Type.Object({
  k: Type.Integer({ minimum: 1, maximum: 100, default: 30, description: 'Clusters to make' }),
  limit: Type.Integer({
    minimum: 1,
    maximum: 5000,
    default: 2000,
    description: 'Clusters the newest this many unlabeled images',
  }),
  seed: Type.Integer({
    minimum: 0,
    default: 1,
    description: 'Seeds k-means++: the same images give the same clusters',
  }),
  duplicateDistance: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0.008,
    description:
      'Consecutive images of one run closer than this (root-mean-square embedding difference; different ' +
      'simulated runs of one plot type are about 0.001 to 0.006 apart, a fault 0.014 or more from any good plot) ' +
      'are near-duplicates: one group, one tile. 0: none',
  }),
});
export type ClusterQuery = Static<typeof ClusterQuery>;

export const NearDuplicateGroup = Type.Object({
  imageId: Type.Integer({ description: 'The group’s representative: its first image, the tile to show' }),
  uniqueness: Type.Number({
    description:
      'How unlike the other clustered images the representative is (its near-duplicates left aside), as the share ' +
      'of them that are less unique: 0 to 1. Also written on the image: GET /labels?sort=most-unique',
  }),
  duplicateIds: Type.Array(Type.Integer(), {
    description: 'The later chunks of its run that look like it, oldest first; labeled with the cluster',
  }),
});
export type NearDuplicateGroup = Static<typeof NearDuplicateGroup>;

export const Cluster = Type.Object({
  size: Type.Integer(),
  medoidImageId: Type.Integer({ description: 'The member nearest the centre: the one to look at first' }),
  imageIds: Type.Array(Type.Integer(), {
    description: 'Every member, oldest first: POST /api/v1/labels with these labels exactly this cluster',
  }),
  groups: Type.Array(NearDuplicateGroup, {
    description:
      'The members as near-duplicate groups, the most unique first (the ones to check before labeling the cluster)',
  }),
});
export type Cluster = Static<typeof Cluster>;

export const ClusterList = Type.Object({
  plotTypeId: Type.Integer(),
  images: Type.Integer({ description: 'Unlabeled images clustered' }),
  k: Type.Integer(),
  clusters: Type.Array(Cluster, {
    description: 'Largest first; none when the plot type has no unlabeled image',
  }),
});
export type ClusterList = Static<typeof ClusterList>;
