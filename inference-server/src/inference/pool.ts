import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { aheadClaim, takeClaim } from './messages.ts';
import type {
  BackendInfo,
  BackendPreference,
  AnomalyMapResult,
  GradCamResult,
  ModelShape,
  ModelSpec,
  PredictImage,
  PredictOutcome,
  ReferenceRequest,
  WorkerMessage,
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

export interface RequestOptions {
  /**
   * Background work (explanations made ahead of time) goes to a worker only when nothing else waits and the worker
   * has nothing to do, so it never delays a classification.
   */
  background?: boolean;
}

/** A request for any worker: in line until one takes it, then sent to that worker until it answers. */
interface LinedRequest {
  build: (requestId: number) => WorkerRequest;
  background: boolean;
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
}

/** A request from the line that a worker holds; `claim` if it was sent ahead (see WorkerMessage). */
interface TakenRequest {
  requestId: number;
  kind: WorkerRequest['kind'];
  request: LinedRequest;
  /** Until the pool has tried to withdraw it: it is not tried twice. */
  claim?: Int32Array;
}

interface WorkerSlot {
  id: number;
  worker: Worker;
  state: 'starting' | 'running';
  /** Requests sent to this worker and not yet answered, by requestId. */
  awaiting: Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>;
  /** The requests from the line that this worker holds, in the order it runs them: the first is running. */
  taken: TakenRequest[];
  /** When the first of `taken` started, as near as this thread knows: when it was sent, or the one before answered. */
  runningSince: number;
  /** Settles the start-up: 'ready', 'init-failed', or an exit before either. */
  started: { resolve: (backend: BackendInfo) => void; reject: (error: Error) => void };
  /** The worker's uncaught error, reported with its exit. */
  crash?: Error;
  startedAt: number;
  busyMs: WorkerBusyTime['busyMs'];
}

/**
 * Runs models in worker_threads, each worker with its own backend and loaded models, so inference never blocks
 * the event loop. Requests wait in one line (background work in a second one behind it) and go to a free worker;
 * a worker busy with a live request also gets the next one ahead of time, so that it starts it the moment it
 * finishes rather than when this thread gets round to its answer. A worker that becomes free while another still
 * holds a request sent ahead takes it over, unless that one has started it, so no worker idles while a request
 * waits behind a long one elsewhere (a burst's second half behind a Grad-CAM, say). A worker that dies is replaced.
 */
export class InferencePool {
  readonly #preference: BackendPreference;
  readonly #workerScript: string | URL;
  readonly #slots: WorkerSlot[] = [];
  readonly #line: LinedRequest[] = [];
  readonly #backgroundLine: LinedRequest[] = [];
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

  /**
   * Classifies `images` with `model` as one batch on one worker, scores them with the `anomaly` autoencoder and
   * measures their distances from the `reference` if given. Unreadable images get `ok: false` outcomes.
   */
  async predict(
    model: ModelSpec,
    images: PredictImage[],
    {
      anomaly,
      reference,
    }: { anomaly?: ModelSpec | undefined; reference?: ReferenceRequest | undefined } = {},
  ): Promise<PredictOutcome[]> {
    if (images.length === 0) return [];
    const answer = await this.#enqueue('predicted', {}, (requestId) => ({
      kind: 'predict',
      requestId,
      model,
      images,
      ...(anomaly && { anomaly }),
      ...(reference && { reference }),
    }));
    return answer.outcomes;
  }

  /** An autoencoder's per-pixel error map and score of one image, on one worker (which keeps the model loaded). */
  async anomalyMap(model: ModelSpec, imagePath: string): Promise<AnomalyMapResult> {
    const answer = await this.#enqueue('anomaly-map', {}, (requestId) => ({
      kind: 'anomaly-map',
      requestId,
      model,
      imagePath,
    }));
    return answer.map;
  }

  /**
   * The Grad-CAM map of `model` for class `classIndex` on one image, computed on one worker (which keeps the model
   * loaded, as for predict). An unreadable image or a class out of range rejects with the reason.
   */
  async gradcam(
    model: ModelSpec,
    imagePath: string,
    classIndex: number,
    options: RequestOptions = {},
  ): Promise<GradCamResult> {
    const answer = await this.#enqueue('gradcam', options, (requestId) => ({
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
    const answer = await this.#enqueue('inspected', {}, (requestId) => ({
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

  /** Each running worker's busy time since it started, the request it runs now included so far. */
  busyTime(now = performance.now()): WorkerBusyTime[] {
    return this.#slots.map((slot) => {
      const busyMs = { ...slot.busyMs };
      const running = slot.taken[0];
      if (running) busyMs[running.kind] = (busyMs[running.kind] ?? 0) + (now - slot.runningSince);
      return { worker: slot.id, upMs: now - slot.startedAt, busyMs };
    });
  }

  /** Busy workers are those with a request; queued requests wait in a line or, sent ahead, behind a running one. */
  stats(): PoolStats {
    const sentAhead = this.#slots.reduce((total, slot) => total + Math.max(0, slot.taken.length - 1), 0);
    return {
      size: this.#slots.length,
      busy: this.#slots.filter((slot) => slot.awaiting.size > 0).length,
      queued: this.#line.length + this.#backgroundLine.length + sentAhead,
      backend: this.backend.name,
    };
  }

  /** Terminates the workers. Waiting and unanswered requests are rejected. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#rejectLines(new Error('The inference pool was closed'));
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
        taken: [],
        runningSince: 0,
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
      worker.postMessage({
        kind: 'init',
        backend: this.#preference,
      } satisfies WorkerRequest);
    });
  }

  #onResponse(slot: WorkerSlot, response: WorkerResponse): void {
    switch (response.kind) {
      case 'ready':
        this.#backend ??= response.backend;
        slot.started.resolve(response.backend);
        slot.state = 'running';
        this.#dispatch();
        return;
      case 'init-failed':
        this.#remove(slot);
        slot.started.reject(new Error(`Inference worker ${slot.id} could not start: ${response.error}`));
        void slot.worker.terminate();
        return;
      default: {
        const awaiting = slot.awaiting.get(response.requestId);
        slot.awaiting.delete(response.requestId);
        const taken = slot.taken.findIndex((entry) => entry.requestId === response.requestId);
        if (taken >= 0) slot.taken.splice(taken, 1);
        // The worker starts the request it was sent ahead as it answers this one.
        slot.runningSince = performance.now();
        if (response.kind === 'failed') awaiting?.reject(new Error(response.error));
        else awaiting?.resolve(response);
        // Free now, or about to be: the next request in line is sent ahead.
        this.#dispatch();
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
    if (!this.#closed) {
      // Requests sent ahead never started: they go back to the front of their line for another worker.
      for (const { requestId, request } of slot.taken.slice(1).reverse()) {
        slot.awaiting.delete(requestId);
        (request.background ? this.#backgroundLine : this.#line).unshift(request);
      }
    }
    for (const awaiting of slot.awaiting.values()) awaiting.reject(error);
    slot.awaiting.clear();
    if (wasRunning && !this.#closed) this.#respawn();
    this.#dispatch();
  }

  #respawn(): void {
    this.#spawn().catch((error: Error) => {
      // A replacement that cannot start leaves the pool smaller; with no worker left, nobody would serve the lines.
      if (this.#slots.length === 0) this.#rejectLines(error);
    });
  }

  #rejectLines(error: Error): void {
    for (const request of [...this.#line.splice(0), ...this.#backgroundLine.splice(0)]) request.reject(error);
  }

  /** Drops a slot from the pool; false if it was already gone. */
  #remove(slot: WorkerSlot): boolean {
    const index = this.#slots.indexOf(slot);
    if (index === -1) return false;
    this.#slots.splice(index, 1);
    return true;
  }

  /** Puts a request in line, lets a worker take it, and checks the kind of its answer. */
  async #enqueue<Kind extends Answer['kind']>(
    kind: Kind,
    { background = false }: RequestOptions,
    build: (requestId: number) => WorkerRequest,
  ): Promise<Extract<Answer, { kind: Kind }>> {
    if (this.#closed) throw new Error('The inference pool is closed');
    const answer = await new Promise<Answer>((resolve, reject) => {
      (background ? this.#backgroundLine : this.#line).push({ build, background, resolve, reject });
      this.#dispatch();
    });
    if (answer.kind !== kind) {
      throw new Error(`Inference worker answered '${answer.kind}' where '${kind}' was expected`);
    }
    return answer as Extract<Answer, { kind: Kind }>;
  }

  /**
   * Hands requests to workers: live ones to a free worker, or ahead of time to one that runs a live request (the
   * one that has run longest); then a free worker takes over a request sent ahead to another that has not started
   * it; background ones go only to a free worker, and only once no live request waits.
   */
  #dispatch(): void {
    if (this.#closed) return;
    const running = this.#slots.filter((slot) => slot.state === 'running');
    const free = () => running.find((slot) => slot.taken.length === 0);
    const readyForNext = () =>
      running
        .filter((slot) => slot.taken.length === 1 && !slot.taken[0]!.request.background)
        .sort((a, b) => a.taken[0]!.requestId - b.taken[0]!.requestId)[0];
    for (
      let slot = free() ?? readyForNext();
      slot && this.#line.length > 0;
      slot = free() ?? readyForNext()
    ) {
      this.#take(slot, this.#line.shift()!);
    }
    const sentAhead = () =>
      running.flatMap((slot) =>
        slot.taken.filter((entry) => entry.claim).map((entry) => ({ slot, entry })),
      )[0];
    for (let slot = free(), held = sentAhead(); slot && held; slot = free(), held = sentAhead()) {
      if (this.#withdraw(held.slot, held.entry)) this.#take(slot, held.entry.request);
    }
    for (
      let slot = free();
      slot && this.#line.length === 0 && this.#backgroundLine.length > 0;
      slot = free()
    ) {
      this.#take(slot, this.#backgroundLine.shift()!);
    }
  }

  /** Sends a request from the line to `slot`: to run now if it is free, otherwise ahead of time. */
  #take(slot: WorkerSlot, request: LinedRequest): void {
    const requestId = this.#nextRequestId++;
    const message = request.build(requestId);
    if (slot.taken.length === 0) {
      slot.runningSince = performance.now();
      slot.taken.push({ requestId, kind: message.kind, request });
      this.#send(slot, requestId, message, request);
    } else {
      const claim = aheadClaim();
      slot.taken.push({ requestId, kind: message.kind, request, claim });
      this.#send(slot, requestId, { ...message, claim }, request);
    }
  }

  /** Takes back a request sent ahead to `slot`; false (and it stays there) if its worker has already started it. */
  #withdraw(slot: WorkerSlot, entry: TakenRequest): boolean {
    const { claim } = entry;
    delete entry.claim;
    if (!claim || !takeClaim(claim, 'withdrawn')) return false;
    slot.awaiting.delete(entry.requestId);
    slot.taken.splice(slot.taken.indexOf(entry), 1);
    return true;
  }

  #ask(slot: WorkerSlot, build: (requestId: number) => WorkerRequest): Promise<Answer> {
    const requestId = this.#nextRequestId++;
    return new Promise((resolve, reject) =>
      this.#send(slot, requestId, build(requestId), { resolve, reject }),
    );
  }

  #send(
    slot: WorkerSlot,
    requestId: number,
    message: WorkerMessage,
    settle: { resolve: (answer: Answer) => void; reject: (error: Error) => void },
  ): void {
    slot.awaiting.set(requestId, { resolve: settle.resolve, reject: settle.reject });
    slot.worker.postMessage(message);
  }
}
