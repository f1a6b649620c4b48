import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Problem } from '../../src/schemas/index.ts';
import { auth, createPlotType, registerBrightnessModel, uploadPlot } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';

for (const engine of ENGINES) {
  describe(`labeling rules (${engine})`, () => {
    test("a label must be one of the plot type's classes; a plot type with none yet takes any valid name", async (t) => {
      const { app, tokens } = await buildTestApp(t, engine);
      const withModel = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
      await registerBrightnessModel(app, tokens.expert, withModel.id);
      await createPlotType(app, tokens.admin, 'halld', 'FCAL_timing');
      const upload = async (plotType: string, seed: number) =>
        (
          await uploadPlot(
            app,
            tokens.ingest,
            { deployment: 'halld', plotType, run: String(100 + seed) },
            await plotPng({ brightness: 0.5, seed }),
          )
        ).result!.image.id;
      const classified = await upload('CDC_occupancy', 1);
      const fresh = await upload('FCAL_timing', 2);
      const label = (imageIds: number[], className: string, token = tokens.labeler) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/labels',
          headers: auth(token),
          payload: { imageIds, class: className },
        });

      const unknown = await label([classified], 'Cosmic');
      assert.equal(unknown.statusCode, 400, unknown.body);
      assert.match(
        unknown.json<Problem>().detail,
        /plot type CDC_occupancy has no class "Cosmic": its classes are Good, Bad/,
      );
      assert.equal((await app.catalog.labels.history(classified)).length, 0, 'nothing was stored');
      const mixed = await label([fresh, classified], 'Cosmic');
      assert.equal(
        mixed.statusCode,
        400,
        'one image of a plot type without the class refuses the whole batch',
      );
      assert.equal((await app.catalog.labels.history(fresh)).length, 0);

      assert.equal((await label([classified], 'Bad')).statusCode, 201);
      assert.equal(
        (await label([fresh], 'Cosmic')).statusCode,
        201,
        'no classes yet: the first labels define them',
      );
      const missing = await label([classified, 999_999], 'Good');
      assert.equal(missing.statusCode, 404);
      assert.match(missing.json<Problem>().detail, /no image with id 999999/);
    });
  });
}
