// Builds the preview page (preview.tsx and the panel's components, bundled as the browser harness bundles them) into
// a folder the inference server serves at / with `hydra serve --preview`. `npm run demo` runs this first; a build
// newer than all of its sources is kept.
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundlePage } from '@hydra/plugin-kit/page-bundle';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where the server looks by default (HYDRA_PREVIEW_DIR overrides). */
export const DEFAULT_PREVIEW_DIR = path.join(here, 'dist');
const INPUTS_FILE = 'inputs.json';
// @grafana/ui's icons, where its Icon component fetches them from (Grafana's server serves them under /public).
const ICONS_FROM = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@grafana/ui/package.json')),
  'dist/public/img/icons'
);
const ICONS_TO = 'public/build/img/icons';

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Hydra: preview of the plot grid</title>
    <link rel="stylesheet" href="preview.css" />
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="preview.js"></script>
  </body>
</html>
`;

/** Whether `out` holds a build newer than every source file it was built from. */
async function upToDate(out: string): Promise<boolean> {
  try {
    const built = (await fs.stat(path.join(out, 'index.html'))).mtimeMs;
    const inputs = JSON.parse(await fs.readFile(path.join(out, INPUTS_FILE), 'utf8')) as string[];
    const sources = await Promise.all(inputs.map((input) => fs.stat(path.resolve(out, input))));
    return sources.every((source) => source.mtimeMs <= built);
  } catch {
    // No build yet, or a source is gone.
    return false;
  }
}

export async function buildPreview(out = DEFAULT_PREVIEW_DIR, { force = false } = {}): Promise<'built' | 'up to date'> {
  if (!force && (await upToDate(out))) {
    return 'up to date';
  }
  const { script, styles, inputs } = await bundlePage(path.join(here, 'preview.tsx'), { minify: true });
  await fs.mkdir(out, { recursive: true });
  await fs.writeFile(path.join(out, 'preview.js'), script);
  await fs.writeFile(path.join(out, 'preview.css'), styles);
  await fs.cp(ICONS_FROM, path.join(out, ICONS_TO), { recursive: true });
  // Relative: the folder is served, and no response shows the install's absolute paths.
  const relativeInputs = inputs.map((input) => path.relative(out, input));
  await fs.writeFile(path.join(out, INPUTS_FILE), JSON.stringify(relativeInputs));
  // Last: its time stamps the build.
  await fs.writeFile(path.join(out, 'index.html'), INDEX_HTML);
  return 'built';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, force: { type: 'boolean', default: false } } });
  const out = path.resolve(values.out ?? DEFAULT_PREVIEW_DIR);
  const started = Date.now();
  const outcome = await buildPreview(out, { force: values.force });
  const where = path.relative(process.cwd(), out) || '.';
  console.log(
    outcome === 'built'
      ? `preview page built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${where}`
      : `preview page up to date: ${where}`
  );
}
