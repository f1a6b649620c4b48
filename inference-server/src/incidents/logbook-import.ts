import type { Repositories } from '../catalog/catalog.ts';
import type { LogbookFormat } from '../enums.ts';
import { InvalidInputError } from '../errors.ts';
import { LogbookFileError, parseLogbook, type RejectedRow } from './logbook-file.ts';

export interface LogbookImport {
  deployment: string;
  rows: number;
  added: number;
  duplicates: number;
  rejected: RejectedRow[];
}

/** Stores a logbook file's good rows that are not stored yet, and says which rows were bad and why. */
export async function importLogbook(
  catalog: Repositories,
  file: { deployment: string; format: LogbookFormat; content: string },
  importedBy: string,
): Promise<LogbookImport> {
  const deployment = await catalog.deployments.require(file.deployment);
  let parsed;
  try {
    parsed = parseLogbook(file.content, file.format);
  } catch (error) {
    if (error instanceof LogbookFileError)
      throw new InvalidInputError(`the ${file.format} file: ${error.message}`);
    throw error;
  }
  const added = await catalog.logbook.add(deployment.id, parsed.entries, importedBy);
  return {
    deployment: deployment.name,
    rows: parsed.entries.length + parsed.rejected.length,
    added,
    duplicates: parsed.entries.length - added,
    rejected: parsed.rejected,
  };
}
