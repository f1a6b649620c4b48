import type * as tf from '@tensorflow/tfjs';

/** What a model takes and gives, as a model version must be registered with it. */
export interface ModelShape {
  /** [height, width, channels] of one image. */
  inputShape: [number, number, number];
  /** The size of the output's last axis: one unit per class for a classifier. */
  outputUnits: number;
}

/** The shape of a model of one image input (of fixed size) and one output; throws for any other model. */
export function modelShape(model: tf.LayersModel): ModelShape {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(
      `Model ${model.name} has ${model.inputs.length} inputs and ${model.outputs.length} outputs; one of each is needed`,
    );
  }
  const input = model.inputs[0]?.shape ?? [];
  const [, height, width, channels] = input;
  const size = input.slice(1).map(String).join(', ');
  if (
    input.length !== 4 ||
    typeof height !== 'number' ||
    typeof width !== 'number' ||
    typeof channels !== 'number'
  ) {
    throw new Error(
      `Model ${model.name} takes input [${size}]; it needs an image of fixed [height, width, channels]`,
    );
  }
  const outputUnits = model.outputs[0]?.shape.at(-1);
  if (typeof outputUnits !== 'number') {
    throw new Error(`Model ${model.name} gives outputs of unknown size`);
  }
  return { inputShape: [height, width, channels], outputUnits };
}
