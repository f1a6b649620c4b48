import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { ImageWithContext, NewImage } from '../catalog/repositories/images-repository.ts';
import { UnknownReferenceError } from '../errors.ts';
import type { ImageStore, StoredFile } from '../images/image-store.ts';
import { validateImage } from '../images/validate-image.ts';
import type { MachineStateReader } from './machine-state.ts';

export interface IngestRequest {
  content: Buffer;
  deployment: string;
  plotType: string;
  run?: number;
  /** When the plot was written; defaults to now. */
  capturedAt?: number;
  chunk?: string;
}

export interface IngestResult {
  image: ImageWithContext;
  duplicate: boolean;
}

export interface IngestOptions {
  catalog: Catalog;
  store: ImageStore;
  maxImagePixels: number;
  autoRegister: boolean;
  logger: FastifyBaseLogger;
  /** Called when a new image waits for classification. */
  onPending: () => void;
  /** The run of an image sent without one (EPICS's run-number PV). */
  machine: Pick<MachineStateReader, 'runNumber'>;
}

/**
 * Accepts a plot image: validates it, stores the file, and inserts its catalog row before returning, so an
 * accepted image survives a crash. The row is `pending` when its plot type has an active model, else `no_model`.
 */
export class IngestService {
  /** Run ids by deployment and run number: runs are never removed, and every plot of a run needs one. */
  private runIds = new Map<string, number>();

  constructor(private readonly options: IngestOptions) {}

  async accept(sent: IngestRequest): Promise<IngestResult> {
    const { store } = this.options;
    const request = { ...sent, run: sent.run ?? this.options.machine.runNumber() ?? undefined };
    const info = validateImage(request.content, this.options.maxImagePixels);
    const deployment = await this.resolveDeployment(request.deployment);
    const plotType = await this.resolvePlotType(deployment.id, deployment.name, request.plotType);
    const now = Date.now();
    const capturedAt = request.capturedAt ?? now;
    const runId = request.run === undefined ? null : await this.runId(deployment.id, request.run, capturedAt);
    const stored = await store.put(request.content, info.format === 'jpeg' ? 'jpg' : 'png');
    const { image, created } = await this.insert(stored, {
      dedup_key: [plotType.id, request.run ?? '-', request.chunk ?? '-', stored.sha256].join(':'),
      plot_type_id: plotType.id,
      run_id: runId,
      chunk: request.chunk ?? null,
      captured_at: capturedAt,
      received_at: now,
      format: info.format,
      bytes: request.content.length,
      width: info.width,
      height: info.height,
      status: plotType.active_model_version_id === null ? 'no_model' : 'pending',
      error: null,
      claimed_by: null,
      claimed_until: null,
    });
    if (created && image.status === 'pending') this.options.onPending();
    this.options.logger.debug(
      {
        imageId: image.id,
        plotType: plotType.name,
        run: request.run,
        status: image.status,
        duplicate: !created,
      },
      'image accepted',
    );
    return {
      // The dedup key holds plot type and run, so a duplicate's names are these too.
      image: {
        ...image,
        deployment: deployment.name,
        plot_type: plotType.name,
        run_number: request.run ?? null,
      },
      duplicate: !created,
    };
  }

  /** Inserts the catalog row of a stored file; when that fails, a file this ingest created goes too. */
  private async insert(stored: StoredFile, row: Omit<NewImage, 'sha256' | 'path'>) {
    try {
      return await this.options.catalog.images.insert({ ...row, sha256: stored.sha256, path: stored.path });
    } catch (error) {
      // The same bytes may have been accepted meanwhile by another upload, whose row now holds the file.
      const { catalog, store } = this.options;
      if (stored.created && !(await catalog.images.referencedPaths([stored.path])).has(stored.path)) {
        await store.remove(stored.path);
      }
      throw error;
    }
  }

  private async runId(deploymentId: number, run: number, startedAt: number): Promise<number> {
    const key = `${deploymentId}:${run}`;
    let id = this.runIds.get(key);
    if (id === undefined) {
      id = await this.options.catalog.runs.ensure(deploymentId, run, startedAt);
      if (this.runIds.size >= 10_000) this.runIds.clear();
      this.runIds.set(key, id);
    }
    return id;
  }

  private async resolveDeployment(name: string) {
    const found = await this.options.catalog.deployments.find(name);
    if (found) return found;
    if (!this.options.autoRegister) {
      throw new UnknownReferenceError(
        `deployment "${name}" is not registered: create it first (POST /api/v1/deployments), ` +
          'or start the server with HYDRA_AUTO_REGISTER=true',
      );
    }
    this.options.logger.info({ deployment: name }, 'registered a new deployment on ingest');
    return this.options.catalog.deployments.ensure(name);
  }

  private async resolvePlotType(deploymentId: number, deploymentName: string, name: string) {
    const found = await this.options.catalog.plotTypes.find(deploymentId, name);
    if (found) return found;
    if (!this.options.autoRegister) {
      throw new UnknownReferenceError(
        `plot type "${name}" is not registered in deployment "${deploymentName}": create it first ` +
          '(POST /api/v1/plot-types), or start the server with HYDRA_AUTO_REGISTER=true',
      );
    }
    this.options.logger.info(
      { deployment: deploymentName, plotType: name },
      'registered a new plot type on ingest',
    );
    return this.options.catalog.plotTypes.ensure(deploymentId, name);
  }
}
