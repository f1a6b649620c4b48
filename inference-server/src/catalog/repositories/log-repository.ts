import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { InvalidInputError, NotFoundError } from '../../errors.ts';
import type { Database } from '../database.ts';
import { flag, toFlag } from './json-columns.ts';

export interface LogFilter {
  deploymentId?: number;
  from: number;
  to: number;
  runFrom?: number;
  runTo?: number;
  plotTypeId?: number;
  verdict?: string;
  confirmed?: boolean;
  acknowledged?: boolean;
}

/** Where a page starts: after this entry in the log's order (newest first). */
export interface LogCursor {
  createdAt: number;
  predictionId: number;
}

/** A non-Good verdict, with its acknowledgement if someone gave one. */
export interface LogEntryRow {
  prediction_id: number;
  image_id: number;
  deployment: string;
  plot_type_id: number;
  plot_type: string;
  run_number: number | null;
  verdict: string;
  confidence: number;
  confirmed: boolean;
  created_at: number;
  acknowledgement: { user: string; comment: string | null; at: number } | null;
}

/**
 * The monitoring log: every verdict whose class is not Good (its severity in the plot type's classes is not
 * `ok`; a verdict of a class the plot type does not list counts as not Good), and who acknowledged it.
 */
export class LogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The candidate entries, without their images: a prediction carries its plot type (migration 0020), which gives
   * the class's severity and the deployment, so a count reads the log's (verdict, time) index and no image row.
   */
  private candidates() {
    return this.db
      .selectFrom('prediction')
      .innerJoin('plot_type', 'plot_type.id', 'prediction.plot_type_id')
      .leftJoin('class', (join) =>
        join
          .onRef('class.plot_type_id', '=', 'prediction.plot_type_id')
          .onRef('class.name', '=', 'prediction.verdict'),
      )
      .leftJoin('log_acknowledgement as ack', 'ack.prediction_id', 'prediction.id');
  }

  /** Entries with everything a row shows: only for a page's predictions, once they are chosen. */
  private entries() {
    return this.candidates()
      .innerJoin('image', 'image.id', 'prediction.image_id')
      .innerJoin('deployment', 'deployment.id', 'plot_type.deployment_id');
  }

  /**
   * The verdicts a log entry can have: those the predictions hold but the ones that are Good (severity ok) for every
   * plot type with images, which are no entry whatever their plot type. The log then reads the index ranges of these
   * verdicts instead of every prediction in its time range.
   */
  private async entryVerdicts(): Promise<string[]> {
    const { rows } = await sql<{ verdict: string }>`
      with recursive held(verdict) as (
        select min(verdict) from prediction where reprocess_job_id is null
        union all
        select (select min(verdict) from prediction where reprocess_job_id is null and verdict > held.verdict)
        from held where held.verdict is not null
      )
      select verdict from held where verdict is not null and verdict not in (${this.alwaysGood()})`.execute(
      this.db,
    );
    return rows.map((row) => row.verdict);
  }

  /**
   * The classes Good for every plot type with images. With the verdicts the live predictions hold (skipping through
   * the (verdict, time) index: one probe per verdict), in one statement: a request's round trips cost more than both.
   */
  private alwaysGood() {
    const hasImages = (
      eb: ExpressionBuilder<Database, 'class' | 'plot_type'>,
      plotTypeId: 'class.plot_type_id' | 'plot_type.id',
    ) => eb.exists(eb.selectFrom('image').select('image.id').whereRef('image.plot_type_id', '=', plotTypeId));
    const plotTypesWithImages = this.db
      .selectFrom('plot_type')
      .select((eb) => eb.fn.countAll().as('count'))
      .where((eb) => hasImages(eb, 'plot_type.id'));
    return this.db
      .selectFrom('class')
      .select('class.name')
      .where('class.severity', '=', 'ok')
      .where((eb) => hasImages(eb, 'class.plot_type_id'))
      .groupBy('class.name')
      .having((eb) => eb(eb.fn.countAll(), '=', plotTypesWithImages));
  }

  /** The entries the filter matches; none when no prediction has a verdict that can be one. */
  private async matching(filter: LogFilter) {
    const verdicts = await this.entryVerdicts();
    if (verdicts.length === 0) return undefined;
    let query = this.candidates()
      .where('prediction.verdict', 'in', verdicts)
      .where((eb) => eb.or([eb('class.severity', 'is', null), eb('class.severity', '!=', 'ok')]))
      // Live verdicts only: a reprocessed run period is compared in its job, not logged again.
      .where('prediction.reprocess_job_id', 'is', null)
      .where('prediction.created_at', '>=', filter.from)
      .where('prediction.created_at', '<=', filter.to);
    if (filter.deploymentId !== undefined)
      query = query.where('plot_type.deployment_id', '=', filter.deploymentId);
    if (filter.plotTypeId !== undefined)
      query = query.where('prediction.plot_type_id', '=', filter.plotTypeId);
    const { runFrom, runTo } = filter;
    if (runFrom !== undefined || runTo !== undefined) {
      query = query.where((eb) => {
        let image = eb
          .selectFrom('image')
          .select('image.id')
          .whereRef('image.id', '=', 'prediction.image_id');
        if (runFrom !== undefined) image = image.where('image.run_number', '>=', runFrom);
        if (runTo !== undefined) image = image.where('image.run_number', '<=', runTo);
        return eb.exists(image);
      });
    }
    if (filter.verdict !== undefined) query = query.where('prediction.verdict', '=', filter.verdict);
    if (filter.confirmed !== undefined)
      query = query.where('prediction.confirmed', '=', toFlag(filter.confirmed));
    if (filter.acknowledged !== undefined) {
      query = query.where('ack.prediction_id', filter.acknowledged ? 'is not' : 'is', null);
    }
    return query;
  }

  private static select<Q extends ReturnType<LogRepository['entries']>>(query: Q) {
    return query.select([
      'prediction.id as prediction_id',
      'prediction.image_id',
      'deployment.name as deployment',
      'prediction.plot_type_id',
      'plot_type.name as plot_type',
      'image.run_number',
      'prediction.verdict',
      'prediction.confidence',
      'prediction.confirmed',
      'prediction.created_at',
      'class.severity',
      'ack.user_name as ack_user',
      'ack.comment as ack_comment',
      'ack.created_at as ack_at',
    ]);
  }

  private static decode(
    row: Awaited<ReturnType<ReturnType<typeof LogRepository.select>['executeTakeFirstOrThrow']>>,
  ): LogEntryRow {
    return {
      prediction_id: row.prediction_id,
      image_id: row.image_id,
      deployment: row.deployment,
      plot_type_id: row.plot_type_id,
      plot_type: row.plot_type,
      run_number: row.run_number,
      verdict: row.verdict,
      confidence: row.confidence,
      confirmed: flag(row.confirmed),
      created_at: row.created_at,
      acknowledgement:
        row.ack_user === null ? null : { user: row.ack_user, comment: row.ack_comment, at: row.ack_at! },
    };
  }

  /** One page, newest first: from `offset`, or after `cursor` (what a streamed export pages with). */
  async list(
    filter: LogFilter,
    page: { limit: number; offset?: number; after?: LogCursor },
  ): Promise<LogEntryRow[]> {
    let query = await this.matching(filter);
    if (!query) return [];
    const { after } = page;
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('prediction.created_at', '<', after.createdAt),
          eb.and([
            eb('prediction.created_at', '=', after.createdAt),
            eb('prediction.id', '<', after.predictionId),
          ]),
        ]),
      );
    }
    // The page's predictions first, from the index; then their images and names, for those rows only.
    const ids = query
      .select(['prediction.id as page_id', 'prediction.created_at as page_at'])
      .orderBy('prediction.created_at', 'desc')
      .orderBy('prediction.id', 'desc')
      .limit(page.limit)
      .offset(page.offset ?? 0);
    const rows = await LogRepository.select(
      this.entries().innerJoin(ids.as('page'), 'page.page_id', 'prediction.id'),
    )
      // By the page's own columns: by the prediction's, SQLite would rather walk the predictions in time order.
      .orderBy(sql.ref('page.page_at'), 'desc')
      .orderBy(sql.ref('page.page_id'), 'desc')
      .execute();
    return rows.map(LogRepository.decode);
  }

  async count(filter: LogFilter): Promise<number> {
    const query = await this.matching(filter);
    if (!query) return 0;
    const row = await query
      .select((eb) => eb.fn.countAll<number | string>().as('total'))
      .executeTakeFirstOrThrow();
    return Number(row.total);
  }

  /** Records (or replaces) who acknowledged the entry; a Good verdict is not in the log. */
  async acknowledge(
    predictionId: number,
    user: string,
    comment: string | null,
    now = Date.now(),
  ): Promise<LogEntryRow> {
    const entry = await this.entry(predictionId);
    if (entry.severity === 'ok') {
      throw new InvalidInputError(
        `prediction ${predictionId} is a Good verdict (${entry.verdict}): only log entries can be acknowledged`,
      );
    }
    await this.db
      .insertInto('log_acknowledgement')
      .values({ prediction_id: predictionId, user_name: user, comment, created_at: now })
      .onConflict((oc) =>
        oc.column('prediction_id').doUpdateSet({ user_name: user, comment, created_at: now }),
      )
      .execute();
    return LogRepository.decode(await this.entry(predictionId));
  }

  private async entry(predictionId: number) {
    const row = await LogRepository.select(this.entries())
      .where('prediction.id', '=', predictionId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`prediction ${predictionId} does not exist`);
    return row;
  }
}
