// Simulator throughput: plots per second, every plot kind at the default size, rendered on every core.

import { availableParallelism } from 'node:os';

import { DEFAULT_TIME, plotKinds, simulatePlot, simulateRuns } from '../src/simulator/index.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const TARGET_PLOTS_PER_SECOND = 50;
const cores = availableParallelism();

// Warm up sharp, librsvg and the font cache, which the first plot of each kind pays for.
for (const kind of plotKinds) await simulatePlot({ kind, run: 1, seed: 1 });

console.log('One plot at a time (ms per plot):');
for (const kind of plotKinds) {
  const start = performance.now();
  for (let run = 0; run < 5; run++) await simulatePlot({ kind, run, seed: 1 });
  console.log(`  ${kind.name.padEnd(18)} ${((performance.now() - start) / 5).toFixed(1)}`);
}

const start = performance.now();
let plots = 0;
for await (const run of simulateRuns({
  seed: 1,
  firstRun: 100000,
  runs: RUNS,
  startTime: DEFAULT_TIME,
  runMinutes: 120,
  badRate: 0.3,
  subtleRate: 0.25,
  concurrency: cores,
})) {
  plots += run.length;
}
const seconds = (performance.now() - start) / 1000;
const rate = plots / seconds;
console.log(
  `${plots} plots (${RUNS} runs × ${plotKinds.length} kinds, 800×600 PNG) in ${seconds.toFixed(2)} s on ${cores} cores: ` +
    `${rate.toFixed(1)} plots/s (target ≥ ${TARGET_PLOTS_PER_SECOND})`,
);
