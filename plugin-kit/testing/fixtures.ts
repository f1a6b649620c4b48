import type { Prediction } from '@hydra/inference-server/api';

/** A verdict as the server sends it, for tests that build frames without a server; fields override. */
export function predictionFixture(fields: Partial<Prediction> & Pick<Prediction, 'verdict'>): Prediction {
  const createdAt = fields.createdAt ?? '2025-01-01T00:00:00.000Z';
  return {
    id: 1,
    imageId: 1,
    deployment: 'halld',
    plotType: 'CDC',
    run: 7,
    modelVersionId: 1,
    model: 'cdc',
    modelVersion: 1,
    kind: 'classifier',
    probabilities: { Good: fields.verdict === 'Good' ? 0.9 : 0.1, Bad: fields.verdict === 'Bad' ? 0.9 : 0.1 },
    confidence: 0.9,
    confirmed: true,
    beam: 'unknown',
    latencyMs: 10,
    capturedAt: createdAt,
    createdAt,
    ...fields,
  };
}
