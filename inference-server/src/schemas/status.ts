import { Type, type Static } from 'typebox';
import { BEAM_STATES, EPICS_CONNECTION_STATES, RIGHTS } from '../enums.ts';
import { IsoTime, Role } from './common.ts';

/** Channel Access: where Hydra stands with the IOCs, what its puts came to, and what it reads of the machine. */
export const EpicsStatus = Type.Object({
  state: Type.Enum(EPICS_CONNECTION_STATES, {
    description: 'not_configured when HYDRA_EPICS_CA_ADDR_LIST is empty',
  }),
  since: Type.Union([IsoTime, Type.Null()], {
    description: 'Since when the state holds (e.g. disconnected since)',
  }),
  addrList: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  puts: Type.Object({
    ok: Type.Integer({ description: 'Puts the IOC confirmed' }),
    failed: Type.Integer({
      description: 'Puts refused, unconfirmed in time, or to a PV that does not answer',
    }),
    droppedWhileDown: Type.Integer({
      description:
        'Puts not sent because the IOC was down; the latest value of each PV is written on reconnect',
    }),
    catchUpWrites: Type.Integer({ description: 'Latest values written when the IOC came back' }),
    suppressedBeamOff: Type.Integer({
      description: 'Verdicts not written to EPICS because the beam was off',
    }),
  }),
  beam: Type.Object({
    state: Type.Enum(BEAM_STATES),
    current: Type.Union([Type.Number(), Type.Null()]),
    threshold: Type.Number(),
    pv: Type.Union([Type.String(), Type.Null()]),
  }),
  run: Type.Object({
    number: Type.Union([Type.Integer(), Type.Null()], {
      description: 'From the run-number PV; it sets the run of images sent without one',
    }),
    pv: Type.Union([Type.String(), Type.Null()]),
  }),
});
export type EpicsStatus = Static<typeof EpicsStatus>;

/** InfluxDB's GET /ping, taken at most every few seconds (callers in between get the same answer). */
export const InfluxPing = Type.Object({
  reachable: Type.Boolean(),
  latencyMs: Type.Union([Type.Number(), Type.Null()], { description: 'Round trip of the ping' }),
  version: Type.Union([Type.String(), Type.Null()], { description: "InfluxDB's X-Influxdb-Version" }),
  checkedAt: IsoTime,
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the ping failed' }),
});
export type InfluxPing = Static<typeof InfluxPing>;
/** The image store's disk use, measured in the background (HYDRA_STATUS_STORAGE_SECONDS apart at most). */
export const ImageStorage = Type.Object({
  imageBytes: Type.Integer({ description: 'Bytes of the stored image files' }),
  images: Type.Integer({ description: 'Image files in the store' }),
  measuredAt: IsoTime,
});
export type ImageStorage = Static<typeof ImageStorage>;
/** How busy one inference worker has been: its busy seconds over its up seconds is its utilisation. */
export const WorkerBusyTime = Type.Object({
  worker: Type.Integer({
    description: "The worker's number; a replacement of a crashed worker gets a new one",
  }),
  upSeconds: Type.Number({ description: 'Since the worker started' }),
  busySeconds: Type.Number({ description: 'Time its thread spent on requests, all kinds together' }),
  busySecondsByRequest: Type.Record(Type.String(), Type.Number(), {
    description: 'The same by request kind: predict, gradcam, inspect, init (loading the backend), memory',
  }),
});
export type WorkerBusyTime = Static<typeof WorkerBusyTime>;

