import type { IPoint } from 'influx';

export interface PredictionPointInput {
  predictionId: number;
  createdAt: number;
  deployment: string;
  plotType: string;
  model: string;
  modelVersion: number;
  verdict: string;
  confirmed: boolean;
  probabilities: Record<string, number>;
  confidence: number;
  run: number | null;
  imageId: number;
  latencyMs: number;
}

/**
 * The `hydra_prediction` point of one prediction. Its timestamp is the prediction time in ms with the
 * prediction id in the sub-millisecond digits: two predictions never share a series and time, and a retried
 * write of the same prediction lands on the same point.
 */
export function predictionPoint(p: PredictionPointInput): IPoint {
  const fields: Record<string, number> = {
    confidence: p.confidence,
    image_id: p.imageId,
    latency_ms: p.latencyMs,
  };
  for (const [name, probability] of Object.entries(p.probabilities)) fields[`p_${name}`] = probability;
  if (p.run !== null) fields.run = p.run;
  return {
    measurement: 'hydra_prediction',
    tags: {
      deployment: p.deployment,
      plot_type: p.plotType,
      verdict: p.verdict,
      model: p.model,
      model_version: String(p.modelVersion),
      confirmed: String(p.confirmed),
    },
    fields,
    timestamp: (BigInt(p.createdAt) * 1_000_000n + BigInt(p.predictionId % 1_000_000)).toString(),
  };
}
