import type * as tf from '@tensorflow/tfjs';
import { createInceptionV3 } from './inceptionv3.ts';
import { createSmallCnn } from './small-cnn.ts';
import { createVgg16 } from './vgg16.ts';

export const architectureNames = ['small-cnn', 'inceptionv3', 'vgg16'] as const;
export type ArchitectureName = (typeof architectureNames)[number];

export interface ArchitectureOptions {
  inputShape: [number, number, number];
  numClasses: number;
  seed?: number;
}

const factories: Record<ArchitectureName, (options: ArchitectureOptions) => tf.LayersModel> = {
  'small-cnn': createSmallCnn,
  inceptionv3: createInceptionV3,
  vgg16: createVgg16,
};

/** A new model of the named architecture, with random (seeded) weights. */
export function createArchitecture(name: ArchitectureName, options: ArchitectureOptions): tf.LayersModel {
  return factories[name](options);
}
