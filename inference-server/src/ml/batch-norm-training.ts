import * as tf from '@tensorflow/tfjs';

/** The part of tfjs-layers' BatchNormalization that its training-mode call reads. */
interface BatchNormalizationInternals {
  gamma: tf.LayerVariable | null;
}

/**
 * tfjs-layers' BatchNormalization cannot run in training mode with `scale: false` (as in Keras's InceptionV3): it
 * reads a gamma that it never created (tensorflow/tfjs#2868). Gives each such layer a constant gamma of ones, which
 * is what no scale means, outside its weights (so a saved model keeps Keras's topology), and returns the function
 * that takes them away again.
 */
export function enableScalelessBatchNormTraining(model: tf.LayersModel): () => void {
  const patched: { layer: BatchNormalizationInternals; gamma: tf.LayerVariable }[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization' || layer.getConfig().scale !== false) continue;
    const internals = layer as unknown as BatchNormalizationInternals;
    if (internals.gamma != null) continue;
    const outputShape = layer.outputShape as (number | null)[];
    const axis = layer.getConfig().axis as number;
    const channels = outputShape.at(axis);
    if (typeof channels !== 'number') {
      throw new Error(`BatchNormalization layer ${layer.name} has no known size on its axis ${axis}`);
    }
    const ones = tf.ones([channels]);
    const gamma = new tf.LayerVariable(ones, 'float32', `${layer.name}/constant_gamma`, false);
    ones.dispose();
    internals.gamma = gamma;
    patched.push({ layer: internals, gamma });
  }
  return () => {
    for (const { layer, gamma } of patched) {
      layer.gamma = null;
      gamma.dispose();
    }
  };
}
