import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { LabelList, PlotTypeInfo } from '../../schemas/index.ts';
import type { ManifestEntry } from '../../simulator/index.ts';
import { MANIFEST_FILE } from '../../simulator/index.ts';
import { apiRequest, uploadFile } from '../ingest-client.ts';

interface ImportOptions {
  server: string;
  token?: string;
  deployment: string;
  register?: boolean;
}

const LABEL_CHUNK = 1000;

async function readManifest(dir: string): Promise<ManifestEntry[]> {
  const file = path.join(dir, MANIFEST_FILE);
  const text = await fs.readFile(file, 'utf8').catch((error: Error) => {
    throw new Error(`cannot read ${file}: ${error.message}`);
  });
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line, index) => {
      try {
        return JSON.parse(line) as ManifestEntry;
      } catch {
        throw new Error(`${file} line ${index + 1} is not JSON`);
      }
    });
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description(
      `Send a labeled folder (a ${MANIFEST_FILE} in the simulator's format) to the server: the images, then their labels`,
    )
    .argument('<dir>', `folder with ${MANIFEST_FILE} and the images it names`)
    .option('--server <url>', 'inference server', process.env.HYDRA_URL ?? 'http://127.0.0.1:8080')
    .option(
      '--token <token>',
      'API token of an admin (ingest and import labels), or HYDRA_TOKEN',
      process.env.HYDRA_TOKEN,
    )
    .requiredOption('--deployment <name>', 'deployment the plots belong to')
    .option('--register', 'register the deployment and the plot types first')
    .action(async (dir: string, options: ImportOptions) => {
      const target = { serverUrl: options.server, token: options.token };
      const entries = await readManifest(dir);
      if (options.register) {
        await apiRequest(target, 'POST', '/api/v1/deployments', { name: options.deployment });
        for (const kind of new Set(entries.map((entry) => entry.kind))) {
          await apiRequest<PlotTypeInfo>(target, 'POST', '/api/v1/plot-types', {
            deployment: options.deployment,
            name: kind,
            group: kind.split('_')[0],
          });
        }
      }
      // Per plot type, then per label: one label request holds images of one plot type.
      const imageIdsByLabel = new Map<string, Map<string, number[]>>();
      let failed = 0;
      for (const [index, entry] of entries.entries()) {
        try {
          const { image } = await uploadFile(target, path.join(dir, entry.file), {
            deployment: options.deployment,
            plotType: entry.kind,
            run: entry.run,
            time: new Date(entry.time),
          });
          const byKind = imageIdsByLabel.get(entry.label) ?? new Map<string, number[]>();
          byKind.set(entry.kind, [...(byKind.get(entry.kind) ?? []), image.id]);
          imageIdsByLabel.set(entry.label, byKind);
        } catch (error) {
          failed++;
          console.error(`${entry.file}: ${(error as Error).message}`);
        }
        if ((index + 1) % 100 === 0) console.error(`${index + 1} of ${entries.length} images sent`);
      }
      let labeled = 0;
      for (const [label, ids] of [...imageIdsByLabel].flatMap(([label, byKind]) =>
        [...byKind.values()].map((kindIds) => [label, kindIds] as const),
      )) {
        for (let start = 0; start < ids.length; start += LABEL_CHUNK) {
          const { items } = await apiRequest<LabelList>(target, 'POST', '/api/v1/labels', {
            imageIds: ids.slice(start, start + LABEL_CHUNK),
            class: label,
            source: 'import',
          });
          labeled += items.length;
        }
      }
      const summary = [...imageIdsByLabel]
        .map(([label, byKind]) => `${label} ${[...byKind.values()].reduce((n, ids) => n + ids.length, 0)}`)
        .join(', ');
      console.error(
        `${labeled} of ${entries.length} images imported and labeled (${summary})${failed ? `; ${failed} failed` : ''}`,
      );
      if (failed) process.exitCode = 1;
    });
}
