import type { BeamState, ModelKind } from '../enums.ts';

/**
 * One classified image: what the batcher stores, what every sink receives, and what the API reads back.
 * Names, not only ids, so that a sink needs no catalog query.
 */
export interface Verdict {
  /** The stored prediction's id. */
  id: number;
  imageId: number;
  deployment: string;
  plotTypeId: number;
  plotType: string;
  run: number | null;
  modelVersionId: number;
  model: string;
  modelVersion: number;
  kind: ModelKind;
  /** Per class: the probability (classifier). */
  scores: Record<string, number>;
  verdict: string;
  confidence: number;
  /** The score reached its class threshold. */
  confirmed: boolean;
  /** The beam when the verdict was made. */
  beam: BeamState;
  /** From acceptance to verdict. */
  latencyMs: number;
  /** The image's share of its batch's forward pass. */
  inferenceMs: number;
  capturedAt: number;
  createdAt: number;
  /** Made by this reprocessing job, not live: it drives no live view and reaches no sink. */
  reprocessJobId?: number;
  /** The plot type's active autoencoder's reading of the image, beside the verdict; absent when it had none. */
  anomaly?: Anomaly;
  /** How far the image is from its plot type's reference, beside the verdict; absent when it had none. */
  reference?: ReferenceDistance;
}

export type Decision = Pick<Verdict, 'verdict' | 'confidence' | 'confirmed' | 'scores'>;

/** What a model version's outputs are judged by. */
export interface VerdictRule {
  kind: ModelKind;
  classes: string[];
  thresholds: Record<string, number>;
}

/** Threshold of a class with none set: a verdict is confirmed when it is more likely than not. */
export const DEFAULT_THRESHOLD = 0.5;

/** The one place where a kind's raw outputs become a verdict. */
export function decideVerdict(rule: VerdictRule, outputs: number[]): Decision {
  switch (rule.kind) {
    case 'classifier':
      return decideClassifier(rule, outputs);
    case 'autoencoder':
      throw new Error('an autoencoder scores images beside the verdict (anomalyOf); it makes no verdict');
    case 'siamese':
      throw new Error(
        'a Siamese encoder measures distances beside the verdict (referenceDistanceOf); it makes no verdict',
      );
  }
}

/** An autoencoder's reading of an image, written beside the verdict. */
export interface Anomaly {
  anomalyVersionId: number;
  anomalyScore: number;
  /** The score exceeded the version's calibrated threshold. */
  anomalous: boolean;
}

/** The one place where an autoencoder's score becomes "anomalous" or not. */
export function anomalyOf(anomalyVersionId: number, threshold: number, [score]: number[]): Anomaly {
  if (score === undefined || !Number.isFinite(score)) {
    throw new Error(`the autoencoder gave no finite anomaly score (${String(score)})`);
  }
  return { anomalyVersionId, anomalyScore: score, anomalous: score > threshold };
}

/** An image's distance from its plot type's current reference. */
export interface ReferenceDistance {
  referenceImageId: number;
  /** The Siamese encoder whose embeddings were compared; null: the plain pixel distance. */
  siameseVersionId: number | null;
  distance: number;
  /** The distance exceeded the encoder's calibrated threshold; null: no threshold (the pixel distance has none). */
  anomalous: boolean | null;
}

/** The one place where a distance from the reference becomes "anomalous" or not. */
export function referenceDistanceOf(
  referenceImageId: number,
  siamese: { versionId: number; threshold: number } | null,
  distance: number,
): ReferenceDistance {
  if (!Number.isFinite(distance))
    throw new Error(`the distance from the reference is not finite (${distance})`);
  return {
    referenceImageId,
    siameseVersionId: siamese?.versionId ?? null,
    distance,
    anomalous: siamese ? distance > siamese.threshold : null,
  };
}

/** The verdict is the most probable class; it is confirmed when its probability reaches the class threshold. */
function decideClassifier({ classes, thresholds }: VerdictRule, probabilities: number[]): Decision {
  if (classes.length !== probabilities.length || classes.length === 0) {
    throw new Error(
      `the model gives ${probabilities.length} outputs but the version has ${classes.length} classes`,
    );
  }
  let best = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i]! > probabilities[best]!) best = i;
  const verdict = classes[best]!;
  const confidence = probabilities[best]!;
  return {
    verdict,
    confidence,
    confirmed: confidence >= (thresholds[verdict] ?? DEFAULT_THRESHOLD),
    scores: Object.fromEntries(classes.map((name, i) => [name, probabilities[i]!])),
  };
}
