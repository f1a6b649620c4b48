import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '@hydra/inference-server/api';
import type { IncidentReport } from '@hydra/plugin-kit/client';
import { postPlot, seedOwnDeployment } from '@hydra/plugin-kit/testing/server';
import { testIds } from '../src/testIds';
import { api, ARTIFACTS, closeSession, hydra, openPage, openSession, tid, type Session } from './browserKit';

// Dark plots of four detectors; the crew's logbook names two of them (one by a detector tag, one in words).
const FAULTY = ['CDC_occupancy', 'FCAL_occupancy', 'BCAL_occupancy', 'TOF_timing'];
let session: Session;
let report: IncidentReport;

// A deployment of its own: the other browser tests post Bad plots to the shared one, which would be incidents too.
const DEPLOYMENT = 'incidents-hall';
let deploymentId: number;

beforeAll(async () => {
  session = await openSession();
  const { server } = await seedOwnDeployment(hydra, DEPLOYMENT, { withModel: FAULTY.length, run: 4999 });
  for (const [index, plotType] of FAULTY.entries()) {
    await postPlot(server, { plotType, run: 5000 + index, seed: 20 + index, bad: true });
  }
  deploymentId = (await api<{ items: Deployment[] }>('viewer', 'GET', '/deployments')).items.find(
    (d) => d.name === DEPLOYMENT
  )!.id;
  const reportNow = () => api<IncidentReport>('viewer', 'GET', `/incidents/report?deploymentId=${deploymentId}`);
  for (let tries = 0; (await reportNow()).incidents.length < FAULTY.length; tries++) {
    expect(tries, 'every dark plot flagged within 30 s').toBeLessThan(60);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const minutesLater = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
  await api('expert', 'POST', '/logbook', {
    deployment: DEPLOYMENT,
    format: 'csv',
    content: [
      'time,author,text,detector',
      `${minutesLater(12)},shift-crew,HV trip in the chamber; expert paged,CDC`,
      `${minutesLater(95)},day-shift,BCAL shows a dark sector since the night,`,
      `${minutesLater(30)},shift-crew,Shift change; all quiet,`,
    ].join('\n'),
  });
  report = await reportNow();
}, 300_000);

afterAll(() => closeSession(session));

describe('the Incidents page in Chromium, on a real inference server', () => {
  it('shows the report per detector, the unmatched incidents and one timeline, in dark and light', async () => {
    expect(report.totals).toMatchObject({ incidents: FAULTY.length, matched: 2, unmatched: 2 });
    for (const theme of ['dark', 'light'] as const) {
      const page = await openPage(session, { page: 'incidents', theme, search: `?deploymentId=${deploymentId}` });
      await page.waitForSelector(tid(testIds.incidents.detectors));
      expect(await page.locator(tid(testIds.incidents.detector('CDC'))).textContent()).toMatch(/^CDC110(12|13) min/);
      expect(await page.locator(tid(testIds.incidents.detector('BCAL'))).textContent()).toMatch(/1 h 3[56] min/);
      const unmatched = page.locator(`${tid(testIds.incidents.unmatched)} tbody tr`);
      expect(await unmatched.count()).toBe(2);
      expect(await unmatched.allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining('FCAL_occupancy'), expect.stringContaining('TOF_timing')])
      );

      const bcal = report.incidents.find((i) => i.plotType === 'BCAL_occupancy')!;
      await page.click(`${tid(testIds.incidents.list)} ${tid(testIds.incidents.row(bcal.key))}`);
      await page.waitForSelector(`${tid(testIds.incidents.event('logbook'))}:has-text("dark sector")`);
      await page.screenshot({ path: path.join(ARTIFACTS, `incidents-${theme}.png`), fullPage: true });

      // Keys: k steps to the incident before (j after, from the first), Esc closes the timeline.
      await page.keyboard.press(report.incidents.indexOf(bcal) > 0 ? 'k' : 'j');
      await page.waitForSelector(
        `${tid(testIds.incidents.list)} tr[aria-selected="true"]:not(${tid(testIds.incidents.row(bcal.key))})`
      );
      await page.keyboard.press('Escape');
      await page.waitForSelector(tid(testIds.incidents.timeline), { state: 'detached' });

      if (theme === 'dark') {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid(testIds.incidents.csv))]);
        const csv = await fs.readFile((await download.path())!, 'utf8');
        const [header, ...rows] = csv.trimEnd().split('\r\n');
        expect(header!.split(',').slice(0, 3)).toEqual(['incident', 'detector', 'plot_type']);
        expect(rows).toHaveLength(FAULTY.length);
      }
      await page.close();
    }
  });
});
