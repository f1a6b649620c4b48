// A page's bundle, as the browser harness and the panel's preview page build it: a plugin's components bundled by
// esbuild from `entry`, with the stylesheets its packages import (which Grafana ships in its own bundle).
import path from 'node:path';
import * as esbuild from 'esbuild';

export interface PageBundle {
  script: Uint8Array;
  styles: Uint8Array;
  /** Every source file in the bundle, absolute: a build is out of date when one of them is newer. */
  inputs: string[];
}

export async function bundlePage(entry: string, { minify = false } = {}): Promise<PageBundle> {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    outdir: 'page',
    format: 'esm',
    platform: 'browser',
    jsx: 'transform',
    minify,
    metafile: true,
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: {
      '.svg': 'text',
      '.woff': 'empty',
      '.woff2': 'empty',
      '.ttf': 'empty',
      '.png': 'dataurl',
      '.css': 'css',
    },
    logLevel: 'error',
  });
  const output = (extension: string) => result.outputFiles.find((file) => file.path.endsWith(extension))?.contents;
  return {
    script: output('.js')!,
    styles: output('.css') ?? new Uint8Array(),
    inputs: Object.keys(result.metafile.inputs).map((input) => path.resolve(input)),
  };
}
