// One seeded plot as the catalog would hold it after a month of shifts: its verdict (mostly Good; Bad in bursts when
// a detector misbehaves for the rest of a run, NoData while a run starts), the labels experts and the shift crew
// gave it, and the acknowledgement of its log entry.
import { createHash } from 'node:crypto';
import type { BeamState } from '../../src/enums.ts';
import { uncertaintyOf } from '../../src/labels/uncertainty.ts';
import { decideVerdict, type VerdictRule } from '../../src/pipeline/verdict.ts';
import { Random } from '../../src/simulator/random.ts';
import type { BulkImage, BulkLabel } from './store-images.ts';
import { MINUTE_MS, type ScheduledRun } from './timeline.ts';

export const SEED_RULE: VerdictRule = {
  kind: 'classifier',
  classes: ['Good', 'Bad', 'NoData'],
  thresholds: { Good: 0.5, Bad: 0.8, NoData: 0.7 },
};

const HOUR_MS = 60 * MINUTE_MS;
export const SEED_EXPERTS = ['alice', 'bob', 'carol', 'dmitri'];
const SHIFT_CREW = 'shift-crew';
const ACK_COMMENTS = ['beam tuning', 'expert called', 'cleared after HV reset', null, null, null];

/** Chances, per plot: a run with a misbehaving detector, and how a plot looks in it and outside it. */
const CHANCE = {
  troubledRun: 0.06,
  badInTrouble: 0.7,
  bad: 0.015,
  noData: 0.01,
  noDataAtRunStart: 0.5,
  failed: 0.001,
  modelWrong: 0.03,
  expertLabelsGood: 0.03,
  expertLabelsOther: 0.3,
  relabeled: 0.1,
  overridden: 0.5,
  acknowledged: 0.5,
};
const RUN_START_MINUTES = 3;

/** Where and when a plot was taken, and by which version it was classified. */
export interface PlotPlace {
  plotTypeId: number;
  plotIndex: number;
  run: ScheduledRun;
  runId: number;
  minute: number;
  modelVersionId: number;
}

/** Seeded plots one after another, deterministic for a seed; `base` is the epoch ms of minute 0. */
export class PlotRows {
  private readonly random: Random;
  /** Per run and plot type: the minute of the run its detector starts misbehaving (Infinity: never). */
  private readonly troubleFrom = new Map<string, number>();
  private made = 0;

  constructor(
    private readonly seed: number,
    private readonly base: number,
    private readonly now: number,
  ) {
    this.random = Random.derive(seed, 'plots');
  }

  next(place: PlotPlace): BulkImage {
    const { random } = this;
    const n = this.made++;
    const sha256 = createHash('sha256').update(`${this.seed}:${n}`).digest('hex');
    const capturedAt = this.base + place.minute * MINUTE_MS + place.plotIndex * 2000 + random.int(1000);
    const receivedAt = capturedAt + random.int(3000);
    const minuteInRun = place.minute - place.run.startMinute;
    const failed = random.chance(CHANCE.failed);
    const image = {
      sha256,
      dedup_key: [place.plotTypeId, place.run.number, '-', sha256].join(':'),
      plot_type_id: place.plotTypeId,
      run_id: place.runId,
      run_number: place.run.number,
      chunk: null,
      captured_at: capturedAt,
      received_at: receivedAt,
      path: `images/${sha256.slice(0, 2)}/${sha256}.png`,
      format: 'png',
      bytes: random.intBetween(20_000, 90_000),
      width: 800,
      height: 600,
      status: failed ? ('failed' as const) : ('classified' as const),
      error: failed ? 'the image could not be decoded: truncated PNG' : null,
      claimed_by: null,
      claimed_until: null,
    };
    if (failed) return { image, prediction: null, labels: [], acknowledgement: null };

    const truth = this.truth(place, minuteInRun);
    const decision = this.classify(truth);
    const latencyMs = 30 + 80 * random.exponential();
    const createdAt = Math.round(receivedAt + latencyMs);
    const acknowledged =
      decision.verdict !== 'Good' &&
      random.chance(CHANCE.acknowledged) &&
      createdAt + 30 * MINUTE_MS < this.now;
    return {
      image,
      prediction: {
        plot_type_id: place.plotTypeId,
        model_version_id: place.modelVersionId,
        probabilities: JSON.stringify(decision.scores),
        verdict: decision.verdict,
        confidence: decision.confidence,
        ...uncertaintyOf(decision.scores),
        confirmed: decision.confirmed ? 1 : 0,
        latency_ms: latencyMs,
        inference_ms: 10 + 10 * random.uniform(),
        created_at: createdAt,
        point_written: 1,
        beam: (minuteInRun < RUN_START_MINUTES ? 'off' : 'on') satisfies BeamState,
      },
      labels: this.labels(truth, decision.verdict, capturedAt),
      acknowledgement: acknowledged
        ? {
            user_name: SHIFT_CREW,
            comment: random.pick(ACK_COMMENTS),
            created_at: createdAt + random.intBetween(1, 30) * MINUTE_MS,
          }
        : null,
    };
  }

