import type { Kysely } from 'kysely';
import { NotFoundError } from '../../errors.ts';
import type { Database, NewsRow } from '../database.ts';

export type { NewsRow };

export type NewNews = Omit<NewsRow, 'id'>;

/** One-line news items that admins post for a deployment (or all of them), optionally until a time. */
export class NewsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(news: NewNews): Promise<NewsRow> {
    return this.db.insertInto('news').values(news).returningAll().executeTakeFirstOrThrow();
  }

  async delete(id: number): Promise<void> {
    const result = await this.db.deleteFrom('news').where('id', '=', id).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw new NotFoundError(`news item ${id} does not exist`);
  }

  /** Items not expired at `now`, newest first: for the deployment and for all deployments, or every one. */
  async current(deploymentId: number | undefined, now = Date.now()): Promise<NewsRow[]> {
    let query = this.db
      .selectFrom('news')
      .selectAll()
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
    if (deploymentId !== undefined) {
      query = query.where((eb) =>
        eb.or([eb('deployment_id', 'is', null), eb('deployment_id', '=', deploymentId)]),
      );
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  }
}
