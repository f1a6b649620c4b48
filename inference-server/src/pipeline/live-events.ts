import type { Prediction, ReprocessJob, TrainingJob } from '../schemas/index.ts';

/** What the live stream (SSE) carries: each event's name and its payload. */
export interface LiveEventMap {
  prediction: Prediction;
  training: TrainingJob;
  reprocess: ReprocessJob;
}

export type LiveEvent = { [K in keyof LiveEventMap]: { type: K; data: LiveEventMap[K] } }[keyof LiveEventMap];

type Listener = (event: LiveEvent) => void;

/** Events as they happen, for open streams: new predictions, training and reprocessing progress. */
export class LiveEvents {
  private listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish<K extends keyof LiveEventMap>(type: K, data: LiveEventMap[K]): void {
    const event = { type, data } as LiveEvent;
    for (const listener of this.listeners) listener(event);
  }
}
