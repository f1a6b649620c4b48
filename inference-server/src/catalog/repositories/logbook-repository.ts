import type { Kysely } from 'kysely';
import type { LogbookEntry } from '../../incidents/matching.ts';
import type { NewLogbookEntry } from '../../incidents/logbook-file.ts';
import type { Term } from '../../incidents/terms.ts';
import { InvalidInputError } from '../../errors.ts';
import type { Database } from '../database.ts';
import { atomically } from './atomically.ts';
import { inBatches } from './statement-batches.ts';

export interface LogbookRange {
  deploymentId: number;
  from: number;
  to: number;
}

/** The shift logbook of each deployment, and the words its crew uses for the plot types. */
export class LogbookRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores the entries not stored yet (by content hash); returns how many were added. */
  async add(deploymentId: number, entries: readonly NewLogbookEntry[], importedBy: string, now = Date.now()) {
    const unique = [...new Map(entries.map((entry) => [entry.contentHash, entry])).values()];
    let added = 0;
    for (const batch of inBatches(unique)) {
      const inserted = await this.db
        .insertInto('logbook_entry')
        .values(
          batch.map((entry) => ({
            deployment_id: deploymentId,
            written_at: entry.at,
            author: entry.author,
            text: entry.text,
            detector: entry.detector,
            plot_type: entry.plotType,
            run_number: entry.run,
            content_hash: entry.contentHash,
            imported_by: importedBy,
            imported_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['deployment_id', 'content_hash']).doNothing())
        .returning('id')
        .execute();
      added += inserted.length;
    }
    return added;
  }

  /** The entries written in [from, to], oldest first. */
  async list(range: LogbookRange): Promise<LogbookEntry[]> {
    const rows = await this.db
      .selectFrom('logbook_entry')
      .select(['id', 'written_at', 'author', 'text', 'detector', 'plot_type', 'run_number'])
      .where('deployment_id', '=', range.deploymentId)
      .where('written_at', '>=', range.from)
      .where('written_at', '<=', range.to)
      .orderBy('written_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      at: row.written_at,
      author: row.author,
      text: row.text,
      detector: row.detector,
      plotType: row.plot_type,
      run: row.run_number,
    }));
  }

  async count(deploymentId: number): Promise<number> {
    const row = await this.db
      .selectFrom('logbook_entry')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('deployment_id', '=', deploymentId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** The deployment's own terms, each with the plot types it names. */
  async customTerms(deploymentId: number): Promise<Term[]> {
    const rows = await this.db
      .selectFrom('logbook_term')
      .select(['term', 'plot_type_id'])
      .where('deployment_id', '=', deploymentId)
      .orderBy('term')
      .orderBy('plot_type_id')
      .execute();
    const byTerm = new Map<string, number[]>();
    for (const row of rows) byTerm.set(row.term, [...(byTerm.get(row.term) ?? []), row.plot_type_id]);
    return [...byTerm].map(([term, plotTypeIds]) => ({ term, plotTypeIds, source: 'custom' }));
  }

  /** Replaces the deployment's own terms; every plot type must be one of the deployment's. */
  async replaceTerms(
    deploymentId: number,
    terms: ReadonlyArray<{ term: string; plotTypeIds: number[] }>,
  ): Promise<void> {
    await atomically(this.db, async (trx) => {
      const owned = new Set(
        (
          await trx.selectFrom('plot_type').select('id').where('deployment_id', '=', deploymentId).execute()
        ).map((row) => row.id),
      );
      const foreign = terms.flatMap((t) => t.plotTypeIds).filter((id) => !owned.has(id));
      if (foreign.length > 0) {
        throw new InvalidInputError(`plot type ${foreign[0]} is not one of this deployment's plot types`);
      }
      await trx.deleteFrom('logbook_term').where('deployment_id', '=', deploymentId).execute();
      const rows = terms.flatMap(({ term, plotTypeIds }) =>
        [...new Set(plotTypeIds)].map((plotTypeId) => ({
          deployment_id: deploymentId,
          term,
          plot_type_id: plotTypeId,
        })),
      );
      for (const batch of inBatches(rows)) await trx.insertInto('logbook_term').values(batch).execute();
    });
  }
}
