import { Type, type Static } from 'typebox';

export const ClusterQuery = Type.Object({
  k: Type.Integer({ minimum: 1, maximum: 100, default: 10, description: 'Clusters to make' }),
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
});
export type ClusterQuery = Static<typeof ClusterQuery>;

export const Cluster = Type.Object({
  size: Type.Integer(),
  medoidImageId: Type.Integer({ description: 'The member nearest the centre: the one to look at first' }),
  imageIds: Type.Array(Type.Integer(), {
    description: 'Every member, oldest first: POST /api/v1/labels with these labels exactly this cluster',
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
