import type * as tf from '@tensorflow/tfjs';
import { createInceptionV3 } from './inceptionv3.ts';
import { createSmallCnn } from './small-cnn.ts';
import { createVgg16 } from './vgg16.ts';

import type { ArchitectureName } from '../../enums.ts';

export type { ArchitectureName };

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
