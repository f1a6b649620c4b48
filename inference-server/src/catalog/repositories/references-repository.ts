import type { Kysely } from 'kysely';
import { atomically } from './atomically.ts';
import { NotFoundError } from '../../errors.ts';
import type { Database, ReferenceRow } from '../database.ts';

export type { ReferenceRow };

/** Each plot type's reference image, with its history: a newer one supersedes, the older one stays. */
export class ReferencesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async set(plotTypeId: number, imageId: number, user: string, now = Date.now()): Promise<ReferenceRow> {
    return atomically(this.db, async (trx) => {
      const image = await trx
        .selectFrom('image')
        .select('plot_type_id')
        .where('id', '=', imageId)
        .executeTakeFirst();
      if (!image) throw new NotFoundError(`no image with id ${imageId}`);
      if (image.plot_type_id !== plotTypeId) {
        throw new NotFoundError(`image ${imageId} is not a plot of plot type ${plotTypeId}`);
      }
      await trx
        .updateTable('reference')
        .set({ superseded_at: now })
        .where('plot_type_id', '=', plotTypeId)
        .where('superseded_at', 'is', null)
        .execute();
      return trx
        .insertInto('reference')
        .values({
          plot_type_id: plotTypeId,
          image_id: imageId,
          set_by: user,
          created_at: now,
          superseded_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  /** The current reference first, then the ones it replaced. */
  async list(plotTypeId: number): Promise<ReferenceRow[]> {
    return this.db
      .selectFrom('reference')
      .selectAll()
      .where('plot_type_id', '=', plotTypeId)
      .orderBy('id', 'desc')
      .execute();
  }

  /** The plot type's current reference, with its file; undefined when it has none. */
  async current(plotTypeId: number): Promise<{ imageId: number; path: string } | undefined> {
    return this.db
      .selectFrom('reference')
      .innerJoin('image', 'image.id', 'reference.image_id')
      .select(['reference.image_id as imageId', 'image.path'])
      .where('reference.plot_type_id', '=', plotTypeId)
      .where('reference.superseded_at', 'is', null)
      .orderBy('reference.id', 'desc')
      .executeTakeFirst();
  }
}
