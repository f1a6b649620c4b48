import { sql, type Kysely } from 'kysely';
import { connectCatalog, type ConnectionErrorHandler, type SqlEngine } from './connection.ts';
import type { Database } from './database.ts';
import { migrateToLatest } from './migrations/index.ts';
import { AlertEventsRepository } from './repositories/alert-events-repository.ts';
import { PlotGridRepository } from './repositories/plot-grid-repository.ts';
import { AnomalyRepository } from './repositories/anomaly-repository.ts';
import { DeploymentsRepository } from './repositories/deployments-repository.ts';
import { ImagesRepository } from './repositories/images-repository.ts';
import { IncidentsRepository } from './repositories/incidents-repository.ts';
import { LabelBatchesRepository } from './repositories/label-batches-repository.ts';
import { LabelsRepository } from './repositories/labels-repository.ts';
import { LogRepository } from './repositories/log-repository.ts';
import { LogbookRepository } from './repositories/logbook-repository.ts';
import { ModelsRepository } from './repositories/models-repository.ts';
import { NewsRepository } from './repositories/news-repository.ts';
import { PlotTypesRepository } from './repositories/plot-types-repository.ts';
import { PredictionsRepository } from './repositories/predictions-repository.ts';
import { ReferencesRepository } from './repositories/references-repository.ts';
import { ReprocessComparisonsRepository } from './repositories/reprocess-comparisons-repository.ts';
import { ReprocessJobsRepository } from './repositories/reprocess-jobs-repository.ts';
import { RunSummariesRepository } from './repositories/run-summaries-repository.ts';
import { RunsRepository } from './repositories/runs-repository.ts';
import { SummaryRepository } from './repositories/summary-repository.ts';
import { TokensRepository } from './repositories/tokens-repository.ts';
import { TrainingJobsRepository } from './repositories/training-jobs-repository.ts';

/** One repository per aggregate, all on one connection (or one transaction). */
export class Repositories {
  readonly deployments: DeploymentsRepository;
  readonly plotTypes: PlotTypesRepository;
  readonly images: ImagesRepository;
  readonly predictions: PredictionsRepository;
  readonly runs: RunsRepository;
  readonly runSummaries: RunSummariesRepository;
  readonly summaries: SummaryRepository;
  readonly models: ModelsRepository;
  readonly labels: LabelsRepository;
  readonly labelBatches: LabelBatchesRepository;
  readonly log: LogRepository;
  readonly news: NewsRepository;
  readonly references: ReferencesRepository;
  readonly tokens: TokensRepository;
  readonly trainingJobs: TrainingJobsRepository;
  readonly alertEvents: AlertEventsRepository;
  readonly reprocessJobs: ReprocessJobsRepository;
  readonly reprocessComparisons: ReprocessComparisonsRepository;
  readonly logbook: LogbookRepository;
  readonly incidents: IncidentsRepository;
  readonly anomaly: AnomalyRepository;
  readonly plotGrid: PlotGridRepository;

  constructor(db: Kysely<Database>, engine: SqlEngine) {
    this.deployments = new DeploymentsRepository(db);
    this.plotTypes = new PlotTypesRepository(db);
    this.images = new ImagesRepository(db, engine);
    this.predictions = new PredictionsRepository(db);
    this.runs = new RunsRepository(db, engine);
    this.runSummaries = new RunSummariesRepository(db);
    this.summaries = new SummaryRepository(db);
    this.models = new ModelsRepository(db);
    this.labels = new LabelsRepository(db, engine);
    this.labelBatches = new LabelBatchesRepository(db, engine);
    this.log = new LogRepository(db);
    this.news = new NewsRepository(db);
    this.references = new ReferencesRepository(db);
    this.tokens = new TokensRepository(db);
    this.trainingJobs = new TrainingJobsRepository(db, engine);
    this.alertEvents = new AlertEventsRepository(db);
    this.reprocessJobs = new ReprocessJobsRepository(db, engine);
    this.reprocessComparisons = new ReprocessComparisonsRepository(db);
    this.logbook = new LogbookRepository(db);
    this.incidents = new IncidentsRepository(db);
    this.anomaly = new AnomalyRepository(db);
    this.plotGrid = new PlotGridRepository(db, engine, this);
  }
}

/**
 * The SQL catalog, one code path for SQLite and PostgreSQL: it opens, migrates and closes the connection, and
 * holds the repositories, which are the only code that reads its rows.
 */
export class Catalog extends Repositories {
  private constructor(
    private readonly db: Kysely<Database>,
    readonly engine: SqlEngine,
  ) {
    super(db, engine);
  }

  static open(url: string, onConnectionError?: ConnectionErrorHandler): Catalog {
    const { db, engine } = connectCatalog(url, onConnectionError);
    return new Catalog(db, engine);
  }

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, this.engine);
  }

  /** Runs `work` on repositories bound to one transaction: all of its writes land, or none. */
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new Repositories(trx, this.engine)));
  }

  /** Sends a notification to the sessions that listen on `channel` (PostgreSQL only: replicas share it). */
  async notify(channel: string, payload: string): Promise<void> {
    await sql`select pg_notify(${channel}, ${payload})`.execute(this.db);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
