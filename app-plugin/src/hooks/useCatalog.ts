import { useEffect, useState } from 'react';
import type { Deployment, PlotTypeInfo } from '@hydra/inference-server/api';
import { describeError, type HydraAppClient } from '@hydra/plugin-kit/client';

export interface Catalog {
  deployments?: Deployment[];
  /** Every deployment's plot types with their classes (a handful of deployments, tens of plot types each). */
  plotTypes?: PlotTypeInfo[];
  error?: string;
}

/** The server's deployments and their plot types: what the pages' pickers offer, by name. */
export function useCatalog(client: HydraAppClient): Catalog {
  const [catalog, setCatalog] = useState<Catalog>({});
  useEffect(() => {
    (async () => {
      const { items: deployments } = await client.deployments();
      const lists = await Promise.all(deployments.map((d) => client.plotTypes(d.name)));
      setCatalog({ deployments, plotTypes: lists.flatMap((list) => list.items) });
    })().catch((error) => setCatalog({ error: describeError(error) }));
  }, [client]);
  return catalog;
}

/** The page's query string parameter, e.g. ?imageId= from the panel's "open in the labeler". */
export function queryParam(search: string, name: string): string | undefined {
  return new URLSearchParams(search).get(name) ?? undefined;
}
