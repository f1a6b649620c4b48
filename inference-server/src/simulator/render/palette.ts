// ROOT's default colour palette since ROOT 6 (kBird), as a lookup of discrete levels and as an SVG gradient.

const BIRD_STOPS: readonly (readonly [number, number, number])[] = [
  [0.2082, 0.1664, 0.5293],
  [0.0592, 0.3599, 0.8684],
  [0.078, 0.5041, 0.8385],
  [0.0232, 0.6419, 0.7914],
  [0.1802, 0.7178, 0.6425],
  [0.5301, 0.7492, 0.4662],
  [0.8186, 0.7328, 0.3499],
  [0.9956, 0.7862, 0.1968],
  [0.9764, 0.9832, 0.0539],
];
/** ROOT users set 255 contours for smooth maps. */
const LEVELS = 255;

export type Rgb = readonly [number, number, number];

function interpolate(fraction: number): Rgb {
  const position = fraction * (BIRD_STOPS.length - 1);
  const index = Math.min(BIRD_STOPS.length - 2, Math.floor(position));
  const t = position - index;
  const from = BIRD_STOPS[index] as Rgb;
  const to = BIRD_STOPS[index + 1] as Rgb;
  const channel = (c: 0 | 1 | 2): number => Math.round(255 * (from[c] + t * (to[c] - from[c])));
  return [channel(0), channel(1), channel(2)];
}

const levelColours: readonly Rgb[] = Array.from({ length: LEVELS }, (_, level) =>
  interpolate(level / (LEVELS - 1)),
);

/** Colour of a value at `fraction` of the z range: the contour level it falls in, as ROOT's COLZ picks it. */
export function paletteColour(fraction: number): Rgb {
  const level = Math.min(LEVELS - 1, Math.max(0, Math.floor(fraction * LEVELS)));
  return levelColours[level] as Rgb;
}

/** An SVG gradient running bottom to top through the palette. */
export function paletteGradient(id: string): string {
  const stops = BIRD_STOPS.map((_, i) => {
    const [r, g, b] = interpolate(i / (BIRD_STOPS.length - 1));
    return `<stop offset="${i / (BIRD_STOPS.length - 1)}" stop-color="rgb(${r},${g},${b})"/>`;
  }).join('');
  return `<linearGradient id="${id}" x1="0" y1="1" x2="0" y2="0">${stops}</linearGradient>`;
}
