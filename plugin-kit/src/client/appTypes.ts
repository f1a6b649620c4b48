// The Labeler / Log / News contract (docs/labeler-api.md on the server branch), as the app reads it.
import type { LabeledImage } from '@hydra/inference-server/api';

export type Right = 'read' | 'ingest' | 'label' | 'expert' | 'admin';

/** GET /me: who the proxy's token is, and what it may do. */
export interface Me {
  name: string;
  role: string;
  rights: Right[];
}

export type QueueFilter = 'all' | 'labeled' | 'unlabeled' | 'disagreement';
export const QUEUE_SORTS = [
  'newest',
  'run',
  'least-confident',
  'smallest-margin',
  'highest-entropy',
  'most-mistaken',
] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** The filters of GET /labels, also the `query` of POST /labels/by-filter. */
export interface QueueQuery {
  plotTypeId?: number;
  filter?: QueueFilter;
  labeledAs?: string;
  labeledBy?: string;
  maxConfidence?: number;
  runFrom?: number;
  runTo?: number;
  from?: string;
  to?: string;
}

/** An image of the Labeler's queue with the server's active-learning scores. */
export interface QueueItem extends Omit<LabeledImage, 'label'> {
  fileUrl: string;
  margin: number | null;
  entropy: number | null;
  mistakenness: number | null;
  label: (NonNullable<LabeledImage['label']> & { batchId: number | null }) | null;
}

export interface QueuePage {
  items: QueueItem[];
  total: number;
}

export interface LabelBatch {
  id: number;
  user: string;
  class: string;
  source: string;
  count: number;
  createdAt: string;
  undoneAt: string | null;
  plotTypeId: number;
  plotType: string;
}

export interface HistoryLabel {
  id: number;
  imageId: number;
  class: string;
  source: string;
  user: string;
  createdAt: string;
  supersededAt: string | null;
  batchId?: number | null;
}

export interface Leaderboard {
  people: Array<{ user: string; labels: number }>;
  perHour: Array<{ hour: string; labels: number }>;
}

export interface LogQuery {
  deploymentId?: number;
  from?: string;
  to?: string;
  runFrom?: number;
  runTo?: number;
  plotTypeId?: number;
  class?: string;
  confirmed?: boolean;
  acknowledged?: boolean;
}

export interface LogEntry {
  predictionId: number;
  imageId: number;
  deployment: string;
  plotTypeId: number;
  plotType: string;
  run: number | null;
  verdict: string;
  confidence: number;
  confirmed: boolean;
  createdAt: string;
  thumbnailUrl: string;
  acknowledgement: { user: string; comment: string | null; at: string } | null;
}

export interface NewsItem {
  id: number;
  text: string;
  deploymentId: number | null;
  author: string;
  createdAt: string;
  expiresAt: string | null;
}

export interface NewsList {
  current: NewsItem | null;
  items: NewsItem[];
}
