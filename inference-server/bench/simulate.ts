// Simulator throughput: plots per second, every plot kind at the default size, rendered on every core.

import { availableParallelism, loadavg } from 'node:os';

import { DEFAULT_TIME, plotKinds, simulatePlot, simulateRuns } from '../src/simulator/index.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const TARGET_PLOTS_PER_SECOND = 50;
const cores = availableParallelism();

// Warm up sharp, librsvg and the text cache, which the first plot of each kind pays for.
for (const kind of plotKinds) await simulatePlot({ kind, run: 1, seed: 1 });

console.log('One plot at a time (ms per plot):');
for (const kind of plotKinds) {
  const start = performance.now();
  for (let run = 0; run < 5; run++) await simulatePlot({ kind, run, seed: 1 });
  console.log(`  ${kind.name.padEnd(18)} ${((performance.now() - start) / 5).toFixed(1)}`);
}

const load = loadavg()[0] ?? 0;
const cpuBefore = process.cpuUsage();
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
const cpu = process.cpuUsage(cpuBefore);
const cpuPerPlot = (cpu.user + cpu.system) / 1000 / plots;
console.log(
  `${plots} plots (${RUNS} runs × ${plotKinds.length} kinds, 800×600 PNG) in ${seconds.toFixed(2)} s on ${cores} cores: ` +
    `${(plots / seconds).toFixed(1)} plots/s (target ≥ ${TARGET_PLOTS_PER_SECOND})`,
);
// Other processes on the machine take cores too; CPU time per plot says what the simulator itself costs.
console.log(
  `CPU ${cpuPerPlot.toFixed(1)} ms per plot (at most ${((1000 * cores) / cpuPerPlot).toFixed(0)} plots/s on ${cores} ` +
    `free cores); load average before the run: ${load.toFixed(2)}`,
);
