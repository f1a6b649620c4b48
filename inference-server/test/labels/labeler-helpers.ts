import type { FastifyInstance } from 'fastify';
import type { ImageUploadResult, ServerStatus } from '../../src/schemas/index.ts';
import { auth, createPlotType, registerBrightnessModel, uploadPlot } from '../helpers/api.ts';
import { plotPng } from '../helpers/images.ts';
import { waitFor } from '../helpers/services.ts';

/** Classes with severities, as an expert registers them. */
export async function defineClasses(
  app: FastifyInstance,
  token: string,
  plotType: string,
  classes: Array<[string, string]>,
) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/plot-types',
    headers: auth(token),
    payload: {
      deployment: 'halld',
      name: plotType,
      group: 'test',
      classes: classes.map(([name, severity]) => ({ name, colour: '#808080', severity })),
    },
  });
  if (response.statusCode !== 200) throw new Error(`classes: ${response.body}`);
}

/**
 * A plot type with the brightness model (Good above half brightness, Bad below) and one classified plot per
 * brightness, run 100 onwards; returns the plot type's id and the images' ids in upload order.
 */
export async function classifiedPlots(
  app: FastifyInstance,
  tokens: Record<string, string>,
  brightnesses: number[],
  plotTypeName = 'CDC_occupancy',
): Promise<{ plotTypeId: number; imageIds: number[] }> {
  const plotType = await createPlotType(app, tokens.admin!, 'halld', plotTypeName);
  await registerBrightnessModel(app, tokens.expert!, plotType.id);
  await defineClasses(app, tokens.admin!, plotTypeName, [
    ['Good', 'ok'],
    ['Bad', 'alarm'],
  ]);
  const uploaded: ImageUploadResult[] = [];
  for (const [i, brightness] of brightnesses.entries()) {
    const { result } = await uploadPlot(
      app,
      tokens.ingest!,
      { deployment: 'halld', plotType: plotTypeName, run: String(100 + i) },
      await plotPng({ brightness, seed: 60 + i }),
    );
    uploaded.push(result!);
  }
  await waitFor(
    async () =>
      (await app.inject({ url: '/api/v1/status', headers: auth(tokens.viewer!) })).json<ServerStatus>().queue
        .classified === brightnesses.length,
    { what: `${brightnesses.length} verdicts` },
  );
  return { plotTypeId: plotType.id, imageIds: uploaded.map((u) => u.image.id) };
}
