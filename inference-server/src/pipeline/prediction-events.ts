import type { Prediction } from '../schemas/index.ts';

type Listener = (prediction: Prediction) => void;

/** New predictions as they happen, for the live stream (SSE). */
export class PredictionEvents {
  private listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(prediction: Prediction): void {
    for (const listener of this.listeners) listener(prediction);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
