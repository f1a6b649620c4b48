// Each incident's first logbook mention: the first entry after its first flag, within the window, that names its
// plot type, its detector or one of its runs. Pure: no SQL, no HTTP.
import type { Incident } from './incidents.ts';
import { runsNamedIn, type TermIndex } from './terms.ts';

/** A logbook entry as the matching reads it. */
export interface LogbookEntry {
  id: number;
  at: number;
  author: string;
  text: string;
  detector: string | null;
  plotType: string | null;
  run: number | null;
}

export interface IncidentMatch {
  incident: Incident;
  /** The first entry that names it; null: nobody wrote about it within the window. */
  entry: LogbookEntry | null;
  /** From the first flag to the entry: how long a human would have waited without the monitor. */
  leadMs: number | null;
}

interface ReadEntry {
  entry: LogbookEntry;
  plotTypeIds: Set<number>;
  runs: Set<number>;
}

/** What an entry names: plot types through its tags and its words, runs through its tag and its text. */
function read(
  entry: LogbookEntry,
  terms: TermIndex,
  plotTypeIdsByName: ReadonlyMap<string, number>,
): ReadEntry {
  const plotTypeIds = terms.plotTypesNamedIn([entry.text, entry.detector ?? ''].join(' '));
  const tagged = entry.plotType === null ? undefined : plotTypeIdsByName.get(entry.plotType.toLowerCase());
  if (tagged !== undefined) plotTypeIds.add(tagged);
  const runs = new Set(runsNamedIn(entry.text));
  if (entry.run !== null) runs.add(entry.run);
  return { entry, plotTypeIds, runs };
}

/**
 * Matches every incident to the first entry, at or after its first flag and at most `windowMs` later, that names
 * it. `entries` may come in any order; each incident is matched on its own, so one entry can answer several.
 */
export function matchIncidents(
  incidents: readonly Incident[],
  entries: readonly LogbookEntry[],
  terms: TermIndex,
  windowMs: number,
): IncidentMatch[] {
  const plotTypeIdsByName = new Map(incidents.map((i) => [i.plotType.name.toLowerCase(), i.plotType.id]));
  const readEntries = [...entries]
    .sort((a, b) => a.at - b.at || a.id - b.id)
    .map((entry) => read(entry, terms, plotTypeIdsByName));
  return incidents.map((incident) => {
    const entry = firstMention(readEntries, incident, windowMs);
    return { incident, entry, leadMs: entry ? entry.at - incident.firstFlagAt : null };
  });
}

function firstMention(
  entries: readonly ReadEntry[],
  incident: Incident,
  windowMs: number,
): LogbookEntry | null {
  const until = incident.firstFlagAt + windowMs;
  for (let i = firstAtOrAfter(entries, incident.firstFlagAt); i < entries.length; i++) {
    const { entry, plotTypeIds, runs } = entries[i]!;
    if (entry.at > until) return null;
    if (plotTypeIds.has(incident.plotType.id) || incident.runs.some((run) => runs.has(run))) return entry;
  }
  return null;
}

/** Binary search: the index of the first entry at or after `at`. */
function firstAtOrAfter(entries: readonly ReadEntry[], at: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.entry.at < at) low = middle + 1;
    else high = middle;
  }
  return low;
}
