import type { IPoint } from 'influx';
import type { Catalog } from '../catalog/catalog.ts';
import type { LabelRow } from '../catalog/repositories/labels-repository.ts';
import type { VersionAgreement } from '../schemas/models.ts';

/**
 * How often experts agree with a model version: every human label given after a prediction is a vote.
 * A falling rate says when a model needs retraining.
 */
export class AgreementTracker {
  constructor(
    private readonly catalog: Catalog,
    private readonly writePoints: (points: IPoint[]) => void,
  ) {}

  /** One `hydra_model_agreement` point per new human label of an image the model had classified. */
  async recordLabels(labels: LabelRow[]): Promise<void> {
    if (labels.length === 0) return;
    const pairs = await this.catalog.labels.afterPredictions({
      labelIds: labels.map((label) => label.id),
    });
    this.writePoints(
      pairs.map((pair) => ({
        measurement: 'hydra_model_agreement',
        tags: {
          deployment: pair.deployment,
          plot_type: pair.plot_type,
          model: pair.model_name,
          model_version: String(pair.version),
          source: pair.source,
          label: pair.class_name,
          verdict: pair.verdict,
        },
        fields: { agree: pair.class_name === pair.verdict ? 1 : 0, image_id: pair.image_id },
        // The label id in the sub-millisecond digits keeps every label its own point (see prediction-points).
        timestamp: (BigInt(pair.labeled_at) * 1_000_000n + BigInt(pair.label_id % 1_000_000)).toString(),
      })),
    );
  }

  async summary(plotTypeId: number): Promise<VersionAgreement[]> {
    const pairs = await this.catalog.labels.afterPredictions({ plotTypeId });
    const byVersion = new Map<number, VersionAgreement>();
    for (const pair of pairs) {
      const entry = byVersion.get(pair.model_version_id) ?? {
        modelVersionId: pair.model_version_id,
        version: pair.version,
        agreed: 0,
        labeled: 0,
        rate: null,
        daily: [],
      };
      const agree = pair.class_name === pair.verdict ? 1 : 0;
      entry.agreed += agree;
      entry.labeled += 1;
      const day = new Date(pair.labeled_at).toISOString().slice(0, 10);
      const bucket =
        entry.daily.find((d) => d.day === day) ??
        entry.daily[entry.daily.push({ day, agreed: 0, labeled: 0 }) - 1]!;
      bucket.agreed += agree;
      bucket.labeled += 1;
      byVersion.set(pair.model_version_id, entry);
    }
    return [...byVersion.values()].map((entry) => ({ ...entry, rate: entry.agreed / entry.labeled }));
  }
}
