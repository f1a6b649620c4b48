import type { LabelAction } from '../enums.ts';
import type { TrainingProgress } from '../schemas/index.ts';

/**
 * What one replica tells the others: ids and small fields, never whole rows (a PostgreSQL notification holds at
 * most 8,000 bytes). The receiver loads what it needs from the catalog, which already holds it.
 */
export type ReplicaMessage =
  /** Verdicts stored: for the live streams. */
  | { type: 'predictions'; ids: number[] }
  /** A training job changed or reported progress (progress between stored reports is only in the message). */
  | { type: 'training'; jobId: number; progress: TrainingProgress | null }
  /** A reprocessing job reported progress or ended. */
  | { type: 'reprocess'; jobId: number }
  /** Labels of a batch were applied, undone or redone. */
  | { type: 'labels'; batchId: number; action: LabelAction }
  /** A version became active: every replica frees the one it replaced. */
  | { type: 'activation'; plotTypeId: number; versionId: number; replacedId: number }
  /** A training job waits: an idle replica may claim it. */
  | { type: 'training-queued'; jobId: number }
  /** Someone asked to cancel a training job: the replica that runs it stops it. */
  | { type: 'training-cancel'; jobId: number };

export type ReplicaMessageType = ReplicaMessage['type'];
export type ReplicaMessageOf<T extends ReplicaMessageType> = Extract<ReplicaMessage, { type: T }>;

/** Handles one message of another replica, named by its instance id. */
export type ReplicaMessageHandler<T extends ReplicaMessageType> = (
  message: ReplicaMessageOf<T>,
  from: string,
) => void | Promise<void>;

/** Prediction ids per `predictions` message: at most 11 bytes each, well inside a notification's 8,000. */
export const PREDICTION_IDS_PER_MESSAGE = 500;

/** How the replicas on one catalog tell each other what changed. */
export interface ReplicaBus {
  /** Whether other replicas can share this catalog (PostgreSQL); a SQLite catalog belongs to one process. */
  readonly shared: boolean;
  /**
   * Tells every other replica. It never throws: what a message announces is in the catalog already, so a message
   * that cannot be sent is logged, and the others see the change in the catalog when they next read it.
   */
  send(message: ReplicaMessage): void;
  /** Calls `handler` with each message of type `type` from another replica; returns what stops it. */
  on<T extends ReplicaMessageType>(type: T, handler: ReplicaMessageHandler<T>): () => void;
  close(): Promise<void>;
}

/** The bus of a SQLite catalog: one replica, so there is nobody to tell and nothing to hear. */
export class SingleReplica implements ReplicaBus {
  readonly shared = false;

  send(): void {}

  on(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {}
}
