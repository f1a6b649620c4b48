import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';

/** Runs `work` in a transaction, or in the caller's when the repository is already bound to one. */
export function atomically<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
