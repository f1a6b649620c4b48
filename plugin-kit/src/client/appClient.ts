import type { ModelVersion } from '@hydra/inference-server/api';
import type {
  ActivateRequest,
  Activation,
  ClusterList,
  ClusterOptions,
  AgreementList,
  Comparison,
  ConfusionCell,
  HistoryLabel,
  ImagesPerDay,
  IncidentQuery,
  IncidentReport,
  IncidentTimeline,
  LabelBatch,
  Leaderboard,
  LogEntry,
  LogQuery,
  Me,
  NewsItem,
  NewsList,
  PromotionGate,
  QueueCount,
  QueuePage,
  QueueQuery,
  QueueSort,
  RunPlots,
  RunsSummary,
  RunsSummaryFilter,
  ServerStatus,
  SplitName,
  SplitPredictions,
  StatusHistory,
  SummaryList,
  TrainingJob,
  TrainingJobList,
  TrainOptions,
} from './appTypes';
import { HydraClient } from './client';

/** The app's part of the API: who am I, the Labeler's queue, label batches (undo/redo), the Log and the News. */
export class HydraAppClient extends HydraClient {
  me(): Promise<Me> {
    return this.get('/me');
  }

  queue(query: QueueQuery, sort: QueueSort, limit: number, offset = 0): Promise<QueuePage> {
    return this.get('/labels', { ...query, sort, limit, offset });
  }

  /** How many images the queue holds in that order: asked once per filter, since counting costs what paging does not. */
  queueCount(query: QueueQuery, sort: QueueSort): Promise<QueueCount> {
    return this.get('/labels/count', { ...query, sort });
  }

  /** One label batch; `applyId` names the Apply it is part of, so that the Apply is undone as one after a reload. */
  apply(imageIds: number[], className: string, applyId?: string): Promise<{ batchId: number }> {
    return this.request('POST', '/labels', {}, { imageIds, class: className, source: 'labeler', applyId });
  }

  /** Labels every image matching the query; the server refuses (409) if the count is no longer `expectedCount`. */
  applyToFilter(
    query: QueueQuery,
    className: string,
    expectedCount: number,
    applyId?: string
  ): Promise<{ batchId: number; count: number }> {
    return this.request('POST', '/labels/by-filter', {}, { query, class: className, expectedCount, applyId });
  }

  batches(user?: string, limit = 20): Promise<{ items: LabelBatch[] }> {
    return this.get('/labels/batches', { user, limit });
  }

  undo(batchId: number): Promise<LabelBatch> {
    return this.request('POST', `/labels/batches/${batchId}/undo`);
  }

  redo(batchId: number): Promise<LabelBatch> {
    return this.request('POST', `/labels/batches/${batchId}/redo`);
  }

  history(imageId: number): Promise<{ items: HistoryLabel[] }> {
    return this.get(`/images/${imageId}/labels`);
  }

  leaderboard(from: string, to: string, deploymentId?: number): Promise<Leaderboard> {
    return this.get('/labels/leaderboard', { from, to, deploymentId });
  }

  log(query: LogQuery, limit: number, offset = 0): Promise<{ items: LogEntry[]; total: number }> {
    return this.get('/log', { ...query, limit, offset });
  }

  /** The streamed CSV of every row the query matches, for a download link. */
  logCsvUrl(query: LogQuery): string {
    return this.url('/log.csv', { ...query });
  }

  acknowledge(predictionId: number, comment?: string): Promise<LogEntry> {
    return this.request('PUT', `/log/${predictionId}/acknowledgement`, {}, comment ? { comment } : {});
  }

  /** Every unexpired news item, of all deployments (the News page); `news(deployment)` is one deployment's. */
  allNews(): Promise<NewsList> {
    return this.get('/news');
  }

  postNews(text: string, deploymentId?: number, expiresAt?: string): Promise<NewsItem> {
    return this.request('POST', '/news', {}, { text, deploymentId, expiresAt });
  }

  deleteNews(id: number): Promise<void> {
    return this.request('DELETE', `/news/${id}`);
  }

  /** A trained version's validation or test images with their probabilities; `cell` keeps one confusion-matrix cell. */
  splitPredictions(
    plotTypeId: number,
    versionId: number,
    split: SplitName,
    cell?: ConfusionCell
  ): Promise<SplitPredictions> {
    return this.get(`/models/${plotTypeId}/versions/${versionId}/split-predictions`, { split, ...cell });
  }

