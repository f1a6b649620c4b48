// Clusters for bulk labeling: how pure the clusters of GET /plot-types/:id/clusters are on a mixed set of unlabeled
// plots of one kind, by majority label (the share of images whose cluster's most frequent true class is their own).
// Goal: ≥ 0.9 on 2,000 images.
//
// Run: npm run bench:clusters [-- --kind CDC_occupancy --images 2000 --k 30 --leave-out hot-channel]
//
// Half the plots are Good, the other half cycle through the kind's failure modes at normal strength (simulator
// seed 21; --leave-out drops modes); their true class is the simulator's label for the mode. It also prints how many
// near-duplicate groups the clusters hold (one image per run here, so one per image) and the time of the request
// (embedding, uniqueness and k-means).
import { parseArgs } from 'node:util';
import type { ClusterList } from '../src/schemas/index.ts';
import { findPlotKind, labelFor, simulatePlot } from '../src/simulator/index.ts';
import type { Label } from '../src/simulator/index.ts';
import { createPlotType, uploadPlot } from '../test/helpers/api.ts';
import { startBenchServer } from './bench-kit.ts';

const SEED = 21;
const GOAL = 0.9;
const { values: options } = parseArgs({
  options: {
    kind: { type: 'string', default: 'CDC_occupancy' },
    images: { type: 'string', default: '2000' },
    k: { type: 'string', default: '30' },
    'leave-out': { type: 'string', default: '' },
  },
});
const kind = findPlotKind(options.kind);
if (!kind) throw new Error(`no plot kind ${options.kind}`);
const count = Number(options.images);
const modes = kind.failureModes.filter((mode) => !options['leave-out'].split(',').includes(mode));

const server = await startBenchServer('clusters', { HYDRA_UPLOADS_PER_MINUTE: '0' });
try {
  const plotType = await createPlotType(server.api, 'none', 'bench', kind.name);
  const truth = new Map<number, Label>();
  for (let i = 0; i < count; i++) {
    const mode = i % 2 === 1 ? modes[Math.floor(i / 2) % modes.length] : undefined;
    const plot = await simulatePlot({
      kind,
      run: 1000 + i,
      seed: SEED,
      ...(mode && { fault: { mode, strength: 'normal' } }),
    });
    const where = { deployment: 'bench', plotType: kind.name, run: String(plot.run) };
    const { result, response } = await uploadPlot(server.api, 'none', where, plot.png);
    if (!result) throw new Error(`upload ${i}: ${response.statusCode} ${response.body}`);
    truth.set(result.image.id, labelFor(mode));
  }
  const started = performance.now();
  const response = await server.api.inject({
    url: `/api/v1/plot-types/${plotType.id}/clusters?k=${options.k}&limit=${count}`,
  });
  const ms = performance.now() - started;
  if (response.statusCode !== 200) throw new Error(`clusters: ${response.statusCode} ${response.body}`);
  const { clusters, images } = response.json<ClusterList>();
  const groups = clusters.reduce((sum, cluster) => sum + cluster.groups.length, 0);
  let majority = 0;
  const lines = clusters.map((cluster, index) => {
    const counts = new Map<Label, number>();
    for (const id of cluster.imageIds) counts.set(truth.get(id)!, (counts.get(truth.get(id)!) ?? 0) + 1);
    const sorted = [...counts].sort((a, b) => b[1] - a[1]);
    majority += sorted[0]![1];
    return `  ${String(index + 1).padStart(2)}: ${String(cluster.size).padStart(4)} images, ${sorted.map(([label, n]) => `${label} ${n}`).join(', ')}`;
  });
  const purity = majority / images;
  console.log(
    `${kind.name}: ${images} unlabeled images (half Good, half ${modes.join(' ')}), k = ${options.k}:`,
  );
  console.log(lines.join('\n'));
  console.log(
    `majority-label purity ${purity.toFixed(3)} (goal ≥ ${GOAL}: ${purity >= GOAL ? 'met' : 'missed'}); ` +
      `${groups} near-duplicate groups; GET …/clusters took ${(ms / 1000).toFixed(1)} s`,
  );
} finally {
  await server.close();
}
