import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';

/** A run with how many images it has. */
export interface RunSummary {
  number: number;
  started_at: number;
  ended_at: number | null;
  beam_state: string | null;
  images: number;
  last_image_at: number | null;
}

/** Data-taking runs of a deployment. */
export class RunsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The run's id, registering it at its first image. */
  async ensure(deploymentId: number, number: number, startedAt: number): Promise<number> {
    await this.db
      .insertInto('run')
      .values({
        deployment_id: deploymentId,
        number,
        started_at: startedAt,
        ended_at: null,
        beam_state: null,
      })
      .onConflict((oc) => oc.columns(['deployment_id', 'number']).doNothing())
      .execute();
    return (await this.find(deploymentId, number))!;
  }

  /** The run's id, or undefined when the deployment has no run of that number. */
  async find(deploymentId: number, number: number): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('run')
      .select('id')
      .where('deployment_id', '=', deploymentId)
      .where('number', '=', number)
      .executeTakeFirst();
    return row?.id;
  }

  /** Runs of a deployment, newest first, with how many images each has. */
  async list(deploymentId: number, limit: number, offset: number): Promise<RunSummary[]> {
    const rows = await this.db
      .selectFrom('run')
      .leftJoin('image', 'image.run_id', 'run.id')
      .select([
        'run.number',
        'run.started_at',
        'run.ended_at',
        'run.beam_state',
        (eb) => eb.fn.count<number>('image.id').as('images'),
        (eb) => eb.fn.max('image.captured_at').as('last_image_at'),
      ])
      .where('run.deployment_id', '=', deploymentId)
      .groupBy(['run.id', 'run.number', 'run.started_at', 'run.ended_at', 'run.beam_state'])
      .orderBy('run.number', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map((row) => ({
      ...row,
      images: Number(row.images),
      last_image_at: row.last_image_at === null ? null : Number(row.last_image_at),
    }));
  }
}