export const ServerStatus = Type.Object({
  version: Type.String(),
  uptimeSeconds: Type.Number(),
  instance: Type.String({ description: 'This replica; it owns the images it has claimed' }),
  auth: Type.Boolean({ description: 'Whether API tokens are required' }),
  backend: Type.Object({
    name: Type.String({ description: 'tensorflow-gpu, tensorflow, wasm or cpu' }),
    skipped: Type.Array(Type.String(), {
      description: 'Backends tried first, and why they were passed over',
    }),
  }),
  workers: Type.Object({
    size: Type.Integer(),
    busy: Type.Integer(),
    queued: Type.Integer({ description: 'Requests waiting for a free worker' }),
    perWorker: Type.Array(WorkerBusyTime, { description: 'Each running inference worker' }),
  }),
  catalog: Type.Object({ engine: Type.String(), healthy: Type.Boolean() }),
  queue: Type.Object({
    pending: Type.Integer(),
    classified: Type.Integer(),
    failed: Type.Integer(),
    noModel: Type.Integer(),
  }),
  throughput: Type.Object({
    classifiedLastMinute: Type.Integer(),
    imagesPerSecond: Type.Number({ description: 'Classified images per second over the last minute' }),
  }),
  latencyMs: Type.Object({
    p50: Type.Union([Type.Number(), Type.Null()]),
    p99: Type.Union([Type.Number(), Type.Null()]),
    samples: Type.Integer({ description: 'Image-to-verdict latencies in the window' }),
  }),
  verdictSinks: Type.Record(Type.String(), Type.Object({ failures: Type.Integer() }), {
    description:
      'Per sink (influxdb, live-events, stats, gradcam): deliveries that threw; the verdicts stay stored either way',
  }),
  influx: Type.Object({
    enabled: Type.Boolean(),
    url: Type.Union([Type.String(), Type.Null()]),
    healthy: Type.Boolean({
      description: 'InfluxDB answered the latest ping, and the latest write (if any) did not fail',
    }),
    ping: Type.Union([InfluxPing, Type.Null()], { description: 'Null when InfluxDB is off' }),
    lastWriteAt: Type.Union([IsoTime, Type.Null()], {
      description: 'When InfluxDB last acknowledged a write of points',
    }),
    buffered: Type.Integer(),
    written: Type.Integer(),
    dropped: Type.Integer({
      description: 'Points lost because the buffer overflowed while InfluxDB was down',
    }),
    rejected: Type.Integer({
      description: 'Points InfluxDB refused (e.g. a field type conflict), dropped so that the others land',
    }),
    failedWrites: Type.Integer(),
    lastError: Type.Union([Type.String(), Type.Null()]),
  }),
  epics: EpicsStatus,
  storage: Type.Union([ImageStorage, Type.Null()], {
    description: 'Null until the first measurement after start-up has finished',
  }),
});
export type ServerStatus = Static<typeof ServerStatus>;

/** Liveness, with the caller's role when a token came with the request. */
export const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  authenticated: Type.Boolean({ description: 'Whether the request carried a valid token' }),
  role: Type.Union([Role, Type.Null()]),
});
export type Health = Static<typeof Health>;

export const Me = Type.Object({
  name: Type.String({
    description:
      'Who acts, as labels, batches, acknowledgements and news record it: the Grafana user a Grafana proxy token names, else the token',
  }),
  grafanaUser: Type.Union([Type.String(), Type.Null()], {
    description: 'The login Grafana sent (X-Grafana-User) for a Grafana proxy token; null otherwise',
  }),
  token: Type.Object({
    name: Type.String({ description: 'The API token name' }),
    grafanaProxy: Type.Boolean({ description: 'Whether it speaks for the Grafana users behind it' }),
  }),
  role: Role,
  rights: Type.Array(Type.Enum(RIGHTS), { description: 'What the role may do; the UI hides the rest' }),
});
export type Me = Static<typeof Me>;

export const StatusHistoryQuery = Type.Object({
  minutes: Type.Integer({ minimum: 1, maximum: 10_080, default: 60, description: 'How far back' }),
});
export type StatusHistoryQuery = Static<typeof StatusHistoryQuery>;

export const StatusSample = Type.Object({
  at: IsoTime,
  pending: Type.Integer({ description: 'Images waiting for a verdict' }),
  imagesPerSecond: Type.Number({ description: 'Classified per second over the minute before' }),
  p50: Type.Union([Type.Number(), Type.Null()], { description: 'Image-to-verdict latency, ms' }),
  p99: Type.Union([Type.Number(), Type.Null()]),
  influxBuffered: Type.Integer({ description: 'Points waiting for InfluxDB' }),
  busyWorkers: Type.Integer(),
});
export type StatusSample = Static<typeof StatusSample>;

export const StatusHistory = Type.Object({
  intervalSeconds: Type.Number({ description: 'HYDRA_STATUS_SAMPLE_SECONDS' }),
  samples: Type.Array(StatusSample, { description: "This replica's samples, oldest first" }),
});
export type StatusHistory = Static<typeof StatusHistory>;

export const ImagesPerDayQuery = Type.Object({
  deployment: Type.String({ minLength: 1 }),
  days: Type.Integer({ minimum: 1, maximum: 366, default: 90, description: 'UTC days up to today' }),
});
export type ImagesPerDayQuery = Static<typeof ImagesPerDayQuery>;

export const ImagesPerDay = Type.Object({
  days: Type.Array(
    Type.Object({
      day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'UTC date' }),
      images: Type.Integer({ description: 'Images captured that day' }),
    }),
    { description: 'Every day of the range, oldest first, today last' },
  ),
});
export type ImagesPerDay = Static<typeof ImagesPerDay>;
