/**
 * What a model's outputs mean, and so how its images are scored (see score.ts). Autoencoders and siamese networks
 * come later. A tuple, so that the server's schemas can list the kinds too.
 */
export const MODEL_KINDS = ['classifier'] as const;

export type ModelKind = (typeof MODEL_KINDS)[number];
