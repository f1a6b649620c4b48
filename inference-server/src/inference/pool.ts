import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type {
  BackendInfo,
  BackendPreference,
  GradCamResult,
  ModelShape,
  ModelSpec,
  PredictImage,
  PredictOutcome,
  WorkerReply,
  WorkerRequest,
  WorkerResponse,
  WorkerMemoryReport,
} from './messages.ts';
import { execArgvFor, siblingScript } from './worker-threads.ts';

export interface InferencePoolOptions {
  /** Number of workers; one per core by default (the wasm backend is single-threaded in Node). */
  size?: number;
  backend: BackendPreference;
  /** The worker entry; by default worker.ts or worker.js beside this module. */
  workerScript?: string | URL;
}

/** How much of its life a worker's thread spent working, for utilisation figures (busy ÷ up). */
export interface WorkerBusyTime {
  /** The worker's number in this pool; a replacement gets a new one. */
  worker: number;
  /** Milliseconds since the worker was started. */
  upMs: number;
  /** Milliseconds its thread spent on requests, by request kind (start-up is 'init'). */
  busyMs: Partial<Record<WorkerRequest['kind'], number>>;
}

export interface PoolStats {
  size: number;
  busy: number;
  queued: number;
  backend: string;
}

/** A worker's answer to a request that carries a requestId, other than 'failed' (which rejects instead). */
type Answer = Exclude<Extract<WorkerResponse, { requestId: number }>, { kind: 'failed' }>;

interface WorkerSlot {
  id: number;
  worker: Worker;
  state: 'starting' | 'idle' | 'busy';
  /** Requests sent to this worker and not yet answered, by requestId. */
  awaiting: Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>;
  /** Settles the start-up: 'ready', 'init-failed', or an exit before either. */
  started: { resolve: (backend: BackendInfo) => void; reject: (error: Error) => void };
  /** The worker's uncaught error, reported with its exit. */
  crash?: Error;
  startedAt: number;
  busyMs: WorkerBusyTime['busyMs'];
}

interface SlotWaiter {
  resolve: (slot: WorkerSlot) => void;
  reject: (error: Error) => void;
}

/**
 * Runs models in worker_threads, each worker with its own backend and loaded models, so inference never blocks
 * the event loop. A batch goes to an idle worker, or waits in line for one. A worker that dies is replaced.
 */
export class InferencePool {
  readonly #preference: BackendPreference;
  readonly #workerScript: string | URL;
  readonly #slots: WorkerSlot[] = [];
  readonly #waiters: SlotWaiter[] = [];
  #backend: BackendInfo | undefined;
  #nextSlotId = 1;
  #nextRequestId = 1;
  #closed = false;

  private constructor(preference: BackendPreference, workerScript: string | URL) {
    this.#preference = preference;
    this.#workerScript = workerScript;
  }

