// Fills an empty catalog with a realistic history: several halls and plot types, runs, one plot per plot type a
// minute while a run takes data, verdicts (mostly Good), labels, overrides, acknowledgements and references.
// Run: npm run seed:catalog [-- --images 1000000 --db sqlite:PATH|postgres://... --deployments 4 --seed 1]
// Without --db it makes a fresh SQLite file in a temp folder and says where.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeSeed, formatCount, seedCatalog } from './catalog/seed.ts';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '1000000' },
    db: { type: 'string' },
    seed: { type: 'string', default: '1' },
    deployments: { type: 'string', default: '4' },
  },
});
const images = Number(args.images);
if (!Number.isInteger(images) || images < 1)
  throw new Error(`--images must be a positive integer, not "${args.images}"`);
const url =
  args.db ??
  `sqlite:${path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-catalog-')), 'hydra.sqlite')}`;

console.log(`seeding ${formatCount(images)} images into ${url}`);
let reported = 0;
const summary = await seedCatalog(url, {
  images,
  seed: Number(args.seed),
  deployments: Number(args.deployments),
  onProgress: (stored) => {
    if (stored - reported < images / 10 && stored < images) return;
    reported = stored;
    console.log(`  ${formatCount(stored)} images`);
  },
});
console.log(describeSeed(summary));
console.log(`catalog: ${url}`);
