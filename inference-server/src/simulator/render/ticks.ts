// Axis ticks at round values (1, 2 or 5 times a power of ten), with ROOT-like secondary ticks between them.

export interface Ticks {
  primary: number[];
  secondary: number[];
  step: number;
}

const MANTISSAS = [1, 2, 5, 10];

export function niceTicks(min: number, max: number, maxDivisions: number): Ticks {
  const rough = (max - min) / Math.max(1, maxDivisions);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const mantissa = MANTISSAS.find((m) => m * magnitude >= rough * (1 - 1e-9)) ?? 10;
  const step = mantissa * magnitude;
  const subStep = step / (mantissa === 2 ? 4 : 5);
  const tolerance = step * 1e-9;
  const primary: number[] = [];
  for (let i = Math.ceil((min - tolerance) / step); i * step <= max + tolerance; i++) primary.push(i * step);
  const secondary: number[] = [];
  for (let i = Math.ceil((min - tolerance) / subStep); i * subStep <= max + tolerance; i++) {
    const value = i * subStep;
    if (!primary.some((tick) => Math.abs(tick - value) < tolerance)) secondary.push(value);
  }
  return { primary, secondary, step };
}
