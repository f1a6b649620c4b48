// The Labeler / Log / News contract as the app reads it, derived from the server's schemas so the two cannot drift.
import type {
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
