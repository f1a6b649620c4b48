import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SEED_PLOT_TYPES } from '../../bench/catalog/timeline.ts';
import type { IncidentReport, LeadFigures, LogbookTermList } from '../../src/schemas/index.ts';
import { auth } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';
import { influxQuery } from '../helpers/services.ts';
import { HOUR, importLogbookFile, iso, MINUTE, seedPeriod, type PlannedVerdict } from './run-period.ts';

// Two days of Hall D: every plot type classified every 5 minutes, the beam off from 08:00 to 12:00 each day, a new
// run every 2 hours, a few unconfirmed Bad verdicts (noise), and injected faults. The crew's logbook mentions most
// faults minutes to hours later (by a detector tag, a plot-type tag, a run tag, or in words), never some, and has
// entries about other things.
const START = Date.parse('2026-03-02T00:00:00Z');
const DAYS = 2;
const STEP = 5 * MINUTE;
const WINDOW_HOURS = 12;
const runAt = (at: number) => 30_000 + Math.floor((at - START) / (2 * HOUR));
const beamOn = (at: number) => {
  const hour = new Date(at).getUTCHours();
  return hour < 8 || hour >= 12;
};
const clock = (at: number) => iso(at).slice(11, 16);

/** How the crew names the fault: a tag, the words of its text (in a term or a run number). */
interface Mention {
  by: 'detector' | 'plot-type' | 'run-tag' | 'words' | 'run-in-text' | 'custom-term';
  text?: string;
}

interface Fault {
  plotType: string;
  /** Minutes from the start, on the 5-minute grid. */
  minute: number;
  minutes: number;
  /** Minutes inside the fault that read Good (a pause shorter than the gap keeps one incident). */
  pause?: [number, number];
  mention: Mention | null;
}

const FAULTS: Fault[] = [
  {
    plotType: 'CDC_occupancy',
    minute: 125,
    minutes: 90,
    mention: { by: 'custom-term', text: 'Drift chamber HV tripped' },
  },
  { plotType: 'FCAL_occupancy', minute: 300, minutes: 30, mention: { by: 'plot-type' } },
  {
    plotType: 'BCAL_occupancy',
    minute: 435,
    minutes: 60,
    mention: { by: 'words', text: 'BCAL sector 12 dark' },
  },
  { plotType: 'TOF_timing', minute: 820, minutes: 45, mention: null },
  {
    plotType: 'SC_occupancy',
    minute: 980,
    minutes: 120,
    pause: [40, 50],
    mention: { by: 'words', text: 'Start counter paddles noisy' },
  },
  { plotType: 'RF_timing', minute: 1200, minutes: 25, mention: { by: 'run-tag' } },
  { plotType: 'L1_trigger_rate', minute: 1510, minutes: 60, mention: { by: 'run-in-text' } },
  {
    plotType: 'TOF_timing',
    minute: 1980,
    minutes: 30,
    mention: { by: 'words', text: 'TOF timing shifted by 2 ns' },
  },
  { plotType: 'BCAL_occupancy', minute: 2340, minutes: 20, mention: null },
  { plotType: 'FCAL_occupancy', minute: 2580, minutes: 40, mention: { by: 'detector' } },
];
const UNRELATED = [
  [60, 'CDC gas flow checked, all fine'],
  [400, 'Shift change, all quiet'],
  [530, 'Beam tuning by MCC'],
  [1400, 'Target cell refilled'],
  [2000, 'DAQ restarted after a crash'],
  [2700, 'Coffee machine fixed'],
  // Names the second BCAL fault 13 hours after it began: outside the window.
  [2340 + 13 * 60, 'BCAL looked at again, nothing to report'],
] as const;