  /** Starts `size` workers and resolves once every one has loaded its backend. */
  static async start({
    size = os.availableParallelism(),
    backend,
    workerScript = siblingScript(import.meta.url, 'worker'),
  }: InferencePoolOptions): Promise<InferencePool> {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`An inference pool needs at least one worker, got size ${size}`);
    }
    const pool = new InferencePool(backend, workerScript);
    const started = await Promise.allSettled(Array.from({ length: size }, () => pool.#spawn()));
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      await pool.close();
      throw failure.reason;
    }
    return pool;
  }

  /** The backend the workers run on, and why faster ones were passed over. */
  get backend(): BackendInfo {
    if (!this.#backend) throw new Error('InferencePool.backend is known once start() has resolved');
    return this.#backend;
  }

  /** Classifies `images` with `model` as one batch on one worker. Unreadable images get `ok: false` outcomes. */
  async predict(model: ModelSpec, images: PredictImage[]): Promise<PredictOutcome[]> {
    if (images.length === 0) return [];
    const answer = await this.#askIdleWorker('predicted', (requestId) => ({
      kind: 'predict',
      requestId,
      model,
      images,
    }));
    return answer.outcomes;
  }

  /**
   * The Grad-CAM map of `model` for class `classIndex` on one image, computed on one worker (which keeps the model
   * loaded, as for predict). An unreadable image or a class out of range rejects with the reason.
   */
  async gradcam(model: ModelSpec, imagePath: string, classIndex: number): Promise<GradCamResult> {
    const answer = await this.#askIdleWorker('gradcam', (requestId) => ({
      kind: 'gradcam',
      requestId,
      model,
      imagePath,
      classIndex,
    }));
    return answer.map;
  }

  /**
   * Loads the model in `artifactDir` on one worker, without keeping it, and gives its input shape and output units.
   * A folder that does not hold a loadable model of one image input and one output rejects with the reason.
   */
  async inspect(artifactDir: string): Promise<ModelShape> {
    const answer = await this.#askIdleWorker('inspected', (requestId) => ({
      kind: 'inspect',
      requestId,
      artifactDir,
    }));
    return answer.shape;
  }

  /** Frees a model version's tensors in every worker; it is loaded again by the next predict that names it. */
  unload(modelVersionId: number): void {
    for (const slot of this.#slots) {
      slot.worker.postMessage({ kind: 'unload', modelVersionId } satisfies WorkerRequest);
    }
  }

  /** The tensors, V8 heap and wasm memory of each running worker. */
  async memory(): Promise<WorkerMemoryReport[]> {
    const running = this.#slots.filter((slot) => slot.state !== 'starting');
    return Promise.all(
      running.map(async (slot) => {
        const answer = await this.#ask(slot, (requestId) => ({ kind: 'memory', requestId }));
        if (answer.kind !== 'memory') {
          throw new Error(`Inference worker answered '${answer.kind}' to 'memory'`);
        }
        const { kind: _kind, requestId: _requestId, ...memory } = answer;
        return memory;
      }),
    );
  }

  /** Each running worker's busy time since it started. */
  busyTime(now = performance.now()): WorkerBusyTime[] {
    return this.#slots.map((slot) => ({
      worker: slot.id,
      upMs: now - slot.startedAt,
      busyMs: { ...slot.busyMs },
    }));
  }

  stats(): PoolStats {
    return {
      size: this.#slots.length,
      busy: this.#slots.filter((slot) => slot.state === 'busy').length,
      queued: this.#waiters.length,
      backend: this.backend.name,
    };
  }

  /** Terminates the workers. Waiting and unanswered requests are rejected. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new Error('The inference pool was closed');
    for (const waiter of this.#waiters.splice(0)) waiter.reject(closed);
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }

  #spawn(): Promise<BackendInfo> {
    const worker = new Worker(this.#workerScript, { execArgv: execArgvFor(this.#workerScript) });
    return new Promise((resolve, reject) => {
      const slot: WorkerSlot = {
        id: this.#nextSlotId++,
        worker,
        state: 'starting',
        awaiting: new Map(),
        started: { resolve, reject },
        startedAt: performance.now(),
        busyMs: {},
      };
      this.#slots.push(slot);
      worker.on('message', ({ busy, ...response }: WorkerReply) => {
        slot.busyMs[busy.request] = (slot.busyMs[busy.request] ?? 0) + busy.ms;
        this.#onResponse(slot, response);
      });
      worker.on('error', (error) => {
        slot.crash = error;
      });
      worker.on('exit', (code) => this.#onExit(slot, code));
      worker.postMessage({ kind: 'init', backend: this.#preference } satisfies WorkerRequest);
    });
  }

  #onResponse(slot: WorkerSlot, response: WorkerResponse): void {
    switch (response.kind) {
      case 'ready':
        this.#backend ??= response.backend;
        slot.started.resolve(response.backend);
        this.#release(slot);
        return;
      case 'init-failed':
        this.#remove(slot);
        slot.started.reject(new Error(`Inference worker ${slot.id} could not start: ${response.error}`));
        void slot.worker.terminate();
        return;
      default: {
        const awaiting = slot.awaiting.get(response.requestId);
        slot.awaiting.delete(response.requestId);
        if (response.kind === 'failed') awaiting?.reject(new Error(response.error));
        else awaiting?.resolve(response);
      }
    }
  }

  #onExit(slot: WorkerSlot, code: number): void {
    const wasRunning = this.#remove(slot) && slot.state !== 'starting';
    const cause = slot.crash ? `: ${slot.crash.message}` : '';
    const error = this.#closed
      ? new Error('The inference pool was closed before the worker answered')
      : new Error(`Inference worker ${slot.id} exited with code ${code} before answering${cause}`);
    slot.started.reject(error);
    for (const awaiting of slot.awaiting.values()) awaiting.reject(error);
    slot.awaiting.clear();
    if (wasRunning && !this.#closed) this.#respawn();
  }

  #respawn(): void {
    this.#spawn().catch((error: Error) => {
      // A replacement that cannot start leaves the pool smaller; with no worker left, nobody would serve the line.
      if (this.#slots.length === 0) {
        for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
      }
    });
  }

  /** Drops a slot from the pool; false if it was already gone. */
  #remove(slot: WorkerSlot): boolean {
    const index = this.#slots.indexOf(slot);
    if (index === -1) return false;
    this.#slots.splice(index, 1);
    return true;
  }

  #acquire(): Promise<WorkerSlot> {
    if (this.#closed) return Promise.reject(new Error('The inference pool is closed'));
    const idle = this.#slots.find((slot) => slot.state === 'idle');
    if (idle) {
      idle.state = 'busy';
      return Promise.resolve(idle);
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Hands a free worker to the next request in line, or marks it idle. */
  #release(slot: WorkerSlot): void {
    if (!this.#slots.includes(slot)) return;
    const waiter = this.#waiters.shift();
    slot.state = waiter ? 'busy' : 'idle';
    waiter?.resolve(slot);
  }

  /** Sends a request to the next idle worker (waiting in line for one) and checks the kind of its answer. */
  async #askIdleWorker<Kind extends Answer['kind']>(
    kind: Kind,
    request: (requestId: number) => WorkerRequest,
  ): Promise<Extract<Answer, { kind: Kind }>> {
    const slot = await this.#acquire();
    try {
      const answer = await this.#ask(slot, request);
      if (answer.kind !== kind) {
        throw new Error(`Inference worker answered '${answer.kind}' where '${kind}' was expected`);
      }
      return answer as Extract<Answer, { kind: Kind }>;
    } finally {
      this.#release(slot);
    }
  }

  #ask(slot: WorkerSlot, request: (requestId: number) => WorkerRequest): Promise<Answer> {
    const requestId = this.#nextRequestId++;
    return new Promise((resolve, reject) => {
      slot.awaiting.set(requestId, { resolve, reject });
      slot.worker.postMessage(request(requestId));
    });
  }
}
