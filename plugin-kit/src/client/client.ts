import { getBackendSrv, type BackendSrv, type BackendSrvRequest } from '@grafana/runtime';
import type {
  AnomalyMap,
  DeploymentList,
  GradCamMap,
  LabelList,
  ModelVersionList,
  NewsList,
  PlotList,
  PlotTypeList,
  PredictionList,
  PredictionQuery,
  Reference,
  RunList,
} from '@hydra/inference-server/api';
import { lastValueFrom } from 'rxjs';
import { HydraApiError, RETRYABLE_STATUS } from './errors';
import { imagePath, withQuery, type QueryParams } from './urls';

/** GET /health: liveness, version and the caller token's role. */
export interface Health {
  status: 'ok';
  version: string;
  authenticated: boolean;
  role: string | null;
}

export interface ClientOptions {
  retries?: number;
  retryDelayMs?: number;
}

/**
 * The inference server's API through Grafana's data source proxy. Retries gateway errors (502/503/504) and
 * turns every failure into a HydraApiError.
 */
export class HydraClient {
  private readonly retries: number;
  private readonly retryDelayMs: number;

  constructor(
    /** e.g. /api/datasources/proxy/uid/<uid>/hydra/api/v1 */
    readonly apiUrl: string,
    private readonly backend: () => BackendSrv = getBackendSrv,
    options: ClientOptions = {}
  ) {
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 300;
  }

  /** The URL of an API path with its query string, for requests and for <img src>. */
  url(path: string, params: QueryParams = {}): string {
    return withQuery(`${this.apiUrl}${path}`, params);
  }

  async request<T>(method: string, path: string, params: QueryParams = {}, data?: unknown): Promise<T> {
    const options: BackendSrvRequest = {
      method,
      url: this.url(path, params),
      data,
      showErrorAlert: false,
      showSuccessAlert: false,
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await lastValueFrom(this.backend().fetch<T>(options));
        return response.data;
      } catch (error) {
        const status = (error as { status?: number }).status ?? 0;
        if (method === 'GET' && RETRYABLE_STATUS.has(status) && attempt < this.retries) {
          await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * (attempt + 1)));
          continue;
        }
        throw HydraApiError.from(error, path);
      }
    }
  }

  get<T>(path: string, params?: QueryParams): Promise<T> {
    return this.request<T>('GET', path, params);
  }

  health(): Promise<Health> {
    return this.get('/health');
  }

  deployments(): Promise<DeploymentList> {
    return this.get('/deployments');
  }

  plotTypes(deployment: string): Promise<PlotTypeList> {
    return this.get('/plot-types', { deployment });
  }

  plots(deployment: string): Promise<PlotList> {
    return this.get('/plots', { deployment });
  }

  predictions(query: Partial<PredictionQuery>): Promise<PredictionList> {
    return this.get('/predictions', { ...query });
  }

  models(plotTypeId: number): Promise<ModelVersionList> {
    return this.get(`/models/${plotTypeId}`);
  }

  runs(deployment: string, limit?: number): Promise<RunList> {
    return this.get('/runs', { deployment, limit });
  }

  /** The news items for a deployment (by name) and the current one, which the plot grid's header shows. */
  news(deployment: string): Promise<NewsList> {
    return this.get('/news', { deployment });
  }

  /** The Grad-CAM map of an image as JSON (its PNG overlay is an image URL, see imageUrl). */
  gradcamMap(imageId: number, className?: string): Promise<GradCamMap> {
    return this.get(imagePath(imageId, 'gradcam'), { class: className, format: 'json' });
  }

  /**
   * The autoencoder's error map of an image as JSON, with its anomaly score, threshold and `anomalous` (its PNG
   * overlay is an image URL, see imageUrl); a 409 when the plot type has no autoencoder.
   */
  anomalyMap(imageId: number): Promise<AnomalyMap> {
    return this.get(imagePath(imageId, 'anomaly'), { format: 'json' });
  }

  reference(plotTypeId: number): Promise<Reference> {
    return this.get(`/plot-types/${plotTypeId}/reference`);
  }

  setReference(plotTypeId: number, imageId: number): Promise<Reference> {
    return this.request('PUT', `/plot-types/${plotTypeId}/reference`, {}, { imageId });
  }

  label(imageIds: number[], className: string, source: 'override' | 'labeler'): Promise<LabelList> {
    return this.request('POST', '/labels', {}, { imageIds, class: className, source });
  }
}
