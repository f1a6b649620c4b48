import { Random } from '../simulator/random.ts';

export interface SplitFractions {
  validation: number;
  test: number;
}

export interface Split<T> {
  train: T[];
  validation: T[];
  test: T[];
}

/**
 * Splits items into train, validation and test with each class in the same proportions in every part,
 * reproducibly for a seed. A class with few items still gives one to validation and test when it has three.
 */
export function stratifiedSplit<T>(
  items: T[],
  classOf: (item: T) => string,
  seed: number,
  fractions: SplitFractions,
): Split<T> {
  const byClass = new Map<string, T[]>();
  for (const item of items) byClass.set(classOf(item), [...(byClass.get(classOf(item)) ?? []), item]);
  const split: Split<T> = { train: [], validation: [], test: [] };
  for (const [name, members] of [...byClass].sort(([a], [b]) => a.localeCompare(b))) {
    const random = Random.derive(seed, 0, name, 'split');
    const order = [...members];
    for (let i = order.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const atLeastOne = (fraction: number) =>
      order.length >= 3 ? Math.max(1, Math.round(order.length * fraction)) : 0;
    const test = atLeastOne(fractions.test);
    const validation = atLeastOne(fractions.validation);
    split.test.push(...order.slice(0, test));
    split.validation.push(...order.slice(test, test + validation));
    split.train.push(...order.slice(test + validation));
  }
  return split;
}

/**
 * The first `fraction` of each class's items (at least one of a class that has any), in the order given: a smaller
 * training split with the same class proportions.
 */
export function stratifiedShare<T>(items: T[], classOf: (item: T) => string, fraction: number): T[] {
  const kept = new Map<string, number>();
  const total = new Map<string, number>();
  for (const item of items) total.set(classOf(item), (total.get(classOf(item)) ?? 0) + 1);
  return items.filter((item) => {
    const name = classOf(item);
    const taken = kept.get(name) ?? 0;
    if (taken >= Math.max(1, Math.round(total.get(name)! * fraction))) return false;
    kept.set(name, taken + 1);
    return true;
  });
}
