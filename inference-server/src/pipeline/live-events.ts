import type { LabelChange, Prediction, ReprocessJob, TrainingJob } from '../schemas/index.ts';

/** What the live stream (SSE) carries: each event's name and its payload. */
export interface LiveEventMap {
  prediction: Prediction;
  training: TrainingJob;
  reprocess: ReprocessJob;
  label: LabelChange;
}

export type LiveEvent = { [K in keyof LiveEventMap]: { type: K; data: LiveEventMap[K] } }[keyof LiveEventMap];

type Listener = (event: LiveEvent) => void;

/**
 * Events as they happen, for open streams: new predictions, training and reprocessing progress, and label changes. Those made here
 * go to this replica's streams at once and, through `announce`, to the other replicas' (with several replicas on
 * PostgreSQL); with SQLite they stay in this process.
 */
export class LiveEvents {
  private listeners = new Set<Listener>();

  constructor(private readonly announce?: (events: readonly LiveEvent[]) => void) {}

  /** Whether any stream listens here: an event another replica made need not be loaded otherwise. */
  get listened(): boolean {
    return this.listeners.size > 0;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events made on this replica. */
  publish<K extends keyof LiveEventMap>(type: K, ...data: LiveEventMap[K][]): void {
    const events = data.map((item) => ({ type, data: item }) as LiveEvent);
    this.deliver(events);
    this.announce?.(events);
  }

  /** Events for this replica's streams only: another replica made them and announced them. */
  deliver(events: readonly LiveEvent[]): void {
    for (const event of events) {
      for (const listener of this.listeners) listener(event);
    }
  }
}
