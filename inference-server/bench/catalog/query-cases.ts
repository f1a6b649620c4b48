// The requests bench:catalog times, each with the repository calls its route makes (for the plan check), both
// from the same parameters. Each round asks about another deployment, plot type or hour.
import type { Repositories } from '../../src/catalog/catalog.ts';
import { logFilter } from '../../src/log/log-export.ts';
import { labelerOrder, labelerQuery } from '../../src/labels/labeler-filters.ts';
import type { LabelQuery, LogQuery } from '../../src/schemas/index.ts';
import { latestPlots } from '../../src/views/latest-plots.ts';
import { SEED_EXPERTS } from './plot-rows.ts';

const HOUR_MS = 3_600_000;
const PAGE = 100;

/** What the catalog holds, as the cases need it to ask about things that exist. */
export interface CatalogShape {
  deployments: Array<{
    id: number;
    name: string;
    plotTypes: Array<{ id: number; name: string }>;
    /** Newest first. */
    runs: number[];
  }>;
  /** When the newest prediction was made. */
  newest: number;
}

export interface QueryCase {
  name: string;
  /** p99 ms. */
  goalMs: number;
  /** The URL of round `round`'s request, and the repository calls its route makes. */
  request(round: number): { url: string; call: (repositories: Repositories) => Promise<unknown> };
}

export async function catalogShape(repositories: Repositories): Promise<CatalogShape> {
  const [newest] = await repositories.predictions.list({ limit: 1, offset: 0 });
  if (!newest) throw new Error('the catalog holds no predictions: seed it first (npm run seed:catalog)');
  const deployments: CatalogShape['deployments'] = [];
  for (const { id, name } of await repositories.deployments.list()) {
    const plotTypes = (await repositories.plotTypes.list(id)).map((row) => ({ id: row.id, name: row.name }));
    const runs = (await repositories.runs.list(id, 40, 0)).map((run) => run.number);
    if (plotTypes.length > 0 && runs.length > 0) deployments.push({ id, name, plotTypes, runs });
  }
  return { deployments, newest: newest.createdAt };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The query string of the parameters that are set. */
function search(params: object): string {
  const set = Object.entries(params).filter(([, value]) => value !== undefined);
  return new URLSearchParams(set.map(([key, value]): [string, string] => [key, String(value)])).toString();
}

export function catalogCases(shape: CatalogShape): QueryCase[] {
  const { deployments } = shape;
  const plotTypes = deployments.flatMap((deployment) =>
    deployment.plotTypes.map((plotType) => ({ ...plotType, deployment })),
  );
  const deployment = (round: number) => deployments[round % deployments.length]!;
  const plotType = (round: number) => plotTypes[round % plotTypes.length]!;
  /** An hour of the last week, a different one each round. */
  const hourEnd = (round: number) => shape.newest - ((round * 37) % 168) * HOUR_MS;

  // The labeler asks for a page as the user scrolls, and for the count once per filter.
  const labeler = (name: string, query: (round: number) => LabelQuery): QueryCase[] => [
    {
      name: `labeler page: ${name}`,
      goalMs: 100,
      request: (round) => ({
        url: `/api/v1/labels?${search(query(round))}`,
        call: (repositories) => repositories.labels.labelerImages(labelerQuery(query(round))),
      }),
    },
    {
      name: `labeler count: ${name}`,
      goalMs: 100,
      request: (round) => {
        const { limit: _limit, offset: _offset, ...filters } = query(round);
        return {
          url: `/api/v1/labels/count?${search(filters)}`,
          call: (repositories) => repositories.labels.labelerCount(labelerOrder(filters)),
        };
      },
    },
  ];
  const log = (name: string, query: (round: number) => LogQuery): QueryCase => ({
    name: `log: ${name}`,
    goalMs: 100,
    request: (round) => ({
      url: `/api/v1/log?${search(query(round))}`,
      call: (repositories) => {
        const filter = logFilter(query(round));
        return Promise.all([repositories.log.list(filter, { limit: PAGE }), repositories.log.count(filter)]);
      },
    }),
  });
  const page = { limit: PAGE, offset: 0 };

  return [
    {
      name: 'plots: latest verdict of each plot type',
      goalMs: 20,
      request: (round) => ({
        url: `/api/v1/plots?deployment=${deployment(round).name}`,
        call: (repositories) => latestPlots(repositories, deployment(round).id),
      }),
    },
    {
      name: 'predictions: an hour of a deployment',
      goalMs: 100,
      request: (round) => {
        const { id, name } = deployment(round);
        const to = hourEnd(round);
        return {
          url: `/api/v1/predictions?${search({ deployment: name, from: iso(to - HOUR_MS), to: iso(to), ...page })}`,
          call: (repositories) =>
            repositories.predictions.list({ deploymentId: id, from: to - HOUR_MS, to, ...page }),
        };
      },
    },
    {
      name: 'predictions: a day of a plot type',
      goalMs: 100,
      request: (round) => {
        const { id, name, deployment } = plotType(round);
        const to = hourEnd(round);
        const from = to - 24 * HOUR_MS;
        return {
          url: `/api/v1/predictions?${search({ deployment: deployment.name, plotType: name, from: iso(from), to: iso(to), ...page })}`,
          call: (repositories) =>
            repositories.predictions.list({ deploymentId: deployment.id, plotTypeId: id, from, to, ...page }),
        };
      },
    },
    ...labeler('unlabeled, confidence < 0.9, least confident first', (round) => ({
      plotTypeId: plotType(round).id,
      filter: 'unlabeled',
      maxConfidence: 0.9,
      sort: 'least-confident',
      ...page,
    })),
    ...labeler('labelled Bad in ten runs, by run', (round) => {
      const { runs, plotTypes } = deployment(round);
      return {
        plotTypeId: plotTypes[round % plotTypes.length]!.id,
        filter: 'all',
        labeledAs: 'Bad',
        // Runs of a day or two ago: experts label plots hours to days after they were taken.
        runFrom: runs[Math.min(runs.length - 1, 30)],
        runTo: runs[Math.min(runs.length - 1, 20)],
        sort: 'run',
        ...page,
      };
    }),
    ...labeler(`labelled by ${SEED_EXPERTS[0]}, newest first`, (round) => ({
      plotTypeId: plotType(round).id,
      filter: 'all',
      labeledBy: SEED_EXPERTS[0],
      sort: 'newest',
      ...page,
    })),
    ...labeler('disagreements, most mistaken first', (round) => ({
      plotTypeId: plotType(round).id,
      filter: 'disagreement',
      sort: 'most-mistaken',
      ...page,
    })),
    log('the last 24 h, with the total', () => ({
      from: iso(shape.newest - 24 * HOUR_MS),
      to: iso(shape.newest),
      ...page,
    })),
    log('a week of a deployment, unacknowledged, with the total', (round) => ({
      deploymentId: deployment(round).id,
      from: iso(shape.newest - 7 * 24 * HOUR_MS),
      to: iso(shape.newest),
      acknowledged: false,
      ...page,
    })),
    {
      name: 'runs: a page of 50 with image counts',
      goalMs: 100,
      request: (round) => {
        const { id, name } = deployment(round);
        const offset = (Math.floor(round / deployments.length) % 4) * 50;
        return {
          url: `/api/v1/runs?${search({ deployment: name, limit: 50, offset })}`,
          call: (repositories) => repositories.runs.list(id, 50, offset),
        };
      },
    },
  ];
}
