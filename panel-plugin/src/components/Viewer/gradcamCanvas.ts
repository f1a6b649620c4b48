import type { GradCamMap } from '@hydra/inference-server/api';

/** A blue → green → yellow → red colour ramp for a value in [0, 1], as heat maps are usually drawn. */
function heat(value: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, value));
  const r = Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * v - 3))));
  const g = Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * v - 2))));
  const b = Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * v - 1))));
  return [r, g, b];
}

/** Paints the map's cells onto the canvas (one pixel per cell; CSS stretches it over the image, smoothly). */
export function paintGradCam(canvas: HTMLCanvasElement, map: GradCamMap): boolean {
  const context = canvas.getContext('2d');
  if (!context) {
    return false;
  }
  canvas.width = map.width;
  canvas.height = map.height;
  const image = context.createImageData(map.width, map.height);
  map.values.forEach((value, i) => {
    const [r, g, b] = heat(value);
    image.data.set([r, g, b, Math.round(255 * Math.min(1, value * 1.5))], i * 4);
  });
  context.putImageData(image, 0, 0);
  return true;
}
