// Incidents: what the monitor flagged, grouped per plot type while it lasts. Pure: no SQL, no HTTP.

/** One thing the monitor raised: a confirmed non-Good verdict, or a firing Grafana alert naming a plot type. */
export interface Flag {
  kind: 'verdict' | 'alert';
  /** The verdict's prediction id, or the negated id of the alert's event: unique among flags. */
  key: number;
  plotTypeId: number;
  at: number;
  run: number | null;
  /** The verdict's image; null for an alert. */
  imageId: number | null;
  /** The verdict's class, or the alert's name. */
  what: string;
  /** When someone on shift acknowledged the verdict on the Log page. */
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
}

export interface PlotTypeRef {
  id: number;
  name: string;
  /** The detector (the plot type's group). */
  group: string;
}

/** A run of flags of one plot type with no gap longer than the setting between two of them. */
export interface Incident {
  /** The first flag's key: its prediction id, or the negated id of the alert event that opened it. */
  key: number;
  plotType: PlotTypeRef;
  firstFlagAt: number;
  lastFlagAt: number;
  flags: number;
  runs: number[];
  verdicts: string[];
  predictionIds: number[];
  imageIds: number[];
  acknowledgement: { at: number; by: string } | null;
}

/** Groups the flags by plot type; a gap longer than `gapMs` between two flags closes an incident. */
export function groupIncidents(
  flags: readonly Flag[],
  plotTypes: ReadonlyMap<number, PlotTypeRef>,
  gapMs: number,
): Incident[] {
  const sorted = [...flags].sort((a, b) => a.plotTypeId - b.plotTypeId || a.at - b.at || a.key - b.key);
  const incidents: Incident[] = [];
  let open: Incident | undefined;
  for (const flag of sorted) {
    const plotType = plotTypes.get(flag.plotTypeId);
    if (!plotType) continue;
    if (!open || open.plotType.id !== flag.plotTypeId || flag.at - open.lastFlagAt > gapMs) {
      open = {
        key: flag.key,
        plotType,
        firstFlagAt: flag.at,
        lastFlagAt: flag.at,
        flags: 0,
        runs: [],
        verdicts: [],
        predictionIds: [],
        imageIds: [],
        acknowledgement: null,
      };
      incidents.push(open);
    }
    addFlag(open, flag);
  }
  return incidents.sort((a, b) => a.firstFlagAt - b.firstFlagAt || a.key - b.key);
}

function addFlag(incident: Incident, flag: Flag): void {
  incident.lastFlagAt = flag.at;
  incident.flags++;
  if (flag.run !== null && !incident.runs.includes(flag.run)) incident.runs.push(flag.run);
  if (!incident.verdicts.includes(flag.what)) incident.verdicts.push(flag.what);
  if (flag.kind === 'verdict') incident.predictionIds.push(flag.key);
  if (flag.imageId !== null) incident.imageIds.push(flag.imageId);
  if (
    flag.acknowledgedAt !== null &&
    (incident.acknowledgement === null || flag.acknowledgedAt < incident.acknowledgement.at)
  ) {
    incident.acknowledgement = { at: flag.acknowledgedAt, by: flag.acknowledgedBy ?? '' };
  }
}
