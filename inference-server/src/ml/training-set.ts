// What a training job learns from, and the checks that refuse a set no model can learn from. No TensorFlow.js
// here: the server checks a request with this before it starts a training worker.

/** An image file and the index of its class in the model's class list. */
export interface LabeledFile {
  path: string;
  label: number;
}

export interface TrainingSplit {
  train: LabeledFile[];
  validation: LabeledFile[];
  test: LabeledFile[];
}

/** A training set that cannot train a classifier: too few images, one class only, labels out of range. */
export class TrainingSetError extends Error {
  override name = 'TrainingSetError';
}

/** Fewer training images than this cannot fill a few batches, let alone a validation signal. */
const MIN_TRAINING_IMAGES = 10;
/** Each class needs this many training images for the model to see it more than once per epoch. */
const MIN_IMAGES_PER_CLASS = 2;

function countByClass(images: LabeledFile[], classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const image of images) counts[image.label] = (counts[image.label] ?? 0) + 1;
  return counts;
}

/** The share of the images whose class is the most frequent: what always answering that class scores. */
export function majorityShare(images: LabeledFile[], classCount: number): number {
  return images.length === 0 ? 0 : Math.max(...countByClass(images, classCount)) / images.length;
}

/**
 * Throws a TrainingSetError that says what is missing; returns the number of training images of each class. The
 * test split is checked where there is one (training alone needs none).
 */
export function checkTrainingSet(
  classes: string[],
  split: Omit<TrainingSplit, 'test'> & Partial<Pick<TrainingSplit, 'test'>>,
): number[] {
  if (classes.length < 2) {
    throw new TrainingSetError(`A classifier needs at least two classes, got ${classes.length}`);
  }
  for (const name of ['train', 'validation', 'test'] as const) {
    const outOfRange = split[name]?.find(
      (image) => !Number.isInteger(image.label) || image.label < 0 || image.label >= classes.length,
    );
    if (outOfRange) {
      throw new TrainingSetError(
        `${name} image ${outOfRange.path} has label ${outOfRange.label}; labels index [${classes.join(', ')}]`,
      );
    }
  }
  const { train, validation, test } = split;
  if (train.length < MIN_TRAINING_IMAGES) {
    throw new TrainingSetError(
      `Training needs at least ${MIN_TRAINING_IMAGES} training images, got ${train.length}`,
    );
  }
  const counts = countByClass(train, classes.length);
  const present = classes.filter((_, index) => (counts[index] ?? 0) > 0);
  if (present.length < 2) {
    throw new TrainingSetError(
      `Training needs images of at least two classes; all ${train.length} training images are '${present[0]}'`,
    );
  }
  const scarce = classes.filter((_, index) => (counts[index] ?? 0) < MIN_IMAGES_PER_CLASS);
  if (scarce.length > 0) {
    throw new TrainingSetError(
      `Every class needs at least ${MIN_IMAGES_PER_CLASS} training images; too few of ` +
        scarce.map((name) => `'${name}' (${counts[classes.indexOf(name)]})`).join(', '),
    );
  }
  if (validation.length === 0) {
    throw new TrainingSetError(
      'Training needs validation images (for early stopping and thresholds), got none',
    );
  }
  if (test?.length === 0) {
    throw new TrainingSetError('Training needs test images (for the confusion matrix and metrics), got none');
  }
  return counts;
}
