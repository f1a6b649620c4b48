import type { ExpressionBuilder, Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';
import type { Database, RunRow } from '../database.ts';

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
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
  ) {}

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
    // The page first, then its runs' images through an index that starts with the run (migration 0016): a join
    // before the limit would count the images of every run of the deployment.
    const page = this.db
      .selectFrom('run')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .orderBy('number', 'desc')
      .limit(limit)
      .offset(offset)
      .as('run');
    const imagesOfRun = (eb: ExpressionBuilder<Database & { run: RunRow }, 'run'>) =>
      eb.selectFrom('image').whereRef('image.run_id', '=', 'run.id');
    const columns = ['run.number', 'run.started_at', 'run.ended_at', 'run.beam_state'] as const;
    // PostgreSQL counts a run's images and finds the last one in one walk of its index range (a lateral join);
    // SQLite has no lateral join, and walks the range once for each figure.
    const rows =
      this.engine === 'postgres'
        ? await this.db
            .selectFrom(page)
            .leftJoinLateral(
              (eb) =>
                imagesOfRun(eb)
                  .select((image) => [
                    image.fn.countAll<number | string>().as('images'),
                    image.fn.max('image.captured_at').as('last_image_at'),
                  ])
                  .as('images'),
              (join) => join.onTrue(),
            )
            .select([...columns, 'images.images', 'images.last_image_at'])
            .orderBy('run.number', 'desc')
            .execute()
        : await this.db
            .selectFrom(page)
            .select((eb) => [
              ...columns,
              imagesOfRun(eb)
                .select((image) => image.fn.countAll<number | string>().as('images'))
                .as('images'),
              imagesOfRun(eb)
                .select((image) => image.fn.max('image.captured_at').as('last_image_at'))
                .as('last_image_at'),
            ])
            .orderBy('run.number', 'desc')
            .execute();
    return rows.map((row) => ({
      ...row,
      images: Number(row.images),
      last_image_at: row.last_image_at === null ? null : Number(row.last_image_at),
    }));
  }
}
