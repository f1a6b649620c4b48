import type { Command } from 'commander';
import { Catalog } from '../../catalog/catalog.ts';
import { databaseUrl, loadConfig } from '../../config.ts';

/** Opens the configured catalog, brought up to date, for one command; closes it after. */
export async function withCatalog<T>(
  work: (catalog: Catalog, migrationsApplied: string[]) => Promise<T>,
): Promise<T> {
  const catalog = Catalog.open(databaseUrl(loadConfig()));
  try {
    return await work(catalog, await catalog.migrate());
  } finally {
    await catalog.close();
  }
}

export function registerDbCommand(program: Command): void {
  program
    .command('db')
    .description('Catalog maintenance')
    .command('migrate')
    .description('Bring the catalog schema up to date (the server also does this when it starts)')
    .action(async () => {
      const applied = await withCatalog(async (_catalog, migrationsApplied) => migrationsApplied);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the catalog is up to date');
    });
}