  /** What the plot really shows. */
  private truth(place: PlotPlace, minuteInRun: number): string {
    const { random } = this;
    const key = `${place.run.deployment}:${place.run.number}:${place.plotIndex}`;
    let troubleFrom = this.troubleFrom.get(key);
    if (troubleFrom === undefined) {
      const length = place.run.endMinute - place.run.startMinute;
      troubleFrom = random.chance(CHANCE.troubledRun) ? random.int(length) : Infinity;
      this.troubleFrom.set(key, troubleFrom);
    }
    if (minuteInRun < RUN_START_MINUTES && random.chance(CHANCE.noDataAtRunStart)) return 'NoData';
    if (minuteInRun >= troubleFrom && random.chance(CHANCE.badInTrouble)) return 'Bad';
    const u = random.uniform();
    return u < CHANCE.bad ? 'Bad' : u < CHANCE.bad + CHANCE.noData ? 'NoData' : 'Good';
  }

  /** The model's probabilities: mostly right and sure; when wrong, less sure. */
  private classify(truth: string) {
    const { random } = this;
    const { classes } = SEED_RULE;
    const others = classes.filter((name) => name !== truth);
    const wrong = random.chance(CHANCE.modelWrong);
    const top = wrong ? random.pick(others) : truth;
    const confidence = wrong ? random.between(0.5, 0.8) : 1 - 0.5 * random.uniform() ** 3;
    const share = random.uniform();
    const [second, third] = classes.filter((name) => name !== top);
    const scores: Record<string, number> = {
      [top]: confidence,
      [second!]: (1 - confidence) * share,
      [third!]: (1 - confidence) * (1 - share),
    };
    return decideVerdict(
      SEED_RULE,
      classes.map((name) => scores[name]!),
    );
  }

  /**
   * Labels, oldest first, each superseding the one before: the shift crew overrides a wrong Bad within minutes;
   * experts label in hourly sessions days later (a few Good plots, many others), sometimes correcting a colleague.
   */
  private labels(truth: string, verdict: string, capturedAt: number): BulkLabel[] {
    const { random } = this;
    const given: Array<Pick<BulkLabel, 'class_name' | 'source' | 'user_name' | 'created_at'>> = [];
    const overrideAt = capturedAt + random.intBetween(2, 10) * MINUTE_MS;
    if (verdict === 'Bad' && truth !== 'Bad' && random.chance(CHANCE.overridden) && overrideAt <= this.now) {
      given.push({ class_name: truth, source: 'override', user_name: SHIFT_CREW, created_at: overrideAt });
    }
    const chance =
      truth === 'Good' && verdict === 'Good' ? CHANCE.expertLabelsGood : CHANCE.expertLabelsOther;
    const session = Math.floor((capturedAt + random.between(1, 72) * HOUR_MS) / HOUR_MS) * HOUR_MS;
    if (random.chance(chance) && session <= this.now) {
      const expert = random.pick(SEED_EXPERTS);
      const earlier = session - HOUR_MS;
      if (random.chance(CHANCE.relabeled) && earlier > capturedAt && earlier > (given[0]?.created_at ?? 0)) {
        given.push({
          class_name: random.pick(SEED_RULE.classes.filter((name) => name !== truth)),
          source: 'labeler',
          user_name: random.pick(SEED_EXPERTS.filter((name) => name !== expert)),
          created_at: earlier,
        });
      }
      given.push({ class_name: truth, source: 'labeler', user_name: expert, created_at: session });
    }
    return given.map((label, i) => ({
      ...label,
      superseded_at: given[i + 1]?.created_at ?? null,
      // Set when the seed groups the labels into batches.
      batch_id: null,
    }));
  }
}
