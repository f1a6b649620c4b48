import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IncidentReport, IncidentTimeline } from '../../src/schemas/index.ts';
import { auth } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';
import { HOUR, importLogbookFile, MINUTE, seedPeriod, type PlannedVerdict } from './run-period.ts';

// Hydra's incident in Hall B: the monitor flagged the forward time-of-flight plots at 23:45:43; the crew posted
// monitoring images at 00:02 without naming a detector, and wrote about the TOF problem at 07:30.
const FLAGGED_AT = Date.parse('2024-02-10T23:45:43Z');
const PLOT_TYPES = [
  { name: 'FTOF_panel1a_occupancy', group: 'FTOF', title: 'Forward TOF panel 1a occupancy' },
  { name: 'FTOF_panel1b_timing', group: 'FTOF', title: 'Forward TOF panel 1b timing' },
  { name: 'DC_occupancy', group: 'DC', title: 'Drift chamber occupancy' },
];
const LOGBOOK = [
  'time,author,text,detector,plot_type,run',
  '2024-02-10T22:10:00Z,shift-crew,Run 16042 started; beam 50 nA on target,,,',
  '2024-02-11T00:02:00Z,shift-crew,monitoring images posted,,,',
  '2024-02-11T07:30:00Z,day-shift,"TOF problem: the forward TOF shows no hits in panels 1a and 1b since last night, called the expert",,,',
].join('\n');

/** Every plot type every 2 minutes from 20:00 to 09:00; the forward TOF plots are Bad from 23:45:43 to 08:00. */
function night(): PlannedVerdict[] {
  const verdicts: PlannedVerdict[] = [];
  const start = Date.parse('2024-02-10T20:00:00Z');
  const faultEnd = Date.parse('2024-02-11T08:00:00Z');
  for (let at = start; at < start + 13 * HOUR; at += 2 * MINUTE) {
    for (const { name } of PLOT_TYPES) {
      // The faulty plots' verdicts fall on the first flag's second.
      const time = name.startsWith('FTOF') ? at + (FLAGGED_AT % (2 * MINUTE)) : at;
      const bad = name.startsWith('FTOF') && time >= FLAGGED_AT && time < faultEnd;
      verdicts.push({
        plotType: name,
        at: time,
        verdict: bad ? 'Bad' : 'Good',
        confirmed: true,
        run: time < Date.parse('2024-02-11T02:00:00Z') ? 16042 : 16043,
        beam: 'unknown',
        acknowledgement:
          bad && name === 'FTOF_panel1a_occupancy' && time > Date.parse('2024-02-11T07:40:00Z')
            ? { user: 'day-shift', at: Date.parse('2024-02-11T07:50:00Z') }
            : undefined,
        // The expert overrides the last Bad verdict to Good once the panels are back.
        override:
          name === 'FTOF_panel1a_occupancy' && time === faultEnd - 17_000
            ? {
                class_name: 'Good',
                source: 'override',
                user_name: 'tof-expert',
                created_at: Date.parse('2024-02-11T08:05:00Z'),
                superseded_at: null,
              }
            : undefined,
      });
    }
  }
  return verdicts;
}

for (const engine of ENGINES) {
  describe(`the Hydra incident (${engine})`, () => {
    test('the report matches the 07:30 entry that names the TOF, not the 00:02 one, and gives 7 h 44 min', async (t) => {
      const { app, tokens, databaseUrl } = await buildTestApp(t, engine);
      const { deploymentId } = await seedPeriod(app, databaseUrl, 'hallb', PLOT_TYPES, night());
      const imported = await importLogbookFile(app, tokens.expert, 'hallb', 'csv', LOGBOOK);
      assert.deepEqual([imported.added, imported.rejected], [3, []]);

      const query = `deploymentId=${deploymentId}&from=2024-02-10T18:00:00Z&to=2024-02-11T12:00:00Z`;
      const response = await app.inject({
        url: `/api/v1/incidents/report?${query}`,
        headers: auth(tokens.viewer),
      });
      assert.equal(response.statusCode, 200, response.body);
      const report = response.json<IncidentReport>();

      assert.deepEqual(
        report.incidents.map((i) => [i.plotType, i.firstFlagAt, i.logbook?.at, i.logbook?.author]),
        [
          ['FTOF_panel1a_occupancy', '2024-02-10T23:45:43.000Z', '2024-02-11T07:30:00.000Z', 'day-shift'],
          ['FTOF_panel1b_timing', '2024-02-10T23:45:43.000Z', '2024-02-11T07:30:00.000Z', 'day-shift'],
        ],
      );
      const lead = report.incidents[0]!.leadSeconds!;
      assert.equal(lead, 7 * 3600 + 44 * 60 + 17);
      assert.equal(`${Math.floor(lead / 3600)} h ${Math.floor((lead % 3600) / 60)} min`, '7 h 44 min');
      assert.equal(report.beamKnown, false, 'no EPICS: the verdicts read no beam');
      assert.deepEqual(report.detectors, [
        {
          detector: 'FTOF',
          incidents: 2,
          matched: 2,
          unmatched: 0,
          medianLeadSeconds: lead,
          worstLeadSeconds: lead,
          totalLeadSeconds: 2 * lead,
          // Without a beam signal, all the time counts.
          beamOnLeadSeconds: 2 * lead,
        },
      ]);

      // The same night with a window shorter than the crew took: the incidents are unmatched.
      const short = (
        await app.inject({
          url: `/api/v1/incidents/report?${query}&windowHours=6`,
          headers: auth(tokens.viewer),
        })
      ).json<IncidentReport>();
      assert.deepEqual(
        short.incidents.map((i) => i.logbook),
        [null, null],
      );
      assert.equal(short.totals.unmatched, 2);

      const timeline = await app.inject({
        url: `/api/v1/incidents/${report.incidents[0]!.key}?${query}`,
        headers: auth(tokens.viewer),
      });
      assert.equal(timeline.statusCode, 200, timeline.body);
      assert.deepEqual(
        timeline.json<IncidentTimeline>().events.map((e) => [e.kind, e.at, e.by]),
        [
          ['first-flag', '2024-02-10T23:45:43.000Z', null],
          ['logbook', '2024-02-11T07:30:00.000Z', 'day-shift'],
          ['acknowledgement', '2024-02-11T07:50:00.000Z', 'day-shift'],
          ['last-flag', '2024-02-11T07:59:43.000Z', null],
          ['override', '2024-02-11T08:05:00.000Z', 'tof-expert'],
        ],
      );
    });
  });
}
