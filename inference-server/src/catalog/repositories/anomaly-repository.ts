import type { Kysely } from 'kysely';
import { NotFoundError } from '../../errors.ts';
import type { Database } from '../database.ts';
import type { EncoderKind } from '../../enums.ts';

/** An autoencoder version's threshold, as chosen on its plot type's recent images. */
export interface AnomalyCalibration {
  threshold: number;
  targetRate: number;
  /** How many recent images it was chosen on. */
  images: number;
}

/** The plot type's column naming its encoder of each kind, whose readings the verdicts carry beside them. */
const ACTIVE_COLUMNS = {
  autoencoder: 'active_anomaly_version_id',
  siamese: 'active_siamese_version_id',
} as const satisfies Record<EncoderKind, string>;

/** One of a plot type's recent images, as an autoencoder learns from it. */
export interface RecentImage {
  id: number;
  path: string;
}

/**
 * Which autoencoder and which Siamese encoder score each plot type's images beside the verdict, and the thresholds
 * their versions were calibrated with.
 */
export class AnomalyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async setCalibration(
    versionId: number,
    { threshold, targetRate, images }: AnomalyCalibration,
  ): Promise<void> {
    await this.db
      .updateTable('model_version')
      .set({ anomaly_threshold: threshold, anomaly_target_rate: targetRate, calibration_images: images })
      .where('id', '=', versionId)
      .execute();
  }

  /** The version's calibration; null for a version that is no calibrated autoencoder. */
  async calibration(versionId: number): Promise<AnomalyCalibration | null> {
    const row = await this.db
      .selectFrom('model_version')
      .select(['anomaly_threshold', 'anomaly_target_rate', 'calibration_images'])
      .where('id', '=', versionId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`model version ${versionId} does not exist`);
    const { anomaly_threshold: threshold, anomaly_target_rate: targetRate, calibration_images: images } = row;
    if (threshold === null || targetRate === null || images === null) return null;
    return { threshold, targetRate, images };
  }

  /**
   * Makes the version the plot type's encoder of `kind`: the next verdicts carry its readings (an autoencoder's score,
   * a Siamese encoder's distance from the reference).
   */
  async activateEncoder(kind: EncoderKind, plotTypeId: number, versionId: number | null): Promise<void> {
    const result = await this.db
      .updateTable('plot_type')
      .set({ [ACTIVE_COLUMNS[kind]]: versionId })
      .where('id', '=', plotTypeId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0)
      throw new NotFoundError(`plot type ${plotTypeId} does not exist`);
  }

  async activeEncoderVersionId(kind: EncoderKind, plotTypeId: number): Promise<number | null> {
    const row = await this.db
      .selectFrom('plot_type')
      .select(['active_anomaly_version_id', 'active_siamese_version_id'])
      .where('id', '=', plotTypeId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`plot type ${plotTypeId} does not exist`);
    return row[ACTIVE_COLUMNS[kind]];
  }

  /** The plot type's newest images that decoded (not failed), newest first. */
  async recentImages(plotTypeId: number, limit: number): Promise<RecentImage[]> {
    return this.db
      .selectFrom('image')
      .select(['id', 'path'])
      .where('plot_type_id', '=', plotTypeId)
      .where('status', '!=', 'failed')
      .orderBy('captured_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}
