// When the seeded catalog's plots were taken: several halls, each taking runs of one to three hours (GlueX's last
// about two) with minutes of beam tuning between them and, now and then, hours down; during a run every plot type
// of the hall writes one plot a minute.
import { plotKinds } from '../../src/simulator/kinds/index.ts';
import { Random } from '../../src/simulator/random.ts';

export interface SeedDeployment {
  name: string;
  title: string;
  firstRun: number;
}

export const SEED_DEPLOYMENTS: readonly SeedDeployment[] = [
  { name: 'halld', title: 'Hall D (GlueX)', firstRun: 131_000 },
  { name: 'hallb', title: 'Hall B (CLAS12)', firstRun: 16_000 },
  { name: 'hallc', title: 'Hall C', firstRun: 5_000 },
  { name: 'halla', title: 'Hall A', firstRun: 2_000 },
];

/** Every hall monitors the simulator's plot kinds, grouped and titled as the demo feed registers them. */
export const SEED_PLOT_TYPES = plotKinds.map((kind) => ({
  name: kind.name,
  title: kind.title,
  group: kind.name.split('_')[0]!,
}));

export const MINUTE_MS = 60_000;
const RUN_MINUTES = { min: 60, max: 180 };
const TUNING_MINUTES = { min: 5, max: 30 };
const DOWN_MINUTES = { min: 120, max: 720 };
const DOWN_CHANCE = 0.1;

/** A run of one deployment, in minutes from the catalog's first minute; it takes data in [start, end). */
export interface ScheduledRun {
  deployment: number;
  number: number;
  startMinute: number;
  endMinute: number;
}

function* runsOf(
  seed: number,
  deployments: readonly SeedDeployment[],
  deployment: number,
): Generator<ScheduledRun> {
  const random = Random.derive(seed, deployments[deployment]!.name, 'runs');
  let startMinute = random.int(60);
  for (let number = deployments[deployment]!.firstRun; ; number++) {
    const endMinute = startMinute + random.intBetween(RUN_MINUTES.min, RUN_MINUTES.max);
    yield { deployment, number, startMinute, endMinute };
    const pause = random.chance(DOWN_CHANCE) ? DOWN_MINUTES : TUNING_MINUTES;
    startMinute = endMinute + random.intBetween(pause.min, pause.max);
  }
}

/** Minute by minute from the first, the runs taking data then (at most one per deployment). */
export function* timeline(
  seed: number,
  deployments: readonly SeedDeployment[],
): Generator<{ minute: number; runs: ScheduledRun[] }> {
  const schedules = deployments.map((_, deployment) => runsOf(seed, deployments, deployment));
  const current = schedules.map((schedule) => schedule.next().value as ScheduledRun);
  for (let minute = 0; ; minute++) {
    current.forEach((run, deployment) => {
      if (minute >= run.endMinute) current[deployment] = schedules[deployment]!.next().value as ScheduledRun;
    });
    yield { minute, runs: current.filter((run) => minute >= run.startMinute) };
  }
}

/** How many minutes `images` plots take, and the runs they fall in. */
export function planTimeline(
  seed: number,
  deployments: readonly SeedDeployment[],
  images: number,
): { minutes: number; runs: ScheduledRun[] } {
  const runs = new Map<string, ScheduledRun>();
  let taken = 0;
  for (const { minute, runs: active } of timeline(seed, deployments)) {
    for (const run of active) {
      if (taken >= images) break;
      runs.set(`${run.deployment}:${run.number}`, run);
      taken += Math.min(SEED_PLOT_TYPES.length, images - taken);
    }
    if (taken >= images) return { minutes: minute + 1, runs: [...runs.values()] };
  }
  throw new Error('unreachable: the timeline never ends');
}
