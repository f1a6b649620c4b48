import type { TestProject } from 'vitest/node';
import './provided';
import { seedDeployment, startHydraServer } from './hydraServer';

/** Seeded plot kinds: the first five get the brightness model, the other two stay without one. */
export const WITH_MODEL = 5;
export const FIRST_RUN = 1000;
export const EMPTY_PLOT_TYPE = 'DIRC_hits';

/** One real inference server for the whole run, seeded with simulator plots. */
export default async function setup(project: TestProject) {
  const server = await startHydraServer();
  try {
    await seedDeployment(server, { withModel: WITH_MODEL, run: FIRST_RUN, emptyPlotType: EMPTY_PLOT_TYPE });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const { url, tokens, grafanaToken, deployment } = server;
  project.provide('hydra', { url, tokens, grafanaToken, deployment });
  return () => server.stop();
}
