// The figures of a run period: per detector, how many incidents, how many the logbook mentioned, and how much
// earlier the monitor knew. Pure: no SQL, no HTTP.
import type { BeamTimeline } from './beam.ts';
import type { IncidentMatch } from './matching.ts';

export interface LeadFigures {
  /** The detector (plot-type group); null for the totals of all detectors. */
  detector: string | null;
  incidents: number;
  matched: number;
  unmatched: number;
  /** Over the matched incidents; null when none was matched. */
  medianLeadMs: number | null;
  worstLeadMs: number | null;
  totalLeadMs: number;
  /** The part of the lead times when the beam was on: the hours a human would have waited. */
  beamOnLeadMs: number;
}

/** A matched incident's lead time while the beam was on (0 for an unmatched one). */
export function beamOnLeadMs(match: IncidentMatch, beam: BeamTimeline): number {
  return match.entry ? beam.onMs(match.incident.firstFlagAt, match.entry.at) : 0;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function figures(
  detector: string | null,
  matches: readonly IncidentMatch[],
  beam: BeamTimeline,
): LeadFigures {
  const leads = matches.flatMap((match) => (match.leadMs === null ? [] : [match.leadMs]));
  return {
    detector,
    incidents: matches.length,
    matched: leads.length,
    unmatched: matches.length - leads.length,
    medianLeadMs: median(leads),
    worstLeadMs: leads.length > 0 ? Math.max(...leads) : null,
    totalLeadMs: leads.reduce((sum, lead) => sum + lead, 0),
    beamOnLeadMs: matches.reduce((sum, match) => sum + beamOnLeadMs(match, beam), 0),
  };
}

/** The figures of every detector (by name), and of all of them together. */
export function leadFigures(
  matches: readonly IncidentMatch[],
  beam: BeamTimeline,
): { detectors: LeadFigures[]; totals: LeadFigures } {
  const byDetector = new Map<string, IncidentMatch[]>();
  for (const match of matches) {
    const detector = match.incident.plotType.group;
    byDetector.set(detector, [...(byDetector.get(detector) ?? []), match]);
  }
  return {
    detectors: [...byDetector]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([detector, ofDetector]) => figures(detector, ofDetector, beam)),
    totals: figures(null, matches, beam),
  };
}
