import type { IPoint } from 'influx';
import type { Verdict } from '../pipeline/verdict.ts';

/**
 * The `hydra_prediction` point of one verdict. Its timestamp is the prediction time in ms with the
 * prediction id in the sub-millisecond digits: two predictions never share a series and time, and a retried
 * write of the same prediction lands on the same point.
 */
export function predictionPoint(v: Verdict): IPoint {
  const fields: Record<string, number> = {
    confidence: v.confidence,
    image_id: v.imageId,
    latency_ms: v.latencyMs,
  };
  for (const [name, score] of Object.entries(v.scores)) fields[`p_${name}`] = score;
  if (v.run !== null) fields.run = v.run;
  // Beside the verdict, never in its place: the autoencoder's score, and 1 when it passed the calibrated threshold.
  if (v.anomaly) {
    fields.anomaly_score = v.anomaly.anomalyScore;
    fields.anomalous = v.anomaly.anomalous ? 1 : 0;
  }
  // Likewise the distance from the plot type's reference, and 1 when it passed the Siamese encoder's threshold.
  if (v.reference) {
    fields.reference_distance = v.reference.distance;
    fields.reference_image_id = v.reference.referenceImageId;
    if (v.reference.anomalous !== null) fields.reference_anomalous = v.reference.anomalous ? 1 : 0;
  }
  return {
    measurement: 'hydra_prediction',
    tags: {
      deployment: v.deployment,
      plot_type: v.plotType,
      verdict: v.verdict,
      model: v.model,
      model_version: String(v.modelVersion),
      kind: v.kind,
      confirmed: String(v.confirmed),
      beam: v.beam,
    },
    fields,
    timestamp: (BigInt(v.createdAt) * 1_000_000n + BigInt(v.id % 1_000_000)).toString(),
  };
}
