import { Type, type Static } from 'typebox';
import { RIGHTS } from '../enums.ts';
import { Role } from './common.ts';

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
  workers: Type.Object({ size: Type.Integer(), busy: Type.Integer(), queued: Type.Integer() }),
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
    healthy: Type.Boolean(),
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
  name: Type.String({ description: 'The API token name' }),
  role: Role,
  rights: Type.Array(Type.Enum(RIGHTS), { description: 'What the role may do; the UI hides the rest' }),
});
export type Me = Static<typeof Me>;
