// What a model version must satisfy to be registered: each failure says which check, and for which model.
import type { InputShape } from '../catalog/repositories/models-repository.ts';
import type { ModelKind } from '../enums.ts';
import { InvalidInputError } from '../errors.ts';
import type { ModelShape } from '../inference/messages.ts';
import { misfitOf } from '../ml/score.ts';

/** The largest image side a model may take: as much as a TrainRequest's inputShape allows. */
export const MAX_INPUT_SIDE = 1024;

/** Each class names one output: a class named twice would make two outputs indistinguishable. */
export function checkClassNames(classes: readonly string[]): void {
  const repeated = classes.filter((name, index) => classes.indexOf(name) !== index);
  if (repeated.length) {
    throw new InvalidInputError(
      `the classes name ${[...new Set(repeated)].join(', ')} more than once: name each class once`,
    );
  }
}

/** Images are resized to the model's input: it must be a plain image of a size the server can afford. */
export function checkInputShape(modelName: string, [height, width, channels]: InputShape): void {
  if (![height, width].every((side) => Number.isInteger(side) && side >= 1 && side <= MAX_INPUT_SIDE)) {
    throw new InvalidInputError(
      `model "${modelName}" takes ${height}×${width} images: each side must be 1 to ${MAX_INPUT_SIDE} pixels`,
    );
  }
  if (![1, 3].includes(channels)) {
    throw new InvalidInputError(
      `model "${modelName}" takes ${channels} channels; 1 (grayscale) or 3 (RGB) are supported`,
    );
  }
}

/** The loaded model must give what its kind scores: for a classifier, one output per class. */
export function checkModelFits(
  modelName: string,
  kind: ModelKind,
  shape: ModelShape,
  classes: readonly string[],
): void {
  const misfit = misfitOf(kind, shape, { inputShape: shape.inputShape, classes });
  if (misfit !== undefined) throw new InvalidInputError(`model "${modelName}" ${misfit}`);
}
