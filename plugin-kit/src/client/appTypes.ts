// The Labeler / Log / News contract as the app reads it, derived from the server's schemas so the two cannot drift.
import type {
  ClusterQuery,
  IncidentReportQuery,
  Label,
  LabelBatch,
  LabelCount,
  LabeledImage,
  LabeledImageList,
  LabelFilterQuery,
  LabelQuery,
  Leaderboard,
  LogCsvQuery,
  LogEntry,
  Me,
  NewsItem,
  NewsList,
  SplitPredictions,
  SplitPredictionsQuery,
  VersionComparison,
  DeploymentSummary,
  ImagesPerDay,
  RunCell,
  RunPlots,
  RunsSummary,
  RunsSummaryQuery,
  RunSummaryRow,
  ServerStatus,
  StatusHistory,
  StatusSample,
  SummaryList,
  TrainingJob,
  TrainingJobList,
  TrainRequest,
} from '@hydra/inference-server/api';

export type { LabelBatch, Leaderboard, LogEntry, Me, NewsItem, NewsList };

/** What a token's role lets it do (GET /me). */
export type Right = Me['rights'][number];

export type QueueFilter = LabelFilterQuery['filter'];
export type QueueSort = LabelQuery['sort'];

/** The filters of GET /labels, also the `query` of POST /labels/by-filter; the server defaults `filter` to all. */
export type QueueQuery = Omit<LabelFilterQuery, 'filter'> & Partial<Pick<LabelFilterQuery, 'filter'>>;

/** An image of the Labeler's queue with the server's active-learning scores. */
export type QueueItem = LabeledImage;
export type QueuePage = LabeledImageList;
export type QueueCount = LabelCount;

/** One label of an image's history (GET /images/:id/labels). */
export type HistoryLabel = Label;

/** The filters of GET /log and GET /log.csv. */
export type LogQuery = LogCsvQuery;

/** One labeled split of a trained version, each image's probabilities (GET /models/:id/versions/:id/split-predictions). */
export type { SplitPredictions };
export type SplitName = SplitPredictionsQuery['split'];
export type SplitPrediction = SplitPredictions['items'][number];
/** One confusion-matrix cell: its images are of `trueClass` and predicted as `predictedClass`. */
export type ConfusionCell = Required<Pick<SplitPredictionsQuery, 'trueClass' | 'predictedClass'>>;

/** Two versions on their shared test images (GET /models/:id/compare). */
export type Comparison = VersionComparison;
export type Disagreement = VersionComparison['disagreements'][number];
/** The Runs table (GET /runs/summary): runs × plot types, each cell's worst latest verdict. */
export type { RunCell, RunsSummary, RunSummaryRow };
/** Its run range; the server defaults `limit` to 50 runs. */
export type RunsSummaryFilter = Omit<RunsSummaryQuery, 'deployment' | 'limit'> &
  Partial<Pick<RunsSummaryQuery, 'limit'>>;
/** The Browse view of one run (GET /runs/:number/plots). */
export type { RunPlots };
export type RunPlot = RunPlots['items'][number];
/** The Summary page (GET /summary) and the Status page (GET /status, /status/history, /status/images-per-day). */
export type { DeploymentSummary, ImagesPerDay, ServerStatus, StatusHistory, StatusSample, SummaryList };
/** The Status page's running training jobs (GET /training-jobs). */
export type { TrainingJob, TrainingJobList };
// The Library's versions page: activation history, the promotion gate, agreement with labels, training jobs.

export type {
  Activation,
  ActivateRequest,
  AgreementList,
  PromotionGate,
  VersionAgreement,
} from '@hydra/inference-server/api';

/** What the train form sends: the server fills in every default. */
export type TrainOptions = Partial<TrainRequest>;
export type Architecture = NonNullable<TrainRequest['architecture']>;
export type TrainingProgress = NonNullable<TrainingJob['progress']>;

/** The incident report (GET /incidents/report): per detector, how much earlier the monitor knew than the logbook. */
export type {
  Incident,
  IncidentReport,
  IncidentTimeline,
  LeadFigures,
  LogbookEntry,
} from '@hydra/inference-server/api';

/** The report's deployment and period; the server defaults the gap (30 min) and the window (24 h). */
export type IncidentQuery = Omit<IncidentReportQuery, 'gapMinutes' | 'windowHours'> &
  Partial<Pick<IncidentReportQuery, 'gapMinutes' | 'windowHours'>>;

/** The Labeler's Clusters mode (GET /plot-types/:id/clusters): clusters of the unlabeled images, near-duplicates grouped. */
export type { Cluster, ClusterList, NearDuplicateGroup } from '@hydra/inference-server/api';
/** The server defaults the seed, the image limit and the near-duplicate distance. */
export type ClusterOptions = Partial<ClusterQuery>;
