export interface Verdict {
  verdict: string;
  confidence: number;
  confirmed: boolean;
  probabilities: Record<string, number>;
}

/** Threshold of a class with none set: a verdict is confirmed when it is more likely than not. */
export const DEFAULT_THRESHOLD = 0.5;

/** The verdict is the most probable class; it is confirmed when its probability reaches the class threshold. */
export function decideVerdict(
  classes: string[],
  probabilities: number[],
  thresholds: Record<string, number>,
): Verdict {
  if (classes.length !== probabilities.length || classes.length === 0) {
    throw new Error(`the model gave ${probabilities.length} probabilities for ${classes.length} classes`);
  }
  let best = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i]! > probabilities[best]!) best = i;
  const verdict = classes[best]!;
  const confidence = probabilities[best]!;
  return {
    verdict,
    confidence,
    confirmed: confidence >= (thresholds[verdict] ?? DEFAULT_THRESHOLD),
    probabilities: Object.fromEntries(classes.map((name, i) => [name, probabilities[i]!])),
  };
}
