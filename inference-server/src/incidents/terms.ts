// The words a logbook entry uses for a plot type: defaults from the plot types' names, titles and groups, and the
// deployment's own terms on top. Pure: no SQL, no HTTP.
import type { PlotTypeRef } from './incidents.ts';

export interface TermPlotType extends PlotTypeRef {
  title: string;
}

/** A word (or words) that, written in an entry, names these plot types. */
export interface Term {
  term: string;
  plotTypeIds: number[];
  source: 'default' | 'custom';
}

/**
 * Words of plot-type names and titles that name what is plotted, not where: an entry saying "occupancy" or
 * "timing" does not say which detector.
 */
const GENERIC_WORDS = new Set([
  'adc',
  'all',
  'and',
  'beam',
  'channel',
  'channels',
  'counts',
  'data',
  'hit',
  'hits',
  'hist',
  'histogram',
  'image',
  'images',
  'map',
  'monitoring',
  'occupancy',
  'plot',
  'plots',
  'rate',
  'rates',
  'run',
  'sector',
  'sectors',
  'start',
  'summary',
  'tdc',
  'the',
  'time',
  'timing',
  'vs',
]);

/** The lower-case words of a text: letters and digits, split at everything else and at camelCase humps. */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Each plot type's group, and each specific word of its name and title, names it. */
export function defaultTerms(plotTypes: readonly TermPlotType[]): Term[] {
  const byTerm = new Map<string, Set<number>>();
  const add = (term: string, id: number) => {
    if (term.length < 2 || GENERIC_WORDS.has(term) || /^\d+$/.test(term)) return;
    byTerm.set(term, (byTerm.get(term) ?? new Set()).add(id));
  };
  for (const plotType of plotTypes) {
    add(plotType.group.toLowerCase(), plotType.id);
    for (const word of new Set([...wordsOf(plotType.name), ...wordsOf(plotType.title)]))
      add(word, plotType.id);
  }
  return [...byTerm]
    .map(([term, ids]) => ({ term, plotTypeIds: [...ids].sort((a, b) => a - b), source: 'default' as const }))
    .sort((a, b) => a.term.localeCompare(b.term));
}

/** The defaults with the deployment's own terms: a custom term replaces the default of the same words. */
export function effectiveTerms(plotTypes: readonly TermPlotType[], custom: readonly Term[]): Term[] {
  const customWords = new Set(custom.map((term) => wordsOf(term.term).join(' ')));
  return [
    ...defaultTerms(plotTypes).filter((term) => !customWords.has(term.term)),
    ...custom.map((term) => ({ ...term, source: 'custom' as const })),
  ].sort((a, b) => a.term.localeCompare(b.term));
}

/** Finds which plot types a text names, through the terms (whole words, any case; a term may be several words). */
export class TermIndex {
  private readonly terms: Array<{ words: string[]; plotTypeIds: number[] }>;

  constructor(terms: readonly Term[]) {
    this.terms = terms
      .map((term) => ({ words: wordsOf(term.term), plotTypeIds: term.plotTypeIds }))
      .filter((term) => term.words.length > 0);
  }

  /** The plot types the text names. */
  plotTypesNamedIn(text: string): Set<number> {
    const words = wordsOf(text);
    const named = new Set<number>();
    for (const term of this.terms) {
      if (containsRun(words, term.words)) for (const id of term.plotTypeIds) named.add(id);
    }
    return named;
  }
}

function containsRun(words: readonly string[], run: readonly string[]): boolean {
  for (let start = 0; start + run.length <= words.length; start++) {
    if (run.every((word, i) => words[start + i] === word)) return true;
  }
  return false;
}

/** Run numbers a text names: "run 16042", "run #16042", "Run no. 16042" (one number right after the word). */
export function runsNamedIn(text: string): number[] {
  return [...text.matchAll(/\bruns?\s*(?:#|no\.?|number)?\s*(\d{1,10})\b/gi)].map((match) =>
    Number(match[1]),
  );
}
