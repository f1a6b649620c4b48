import os from 'node:os';
import type { Command } from 'commander';
import { pino } from 'pino';
import { dataFolders, loadConfig, sizeLimit } from '../../config.ts';
import { readModelFolder } from '../../models/model-artifacts.ts';
import { InferencePool } from '../../inference/pool.ts';
import type { BackendPreference } from '../../inference/messages.ts';
import { ModelLibrary } from '../../models/model-library.ts';
import { PostgresReplicaBus } from '../../replicas/postgres-bus.ts';
import { SingleReplica } from '../../replicas/replica-bus.ts';
import { withCatalog } from './db.ts';

const silentLogger = pino({ level: 'silent' });

function parseThresholds(text: string): Record<string, number> {
  return Object.fromEntries(
    text.split(',').map((pair) => {
      const [name, value] = pair.split('=');
      const threshold = Number(value);
      if (!name || !(threshold >= 0 && threshold <= 1))
        throw new Error(`bad threshold "${pair}": use Class=0.8`);
      return [name.trim(), threshold];
    }),
  );
}

export function registerModelCommand(program: Command): void {
  program
    .command('model')
    .description('Model library')
    .command('add')
    .description(
      'Register a TF.js layers model folder (model.json + weights), or a zip of it, for a plot type',
    )
    .argument('<dir>', 'folder with model.json and its weight files, or a zip of that folder')
    .requiredOption('--deployment <name>', 'deployment of the plot type')
    .requiredOption('--plot-type <name>', 'plot type the model classifies (created if missing)')
    .requiredOption('--classes <list>', 'class names in the order of the model outputs, e.g. Good,Bad,NoData')
    .option('--thresholds <list>', 'per-class confirmation thresholds, e.g. Bad=0.8,NoData=0.6')
    .option('--name <name>', 'model name', 'default')
    .option('--architecture <name>', 'architecture label', 'custom')
    .option('--activate', 'make it the active version now')
    .action(
      async (
        dir: string,
        options: {
          deployment: string;
          plotType: string;
          classes: string;
          thresholds?: string;
          name: string;
          architecture: string;
          activate?: boolean;
        },
      ) => {
        const config = loadConfig();
        const folders = dataFolders(config);
        // One worker of its own, to load and check the model as the server would.
        const pool = await InferencePool.start({
          size: 1,
          backend: config.HYDRA_BACKEND as BackendPreference,
        });
        const version = await withCatalog(async (catalog) => {
          const deployment = await catalog.deployments.ensure(options.deployment);
          const plotType = await catalog.plotTypes.ensure(deployment.id, options.plotType);
          // Running replicas on PostgreSQL hear of an activation and free the version it replaced.
          const replicas =
            catalog.engine === 'postgres'
              ? PostgresReplicaBus.announcer({
                  instanceId: `hydra model add (${os.userInfo().username})`,
                  notify: (channel, payload) => catalog.notify(channel, payload),
                  logger: silentLogger,
                })
              : new SingleReplica();
          const library = new ModelLibrary({
            catalog,
            pool,
            replicas,
            logger: silentLogger,
            dataDir: folders.root,
            modelsDir: folders.models,
            promotionMargin: config.HYDRA_PROMOTION_MARGIN,
          });
          return library
            .importModel({
              plotType,
              files: await readModelFolder(dir, sizeLimit(config, 'HYDRA_MAX_MODEL_BYTES')),
              classes: options.classes.split(',').map((name) => name.trim()),
              thresholds: options.thresholds ? parseThresholds(options.thresholds) : undefined,
              name: options.name,
              architecture: options.architecture,
              activate: options.activate,
              activatedBy: {
                actor: `hydra model add (${os.userInfo().username})`,
                reason: 'imported with --activate',
              },
            })
            .finally(() => replicas.close());
        }).finally(() => pool.close());
        console.log(
          `registered ${options.plotType} model "${version.model_name}" version ${version.version} ` +
            `(id ${version.id}, ${version.status})`,
        );
      },
    );
}
