// Fills an empty catalog with a realistic history: several halls and plot types, runs, one plot per plot type a
// minute while a run takes data, verdicts (mostly Good), labels, overrides, acknowledgements and references.
// Run: npm run seed:catalog [-- --images 1000000 --db sqlite:PATH|postgres://... --seed 1]
// Without --db it makes a fresh SQLite file in a temp folder and says where.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seedCatalog } from './catalog/seed.ts';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '1000000' },
    db: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const images = Number(args.images);
if (!Number.isInteger(images) || images < 1)
  throw new Error(`--images must be a positive integer, not "${args.images}"`);
const url =
  args.db ??
  `sqlite:${path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-catalog-')), 'hydra.sqlite')}`;

const count = (n: number) => n.toLocaleString('en-US');
console.log(`seeding ${count(images)} images into ${url}`);
let reported = 0;
const summary = await seedCatalog(url, {
  images,
  seed: Number(args.seed),
  onProgress: (stored) => {
    if (stored - reported < images / 10 && stored < images) return;
    reported = stored;
    console.log(`  ${count(stored)} images`);
  },
});
const perSecond = (n: number) => count(Math.round(n / summary.seconds));
console.log(
  `${count(summary.images)} images, ${count(summary.rows)} rows (${summary.plotTypes} plot types, ` +
    `${count(summary.runs)} runs, from ${new Date(summary.firstCapturedAt).toISOString()}) in ` +
    `${summary.seconds.toFixed(1)} s: ${perSecond(summary.images)} images/s, ${perSecond(summary.rows)} rows/s`,
);
console.log(`catalog: ${url}`);