  /** Two versions of a plot type on the test images both were evaluated on, and the images they disagree on. */
  compareVersions(plotTypeId: number, a: number, b: number): Promise<Comparison> {
    return this.get(`/models/${plotTypeId}/compare`, { a, b });
  }

  setThresholds(plotTypeId: number, versionId: number, thresholds: Record<string, number>): Promise<ModelVersion> {
    return this.request('PATCH', `/models/${plotTypeId}/versions/${versionId}`, {}, { thresholds });
  }

  /** The Runs table: newest run first, each run's cells per plot type. */
  runsSummary(deployment: string, filter: RunsSummaryFilter = {}): Promise<RunsSummary> {
    return this.get('/runs/summary', { deployment, ...filter });
  }

  /** The latest image of each plot type in a run, its verdict and the plot type's reference; 404 when none. */
  runPlots(deployment: string, run: number): Promise<RunPlots> {
    return this.get(`/runs/${run}/plots`, { deployment });
  }

  /** Clusters of a plot type's unlabeled images, with near-duplicate groups and their uniqueness (the Clusters mode). */
  clusters(plotTypeId: number, options: ClusterOptions = {}): Promise<ClusterList> {
    return this.get(`/plot-types/${plotTypeId}/clusters`, options);
  }

  /** Per deployment: labeled and total images, active models, images per hour, runs with Bad, classified. */
  summary(deployment?: string): Promise<SummaryList> {
    return this.get('/summary', { deployment });
  }

  status(): Promise<ServerStatus> {
    return this.get('/status');
  }

  /** This replica's load samples of the last `minutes`, oldest first. */
  statusHistory(minutes?: number): Promise<StatusHistory> {
    return this.get('/status/history', { minutes });
  }

  imagesPerDay(deployment: string, days?: number): Promise<ImagesPerDay> {
    return this.get('/status/images-per-day', { deployment, days });
  }

  /** Training jobs of every plot type (or one), newest first. */
  trainingJobs(plotTypeId?: number): Promise<TrainingJobList> {
    return this.get('/training-jobs', { plotTypeId });
  }

  /** The plot type's activation history, newest first: who promoted or rolled back what, when and why. */
  activations(plotTypeId: number): Promise<{ items: Activation[] }> {
    return this.get(`/models/${plotTypeId}/activations`);
  }

  /** Per version, how often human labels given after its verdicts agree with them, per day. */
  agreement(plotTypeId: number): Promise<AgreementList> {
    return this.get(`/models/${plotTypeId}/agreement`);
  }

  /** What the promotion gate says of a version against the active one, before asking to activate it. */
  gate(plotTypeId: number, versionId: number): Promise<PromotionGate> {
    return this.get(`/models/${plotTypeId}/versions/${versionId}/gate`);
  }

  activate(plotTypeId: number, versionId: number, request: ActivateRequest = {}): Promise<ModelVersion> {
    return this.request('POST', `/models/${plotTypeId}/versions/${versionId}/activate`, {}, request);
  }

  rollback(plotTypeId: number, reason?: string): Promise<ModelVersion> {
    return this.request('POST', `/models/${plotTypeId}/rollback`, {}, reason ? { reason } : {});
  }

  /** Retires a version (`retired`), or brings it back (`ready`). */
  setVersionStatus(plotTypeId: number, versionId: number, status: 'ready' | 'retired'): Promise<ModelVersion> {
    return this.request('PATCH', `/models/${plotTypeId}/versions/${versionId}`, {}, { status });
  }

  train(plotTypeId: number, options: TrainOptions): Promise<TrainingJob> {
    return this.request('POST', `/models/${plotTypeId}/train`, {}, options);
  }

  trainingJob(id: number): Promise<TrainingJob> {
    return this.get(`/training-jobs/${id}`);
  }

  cancelTraining(id: number): Promise<TrainingJob> {
    return this.request('POST', `/training-jobs/${id}/cancel`);
  }

  incidentReport(query: IncidentQuery): Promise<IncidentReport> {
    return this.get('/incidents/report', { ...query });
  }

  /** The report's incidents as CSV, for a download link. */
  incidentReportCsvUrl(query: IncidentQuery): string {
    return this.url('/incidents/report.csv', { ...query });
  }

  /** One incident of the report's period, by its key, with what happened to it in order. */
  incidentTimeline(key: number, query: IncidentQuery): Promise<IncidentTimeline> {
    return this.get(`/incidents/${key}`, { ...query });
  }
}
