// A gallery on one PNG: every plot kind (rows, per strength) with no fault and with each failure mode (columns),
// the fault's bounding box outlined in red, so a person can check at a glance what the simulator makes.

import sharp from 'sharp';

import { plotKinds } from './kinds/index.ts';
import { failureModeNames, labelFor } from './labels.ts';
import type { FailureModeName } from './labels.ts';
import { strengths as allStrengths } from './plot-kind.ts';
import type { PlotKind, Strength } from './plot-kind.ts';
import { mergeLayers, toPng } from './render/compose.ts';
import type { Layers } from './render/compose.ts';
import { svgRect } from './render/format.ts';
import type { Box } from './render/raster.ts';
import { text } from './render/text.ts';
import { simulatePlot } from './simulate.ts';
import { resolvePlotKind } from './simulate.ts';

export interface ContactSheetOptions {
  seed: number;
  run: number;
  kinds?: readonly (string | PlotKind)[];
  modes?: readonly FailureModeName[];
  /** One row per kind and strength. */
  strengths?: readonly Strength[];
  /** Thumbnails keep the plots' 4:3 shape. */
  thumbnailWidth?: number;
}

const GAP = 8;
const ROW_HEADER_WIDTH = 150;
const SHEET_TITLE_HEIGHT = 40;
const COLUMN_HEADER_HEIGHT = 44;
const BOX_COLOUR = '#e00000';

interface Cell {
  kind: PlotKind;
  strength: Strength;
  mode: FailureModeName | undefined;
  box: Box;
}

/** The plot's thumbnail with its fault outlined, or a grey "n/a" where the kind cannot show the mode. */
async function drawCell(cell: Cell, options: ContactSheetOptions): Promise<Layers> {
  const { box } = cell;
  if (cell.mode !== undefined && !cell.kind.failureModes.includes(cell.mode)) {
    return {
      svg: svgRect(box, 'fill="#eee" stroke="#ccc"'),
      texts: [text(box.x + box.width / 2, box.y + box.height / 2 + 5, 'n/a', 14, 'middle')],
    };
  }
  const plot = await simulatePlot({
    kind: cell.kind,
    run: options.run,
    seed: options.seed,
    fault: cell.mode && { mode: cell.mode, strength: cell.strength },
  });
  const thumbnail = await sharp(plot.png).resize(box.width, box.height).removeAlpha().raw().toBuffer();
  let svg = svgRect(box, 'fill="none" stroke="#999"');
  if (plot.bbox) {
    const scale = box.width / plot.width;
    const outline = {
      x: box.x + plot.bbox.x * scale,
      y: box.y + plot.bbox.y * scale,
      width: plot.bbox.width * scale,
      height: plot.bbox.height * scale,
    };
    svg += svgRect(outline, `fill="none" stroke="${BOX_COLOUR}" stroke-width="1.5"`);
  }
  return { svg, texts: [], underlay: (raster) => raster.drawImage(thumbnail, box) };
}

export async function renderContactSheet(options: ContactSheetOptions): Promise<Buffer> {
  const kinds = (options.kinds ?? plotKinds).map(resolvePlotKind);
  const modes = options.modes ?? failureModeNames;
  const strengths = options.strengths ?? allStrengths;
  const thumbWidth = options.thumbnailWidth ?? 200;
  const thumbHeight = Math.round((thumbWidth * 3) / 4);
  const columns: (FailureModeName | undefined)[] = [undefined, ...modes];
  const rows = kinds.flatMap((kind) => strengths.map((strength) => ({ kind, strength })));
  const left = (column: number): number => ROW_HEADER_WIDTH + column * (thumbWidth + GAP);
  const top = (row: number): number => SHEET_TITLE_HEIGHT + COLUMN_HEADER_HEIGHT + row * (thumbHeight + GAP);

  const headers: Layers = {
    svg: '',
    texts: [
      text(
        GAP,
        26,
        `Hydra simulator: plot kinds × failure modes (seed ${options.seed}, run ${options.run})`,
        20,
      ),
      ...columns.flatMap((mode, column) => {
        const centre = left(column) + thumbWidth / 2;
        return [
          text(centre, SHEET_TITLE_HEIGHT + 17, mode ?? 'no fault', 15, 'middle'),
          text(centre, SHEET_TITLE_HEIGHT + 36, `label: ${labelFor(mode)}`, 13, 'middle'),
        ];
      }),
      ...rows.flatMap(({ kind, strength }, row) => {
        const middle = top(row) + thumbHeight / 2;
        return [
          text(GAP, middle - 8, kind.title, 14),
          text(GAP, middle + 12, kind.name, 11),
          text(GAP, middle + 30, strength, 12),
        ];
      }),
    ],
  };
  const cells: Cell[] = rows.flatMap(({ kind, strength }, row) =>
    columns.map((mode, column) => ({
      kind,
      strength,
      mode,
      box: { x: left(column), y: top(row), width: thumbWidth, height: thumbHeight },
    })),
  );
  const drawn = await Promise.all(cells.map((cell) => drawCell(cell, options)));
  const sheet = mergeLayers([headers, ...drawn]);
  return toPng(left(columns.length), top(rows.length), sheet, { compressionLevel: 9, palette: true });
}
