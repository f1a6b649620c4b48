import type { Kysely } from 'kysely';
import { UnknownReferenceError } from '../../errors.ts';
import type { Database, DeploymentRow } from '../database.ts';
import { assertValidName } from '../../schemas/names.ts';

export type { DeploymentRow };

/** Deployments: the experiments or halls whose plots Hydra watches. */
export class DeploymentsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(name: string): Promise<DeploymentRow | undefined> {
    return this.db.selectFrom('deployment').selectAll().where('name', '=', name).executeTakeFirst();
  }

  /** The deployment a request names; an unknown name is the caller's mistake, not a missing route. */
  async require(name: string): Promise<DeploymentRow> {
    const found = await this.find(name);
    if (!found) throw new UnknownReferenceError(`deployment "${name}" is not registered`);
    return found;
  }

  async list(): Promise<DeploymentRow[]> {
    return this.db.selectFrom('deployment').selectAll().orderBy('name').execute();
  }

  async ensure(name: string, title = name): Promise<DeploymentRow> {
    assertValidName('deployment', name);
    await this.db
      .insertInto('deployment')
      .values({ name, title, created_at: Date.now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return this.db.selectFrom('deployment').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  }
}