/** A small seeded generator (mulberry32): the delays differ per fault but not per run of the test. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const group = (plotType: string) => plotType.split('_')[0]!;
const faultStart = (fault: Fault) => START + fault.minute * MINUTE;

function faultAt(plotType: string, at: number): boolean {
  return FAULTS.some((fault) => {
    const offset = (at - faultStart(fault)) / MINUTE;
    const paused = fault.pause && offset >= fault.pause[0] && offset < fault.pause[1];
    return fault.plotType === plotType && offset >= 0 && offset < fault.minutes && !paused;
  });
}

function verdicts(): PlannedVerdict[] {
  const planned: PlannedVerdict[] = [];
  for (let at = START, n = 0; at < START + DAYS * 24 * HOUR; at += STEP, n++) {
    for (const [index, { name }] of SEED_PLOT_TYPES.entries()) {
      const bad = faultAt(name, at);
      const noise = !bad && (n + index * 13) % 97 === 0;
      planned.push({
        plotType: name,
        at,
        verdict: bad || noise ? 'Bad' : 'Good',
        confirmed: !noise,
        run: runAt(at),
        beam: beamOn(at) ? 'on' : 'off',
      });
    }
  }
  return planned;
}

interface Expected {
  plotType: string;
  firstFlagAt: number;
  entry: { at: number; text: string } | null;
}

/** The logbook as CSV, and what each fault's first mention is. */
function logbook(): { csv: string; expected: Expected[] } {
  const next = random(42);
  const rows: Array<[number, string, string, string, string]> = UNRELATED.map(([minute, text]) => [
    START + minute * MINUTE,
    text,
    '',
    '',
    '',
  ]);
  const expected = FAULTS.map((fault): Expected => {
    const start = faultStart(fault);
    if (!fault.mention) return { plotType: fault.plotType, firstFlagAt: start, entry: null };
    // From 3 minutes to 6 hours later.
    const at = start + Math.round(3 + next() * (6 * 60 - 3)) * MINUTE;
    const since = `since ${clock(start)}`;
    const { by } = fault.mention;
    const text =
      by === 'run-in-text'
        ? `Run ${runAt(start)}: the rate dropped ${since}`
        : fault.mention.text
          ? `${fault.mention.text} ${since}`
          : `Problem on the monitoring page ${since}, expert called`;
    rows.push([
      at,
      text,
      by === 'detector' ? group(fault.plotType).toLowerCase() : '',
      by === 'plot-type' ? fault.plotType : '',
      by === 'run-tag' ? String(runAt(start)) : '',
    ]);
    return { plotType: fault.plotType, firstFlagAt: start, entry: { at, text } };
  });
  const quote = (field: string) => (/[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);
  const csv = [
    'time,author,text,detector,plot_type,run',
    ...rows
      .sort((a, b) => a[0] - b[0])
      .map(([at, ...fields]) => [iso(at), 'shift-crew', ...fields].map(quote).join(',')),
  ].join('\r\n');
  return { csv, expected: expected.sort((a, b) => a.firstFlagAt - b.firstFlagAt) };
}

/** Beam-on milliseconds of [from, to), minute by minute from the schedule. */
function beamOnMs(from: number, to: number): number {
  let total = 0;
  for (let at = from; at < to; at += MINUTE) if (beamOn(at)) total += MINUTE;
  return total;
}

function figures(detector: string | null, expected: Expected[]): LeadFigures {
  const leads = expected.flatMap((e) => (e.entry ? [(e.entry.at - e.firstFlagAt) / 1000] : []));
  const sorted = [...leads].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return {
    detector,
    incidents: expected.length,
    matched: leads.length,
    unmatched: expected.length - leads.length,
    medianLeadSeconds:
      sorted.length === 0
        ? null
        : sorted.length % 2
          ? sorted[half]!
          : (sorted[half - 1]! + sorted[half]!) / 2,
    worstLeadSeconds: sorted.length === 0 ? null : sorted.at(-1)!,
    totalLeadSeconds: leads.reduce((sum, lead) => sum + lead, 0),
    beamOnLeadSeconds: expected.reduce(
      (sum, e) => sum + (e.entry ? beamOnMs(e.firstFlagAt, e.entry.at) / 1000 : 0),
      0,
    ),
  };
}

for (const engine of ENGINES) {
  describe(`incident report over a simulated run period (${engine})`, () => {
    test('finds every injected fault, matches each to its first mention, lists the unmatched, and adds up', async (t) => {
      const { app, tokens, databaseUrl, influxUrl, influxDatabase } = await buildTestApp(t, engine);
      const { deploymentId, plotTypeIds } = await seedPeriod(
        app,
        databaseUrl,
        'halld',
        SEED_PLOT_TYPES,
        verdicts(),
      );
      const { csv, expected } = logbook();
      const imported = await importLogbookFile(app, tokens.expert, 'halld', 'csv', csv);
      assert.deepEqual([imported.added, imported.rejected.length], [UNRELATED.length + 8, 0]);

      const query = `deploymentId=${deploymentId}&from=${iso(START)}&to=${iso(START + DAYS * 24 * HOUR)}&windowHours=${WINDOW_HOURS}`;
      const report = async () => {
        const response = await app.inject({
          url: `/api/v1/incidents/report?${query}`,
          headers: auth(tokens.viewer),
        });
        assert.equal(response.statusCode, 200, response.body);
        return response.json<IncidentReport>();
      };
      const matched = (r: IncidentReport) =>
        r.incidents.map((i) => ({
          plotType: i.plotType,
          firstFlagAt: Date.parse(i.firstFlagAt),
          entry: i.logbook && { at: Date.parse(i.logbook.at), text: i.logbook.text },
        }));

      // "Drift chamber" names no plot type until the deployment's terms say so.
      const before = await report();
      assert.equal(before.incidents.length, FAULTS.length);
      assert.equal(before.incidents[0]!.plotType, 'CDC_occupancy');
      assert.equal(before.incidents[0]!.logbook, null);
      const put = await app.inject({
        method: 'PUT',
        url: `/api/v1/logbook/terms?deploymentId=${deploymentId}`,
        headers: auth(tokens.expert),
        payload: { terms: [{ term: 'Drift  Chamber', plotTypeIds: [plotTypeIds.get('CDC_occupancy')!] }] },
      });
      assert.equal(put.statusCode, 200, put.body);
      const terms = put.json<LogbookTermList>().items;
      assert.deepEqual(
        terms.filter((term) => term.source === 'custom'),
        [
          {
            term: 'drift chamber',
            plotTypes: [{ id: plotTypeIds.get('CDC_occupancy')!, name: 'CDC_occupancy' }],
            source: 'custom',
          },
        ],
      );
      assert.ok(terms.some((term) => term.term === 'tof' && term.source === 'default'));
      assert.ok(!terms.some((term) => term.term === 'occupancy'), 'a generic word names no plot type');

      const after = await report();
      assert.deepEqual(matched(after), expected);
      assert.deepEqual(
        after.incidents.filter((i) => i.logbook === null).map((i) => [i.plotType, i.firstFlagAt]),
        FAULTS.filter((f) => !f.mention).map((f) => [f.plotType, iso(faultStart(f))]),
        'the unmatched incidents: the faults nobody wrote about',
      );
      assert.equal(after.beamKnown, true);
      const detectors = [...new Set(expected.map((e) => group(e.plotType)))].sort((a, b) =>
        a.localeCompare(b),
      );
      assert.deepEqual(
        after.detectors,
        detectors.map((d) =>
          figures(
            d,
            expected.filter((e) => group(e.plotType) === d),
          ),
        ),
      );
      assert.deepEqual(after.totals, figures(null, expected));
      assert.ok(
        after.totals.beamOnLeadSeconds < after.totals.totalLeadSeconds,
        'a wait through the beam-off hours counts less',
      );

      const csvExport = await app.inject({
        url: `/api/v1/incidents/report.csv?${query}`,
        headers: auth(tokens.viewer),
      });
      assert.equal(csvExport.statusCode, 200, csvExport.body);
      const [header, ...lines] = csvExport.body.trimEnd().split('\r\n');
      assert.equal(header!.split(',')[0], 'incident');
      assert.equal(lines.length, FAULTS.length);

      const refused = await app.inject({
        method: 'POST',
        url: `/api/v1/incidents/report/influx?${query}`,
        headers: auth(tokens.viewer),
      });
      assert.equal(refused.statusCode, 403);
      const written = await app.inject({
        method: 'POST',
        url: `/api/v1/incidents/report/influx?${query}`,
        headers: auth(tokens.expert),
      });
      assert.equal(written.statusCode, 200, written.body);
      assert.equal(written.json<{ points: number }>().points, detectors.length + 1 + FAULTS.length);
      const base = influxUrl.slice(0, influxUrl.lastIndexOf('/'));
      const totals = await influxQuery(
        base,
        influxDatabase,
        `select incidents, unmatched, beam_on_lead_h from hydra_incident_report where detector = 'all'`,
      );
      assert.deepEqual(
        totals.map((row) => [row.incidents, row.unmatched, row.beam_on_lead_h]),
        [[FAULTS.length, 2, after.totals.beamOnLeadSeconds / 3600]],
      );
    });
  });
}
