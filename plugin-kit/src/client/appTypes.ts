// The Labeler / Log / News contract as the app reads it, derived from the server's schemas so the two cannot drift.
import type {
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
} from '@hydra/inference-server/api';
import type { TrainingJob, TrainRequest } from '@hydra/inference-server/api';

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

// The Library's versions page: activation history, the promotion gate, agreement with labels, training jobs.

export type {
  Activation,
  ActivateRequest,
  AgreementList,
  PromotionGate,
  TrainingJob,
  TrainingJobList,
  VersionAgreement,
} from '@hydra/inference-server/api';

/** What the train form sends: the server fills in every default. */
export type TrainOptions = Partial<TrainRequest>;
export type Architecture = NonNullable<TrainRequest['architecture']>;
export type TrainingProgress = NonNullable<TrainingJob['progress']>;
