import type { Kysely } from 'kysely';
import type { Role } from '../../enums.ts';
import { NotFoundError } from '../../errors.ts';
import type { ApiTokenRow as ApiTokenTableRow, Database } from '../database.ts';
import { flag, toFlag } from './json-columns.ts';

/** A token with its flag as a boolean. */
export interface ApiTokenRow extends Omit<ApiTokenTableRow, 'grafana_proxy'> {
  /** Grafana holds it and names the person who acts (X-Grafana-User). */
  grafana_proxy: boolean;
}

const decodeToken = (row: ApiTokenTableRow): ApiTokenRow => ({
  ...row,
  grafana_proxy: flag(row.grafana_proxy),
});

/** API tokens: only their hashes are kept. */
export class TokensRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(
    name: string,
    role: Role,
    tokenHash: string,
    { grafanaProxy = false }: { grafanaProxy?: boolean } = {},
  ): Promise<ApiTokenRow> {
    const row = await this.db
      .insertInto('api_token')
      .values({
        name,
        role,
        token_hash: tokenHash,
        created_at: Date.now(),
        last_used_at: null,
        grafana_proxy: toFlag(grafanaProxy),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return decodeToken(row);
  }

  async findByHash(tokenHash: string): Promise<ApiTokenRow | undefined> {
    const row = await this.db
      .selectFrom('api_token')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && decodeToken(row);
  }

  /** Every token, oldest first; `name` keeps those of that name. */
  async list({ name }: { name?: string } = {}): Promise<ApiTokenRow[]> {
    let query = this.db.selectFrom('api_token').selectAll();
    if (name !== undefined) query = query.where('name', '=', name);
    return (await query.orderBy('id').execute()).map(decodeToken);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('api_token')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async touch(id: number, now = Date.now()): Promise<void> {
    await this.db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  /**
   * Deletes the token and returns what it was. Every replica looks a request's token up in the catalog, so each
   * refuses it from its next request on.
   */
  async revoke(id: number): Promise<ApiTokenRow> {
    const row = await this.db.deleteFrom('api_token').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new NotFoundError(`there is no API token with id ${id} (GET /api/v1/tokens lists them)`);
    return decodeToken(row);
  }
}
