// How a training job adapts its schedule to a small training set. The defaults (batches of 16, 20 epochs) suit a
// few hundred images: on 20 images they make 2 optimizer steps an epoch and 40 in all, too few for a model trained
// from scratch to leave the trivial answer (its loss stays at ln of the class count).

/** An epoch of fewer batches than this is a small set's: the batch shrinks until an epoch has this many. */
export const MIN_BATCHES_PER_EPOCH = 4;
/** A small set trains for at least this many optimizer steps, unless early stopping ends it once it has learned. */
export const MIN_STEPS = 100;

export interface Schedule {
  epochs: number;
  batchSize: number;
}

/**
 * The schedule for `trainImages` training images: the requested one, or for a small set smaller batches (at least
 * MIN_BATCHES_PER_EPOCH an epoch) and more epochs (at least MIN_STEPS steps), with a sentence for the job's log
 * that says what changed and why.
 */
export function smallSetSchedule(
  trainImages: number,
  requested: Schedule,
): { schedule: Schedule; note?: string } {
  const batches = Math.ceil(trainImages / requested.batchSize);
  if (batches >= MIN_BATCHES_PER_EPOCH) return { schedule: requested };
  const batchSize = Math.max(1, Math.floor(trainImages / MIN_BATCHES_PER_EPOCH));
  const steps = Math.ceil(trainImages / batchSize);
  const epochs = Math.max(requested.epochs, Math.ceil(MIN_STEPS / steps));
  const moreEpochs =
    epochs > requested.epochs
      ? `, for up to ${epochs} epochs instead of ${requested.epochs} (${MIN_STEPS} steps)`
      : '';
  return {
    schedule: { epochs, batchSize },
    note:
      `small training set: ${trainImages} images fill ${batches} batch${batches === 1 ? '' : 'es'} of ` +
      `${requested.batchSize}; batches of ${batchSize} instead (${steps} an epoch)${moreEpochs}`,
  };
}
