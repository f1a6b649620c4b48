import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BeamTimeline } from '../../src/incidents/beam.ts';
import { csvRows } from '../../src/incidents/csv-rows.ts';
import { groupIncidents, type Flag } from '../../src/incidents/incidents.ts';
import { median } from '../../src/incidents/report.ts';
import { defaultTerms, effectiveTerms, runsNamedIn, TermIndex } from '../../src/incidents/terms.ts';

// The pure rules under the report, on small cases whose answers are written out.

describe('CSV rows', () => {
  test('each row starts on its own line, through quoted line breaks, CRLF and empty lines', () => {
    const rows = csvRows('\uFEFFa,b\r\n"x\r\ny",2\r\n\r\n"say ""hi""",3\r\n"bad"x,4\r\nlast,"open\r\n');
    assert.deepEqual(rows, [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\ny', '2'] },
      { line: 5, fields: ['say "hi"', '3'] },
      { line: 6, fields: ['bad', '4'], error: 'text after the closing quote of field 1' },
      { line: 7, fields: ['last', 'open\n'], error: 'the quote of field 2 is never closed' },
    ]);
  });
});

describe('incidents', () => {
  const plotTypes = new Map([
    [1, { id: 1, name: 'CDC_occupancy', group: 'CDC' }],
    [2, { id: 2, name: 'FCAL_occupancy', group: 'FCAL' }],
  ]);
  const flag = (
    key: number,
    plotTypeId: number,
    minute: number,
    acknowledgedAt: number | null = null,
  ): Flag => ({
    kind: 'verdict',
    key,
    plotTypeId,
    at: minute * 60_000,
    run: 100 + Math.floor(minute / 60),
    imageId: key,
    what: 'Bad',
    acknowledgedAt,
    acknowledgedBy: acknowledgedAt === null ? null : 'crew',
  });

  test('a gap longer than the setting closes an incident; plot types never share one', () => {
    const incidents = groupIncidents(
      [
        flag(1, 1, 0),
        flag(2, 1, 25, 9e6),
        flag(3, 2, 30),
        flag(4, 1, 50, 3e6),
        flag(5, 1, 81),
        flag(6, 1, 70),
      ],
      plotTypes,
      30 * 60_000,
    );
    assert.deepEqual(
      incidents.map((i) => [i.key, i.plotType.name, i.flags, i.runs, i.acknowledgement?.at ?? null]),
      [
        [1, 'CDC_occupancy', 5, [100, 101], 3e6],
        [3, 'FCAL_occupancy', 1, [100], null],
      ],
    );
    assert.deepEqual(
      groupIncidents([flag(1, 1, 0), flag(2, 1, 31)], plotTypes, 30 * 60_000).map((i) => i.key),
      [1, 2],
    );
  });
});

describe('beam time', () => {
  test('counts beam on and unknown stretches, not beam off', () => {
    const beam = new BeamTimeline([
      { at: 100, beam: 'on' },
      { at: 200, beam: 'off' },
      { at: 300, beam: 'on' },
    ]);
    assert.equal(beam.known, true);
    assert.equal(beam.onMs(0, 400), 100 + 100 + 100, 'unknown before the first reading counts');
    assert.equal(beam.onMs(150, 250), 50);
    assert.equal(beam.onMs(210, 290), 0);
    assert.equal(new BeamTimeline([{ at: 0, beam: 'unknown' }]).known, false);
    assert.equal(new BeamTimeline([]).onMs(0, 1000), 1000);
  });
});

describe('terms', () => {
  const plotTypes = [
    { id: 1, name: 'FTOF_panel1a_occupancy', group: 'FTOF', title: 'Forward TOF panel 1a occupancy' },
    { id: 2, name: 'SC_occupancy', group: 'SC', title: 'Start counter paddles' },
  ];

  test('the defaults name plot types by group and specific words, not by what is plotted', () => {
    const terms = defaultTerms(plotTypes).map((t) => t.term);
    assert.deepEqual(terms, ['1a', 'counter', 'forward', 'ftof', 'paddles', 'panel', 'panel1a', 'sc', 'tof']);
    const index = new TermIndex(effectiveTerms(plotTypes, []));
    assert.deepEqual([...index.plotTypesNamedIn('TOF problem: no hits since last night')], [1]);
    assert.deepEqual([...index.plotTypesNamedIn('tofu for lunch; start of run; occupancy plots posted')], []);
  });

  test("a deployment's own term of several words names its plot types and replaces a default", () => {
    const custom = [{ term: 'start counter', plotTypeIds: [2], source: 'custom' as const }];
    const index = new TermIndex(effectiveTerms(plotTypes, custom));
    assert.deepEqual([...index.plotTypesNamedIn('The Start-Counter HV tripped')], [2]);
    assert.deepEqual(
      [...index.plotTypesNamedIn('counter start')],
      [2],
      'the default "counter" still names it',
    );
  });

  test('run numbers a text names', () => {
    assert.deepEqual(
      runsNamedIn('Run 16042 bad; see run #16043 and Run no. 16044, not 16045'),
      [16042, 16043, 16044],
    );
    assert.deepEqual(runsNamedIn('runaway 5 minutes'), []);
  });

  test('the median of an even count is the mean of the middle two', () => {
    assert.deepEqual([median([]), median([3, 1, 2]), median([4, 1, 3, 2])], [null, 2, 2.5]);
  });
});
