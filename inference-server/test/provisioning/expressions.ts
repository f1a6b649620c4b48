// Grafana's server-side expressions as Hydra's alert rules use them: reduce, threshold and math on the series
// an InfluxQL query returns. Written from grafana/grafana pkg/expr/commands.go, pkg/expr/threshold.go and
// pkg/expr/mathexp/exp.go @0065cb3c (union of labelled values, binaryOp). Only numbers are produced: a reduce
// turns each series into one, as every Hydra rule does before its threshold.

export type Labels = Record<string, string>;
export interface Series {
  labels: Labels;
  points: Array<[time: number, value: number | null]>;
}
export interface NumberValue {
  labels: Labels;
  value: number;
}
export type Result = { kind: 'series'; items: Series[] } | { kind: 'numbers'; items: NumberValue[] };

const REDUCERS: Record<string, (values: number[]) => number> = {
  sum: (v) => v.reduce((a, b) => a + b, 0),
  mean: (v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN),
  min: (v) => (v.length ? Math.min(...v) : NaN),
  max: (v) => (v.length ? Math.max(...v) : NaN),
  count: (v) => v.length,
  last: (v) => (v.length ? v.at(-1)! : NaN),
  median: (v) => {
    if (!v.length) return NaN;
    const sorted = [...v].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  },
};

/** `type: reduce`; mode dropNN drops nulls and NaN, replaceNN puts `replaceWithValue` in their place. */
export function reduce(
  input: Result,
  reducer: string,
  settings: { mode?: string; replaceWithValue?: number } = {},
): Result {
  if (input.kind !== 'series') throw new Error('reduce takes series');
  const fn = REDUCERS[reducer];
  if (!fn) throw new Error(`unknown reducer ${reducer}`);
  return {
    kind: 'numbers',
    items: input.items.map(({ labels, points }) => {
      const values = points.map(([, v]) => v);
      const kept =
        settings.mode === 'replaceNN'
          ? values.map((v) => (v === null || Number.isNaN(v) ? settings.replaceWithValue! : v))
          : values.filter((v): v is number => v !== null && !Number.isNaN(v));
      return { labels, value: fn(kept) };
    }),
  };
}

const EVALUATORS: Record<string, (v: number, p: number[]) => boolean> = {
  gt: (v, [a]) => v > a!,
  lt: (v, [a]) => v < a!,
  gte: (v, [a]) => v >= a!,
  lte: (v, [a]) => v <= a!,
  eq: (v, [a]) => v === a,
  ne: (v, [a]) => v !== a,
  within_range: (v, [a, b]) => v > a! && v < b!,
  outside_range: (v, [a, b]) => v < a! || v > b!,
};

/** `type: threshold` with its one condition: 1 where it holds, else 0. */
export function threshold(input: Result, evaluator: { type: string; params: number[] }): Result {
  if (input.kind !== 'numbers') throw new Error('the rules threshold reduced numbers');
  const test = EVALUATORS[evaluator.type];
  if (!test) throw new Error(`unknown evaluator ${evaluator.type}`);
  return {
    kind: 'numbers',
    items: input.items.map(({ labels, value }) => ({ labels, value: test(value, evaluator.params) ? 1 : 0 })),
  };
}

const PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 3,
  '>': 3,
  '<=': 3,
  '>=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
};

function binaryOp(op: string, a: number, b: number): number {
  const bool = (x: boolean) => (x ? 1 : 0);
  switch (op) {
    case '||':
      return bool(a !== 0 || b !== 0);
    case '&&':
      return bool(a !== 0 && b !== 0);
    case '==':
      return bool(a === b);
    case '!=':
      return bool(a !== b);
    case '<':
      return bool(a < b);
    case '>':
      return bool(a > b);
    case '<=':
      return bool(a <= b);
    case '>=':
      return bool(a >= b);
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    default:
      return a % b;
  }
}

const keys = (labels: Labels) => Object.keys(labels);
const contains = (big: Labels, small: Labels) => keys(small).every((key) => big[key] === small[key]);

/** mathexp's union: equal labels, or one side without labels, or one a subset of the other (the larger wins). */
function union(a: NumberValue[], b: NumberValue[]): Array<{ labels: Labels; a: number; b: number }> {
  const pairs: Array<{ labels: Labels; a: number; b: number }> = [];
  for (const x of a) {
    for (const y of b) {
      const [lx, ly] = [keys(x.labels).length, keys(y.labels).length];
      let labels: Labels | undefined;
      if (lx === 0 || ly === 0 || (lx === ly && contains(x.labels, y.labels)))
        labels = lx ? x.labels : y.labels;
      else if (lx !== ly && contains(x.labels, y.labels)) labels = x.labels;
      else if (lx !== ly && contains(y.labels, x.labels)) labels = y.labels;
      if (labels) pairs.push({ labels, a: x.value, b: y.value });
    }
  }
  if (pairs.length === 0 && a.length === 1 && b.length === 1)
    pairs.push({ labels: {}, a: a[0]!.value, b: b[0]!.value });
  return pairs;
}

/** `type: math` over numbers: `$REF`, numbers, the binary operators and parentheses. */
export function math(expression: string, vars: Record<string, Result>): Result {
  const tokens = expression.match(/\$\w+|\d+(?:\.\d+)?|&&|\|\||[=!<>]=|[-+*/%<>()]/g) ?? [];
  let at = 0;
  const primary = (): NumberValue[] => {
    const token = tokens[at++];
    if (token === '(') {
      const inner = binary(0);
      at++;
      return inner;
    }
    if (token?.startsWith('$')) {
      const value = vars[token.slice(1)];
      if (value?.kind !== 'numbers') throw new Error(`${token} is not a reduced result`);
      return value.items;
    }
    if (token === undefined || Number.isNaN(Number(token)))
      throw new Error(`unexpected ${token} in ${expression}`);
    return [{ labels: {}, value: Number(token) }];
  };
  const binary = (minPrecedence: number): NumberValue[] => {
    let left = primary();
    while (at < tokens.length && (PRECEDENCE[tokens[at]!] ?? 0) > minPrecedence) {
      const op = tokens[at++]!;
      const right = binary(PRECEDENCE[op]!);
      left = union(left, right).map(({ labels, a, b }) => ({ labels, value: binaryOp(op, a, b) }));
    }
    return left;
  };
  return { kind: 'numbers', items: binary(0) };
}
