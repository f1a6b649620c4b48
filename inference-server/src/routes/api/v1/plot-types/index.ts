import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PlotTypeRow } from '../../../../catalog/repositories/plot-types-repository.ts';
import {
  autoencoderTrainingView,
  calibratedVersionView,
  referenceView,
  siameseTrainingView,
} from '../../../../views/api-views.ts';
import { NotFoundError } from '../../../../errors.ts';
import { unlabeledClusters } from '../../../../labels/clusters.ts';
import {
  AutoencoderStatus,
  AutoencoderTrainRequest,
  AutoencoderTraining,
  ClusterList,
  ClusterQuery,
  IdParams,
  Reference,
  ReferenceBody,
  ReferenceList,
  PlotTypeBody,
  PlotTypeInfo,
  PlotTypeList,
  PlotTypeQuery,
  Problem,
  problemResponses,
  SiameseStatus,
  SiameseTrainRequest,
  SiameseTraining,
} from '../../../../schemas/index.ts';

const plotTypes: FastifyPluginAsyncTypebox = async (fastify) => {
  async function describe(row: PlotTypeRow, deployment: string): Promise<PlotTypeInfo> {
    const classes = await fastify.catalog.plotTypes.listClasses(row.id);
    return {
      id: row.id,
      deployment,
      name: row.name,
      group: row.group_name,
      title: row.title,
      activeModelVersionId: row.active_model_version_id,
      classes: classes.map(({ name, colour, severity }) => ({ name, colour, severity })),
    };
  }

  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Plot types of a deployment, with their classes',
        querystring: PlotTypeQuery,
        response: { 200: PlotTypeList, ...problemResponses, 422: Problem },
      },
    },
    async (request) => {
      const deployment = await fastify.catalog.deployments.require(request.query.deployment);
      const rows = await fastify.catalog.plotTypes.list(deployment.id);
      return { items: await Promise.all(rows.map((row) => describe(row, deployment.name))) };
    },
  );

  fastify.post(
    '/',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary:
          'Register a plot type (idempotent); classes, when given, replace their colours and severities',
        body: PlotTypeBody,
        response: { 200: PlotTypeInfo, ...problemResponses, 422: Problem },
      },
    },
    async (request) => {
      const { body } = request;
      const deployment = await fastify.catalog.deployments.require(body.deployment);
      const row = await fastify.catalog.plotTypes.ensure(deployment.id, body.name, {
        group: body.group,
        title: body.title,
      });
      if (body.classes) await fastify.catalog.plotTypes.defineClasses(row.id, body.classes);
      return describe(row, deployment.name);
    },
  );

  fastify.put(
    '/:id/reference',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary: 'Mark an image of this plot type as its reference (the good plot others are compared with)',
        params: IdParams,
        body: ReferenceBody,
        response: { 200: Reference, ...problemResponses, 404: Problem },
      },
    },
    async (request) => {
      await fastify.catalog.plotTypes.get(request.params.id);
      const row = await fastify.catalog.references.set(
        request.params.id,
        request.body.imageId,
        request.actor!.name,
      );
      request.log.info({ plotTypeId: row.plot_type_id, imageId: row.image_id }, 'reference set');
      return referenceView(row);
    },
  );

  fastify.get(
    '/:id/reference',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'The current reference image of this plot type',
        params: IdParams,
        response: { 200: Reference, ...problemResponses, 404: Problem },
      },
    },
    async (request) => {
      const plotType = await fastify.catalog.plotTypes.get(request.params.id);
      const [current] = await fastify.catalog.references.list(plotType.id);
      if (!current) {
        throw new NotFoundError(
          `${plotType.title} has no reference image yet: open a good plot of it in the viewer and mark it as the ` +
            `reference (an expert's right), or PUT /api/v1/plot-types/${plotType.id}/reference with its imageId`,
        );
      }
      return referenceView(current);
    },
  );

  fastify.get(
    '/:id/references',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Reference history of this plot type, the current one first',
        params: IdParams,
        response: { 200: ReferenceList, ...problemResponses },
      },
    },
    async (request) => ({
      items: (await fastify.catalog.references.list(request.params.id)).map(referenceView),
    }),
  );

  fastify.post(
    '/:id/autoencoder',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary:
          "Train the plot type's autoencoder on its newest images, without labels, and calibrate its threshold for " +
          'a target false-alarm rate; it runs in the background (poll GET)',
        params: IdParams,
        body: AutoencoderTrainRequest,
        response: { 202: AutoencoderTraining, ...problemResponses, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const job = await fastify.anomaly.train(
        request.params.id,
        { ...body, inputShape: body.inputShape as [number, number, number] },
        request.actor!.name,
      );
      return reply.code(202).send(autoencoderTrainingView(job));
    },
  );

  fastify.get(
    '/:id/autoencoder',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: "The plot type's autoencoder (its calibration) and its latest training",
        params: IdParams,
        response: { 200: AutoencoderStatus, ...problemResponses, 404: Problem },
      },
    },
    async (request) => {
      const plotTypeId = request.params.id;
      await fastify.catalog.plotTypes.get(plotTypeId);
      const job = fastify.anomaly.job(plotTypeId);
      const active = await fastify.anomaly.active(plotTypeId);
      return {
        plotTypeId,
        training: job ? autoencoderTrainingView(job) : null,
        active: active && calibratedVersionView(active),
      };
    },
  );

  fastify.post(
    '/:id/siamese',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary:
          "Train the plot type's Siamese encoder on pairs of its labeled plots (same or other class), whose embeddings " +
          'then measure the distance of every new plot from the reference, and calibrate its threshold for a target ' +
          'false-alarm rate; it runs in the background (poll GET)',
        params: IdParams,
        body: SiameseTrainRequest,
        response: { 202: SiameseTraining, ...problemResponses, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const job = await fastify.referenceDistance.train(
        request.params.id,
        { ...body, inputShape: body.inputShape as [number, number, number] },
        request.actor!.name,
      );
      return reply.code(202).send(siameseTrainingView(job));
    },
  );

  fastify.get(
    '/:id/siamese',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          "The plot type's reference, its Siamese encoder (its calibration; none: the pixel distance) and its latest training",
        params: IdParams,
        response: { 200: SiameseStatus, ...problemResponses, 404: Problem },
      },
    },
    async (request) => {
      const plotTypeId = request.params.id;
      await fastify.catalog.plotTypes.get(plotTypeId);
      const job = fastify.referenceDistance.job(plotTypeId);
      const active = await fastify.referenceDistance.active(plotTypeId);
      const reference = await fastify.catalog.references.current(plotTypeId);
      return {
        plotTypeId,
        reference: reference?.imageId ?? null,
        training: job ? siameseTrainingView(job) : null,
        active: active && calibratedVersionView(active),
      };
    },
  );

  fastify.get(
    '/:id/clusters',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: "Clusters of this plot type's unlabeled images, for labeling a cluster at a time",
        description:
          'k-means on an embedding of the newest `limit` unlabeled images (their difference from the median image, ' +
          "in blocks). Look at a cluster's medoid and its most unique near-duplicate groups, then label it with " +
          'POST /api/v1/labels and its imageIds. Writes each image’s uniqueness (GET /labels?sort=most-unique).',
        params: IdParams,
        querystring: ClusterQuery,
        response: { 200: ClusterList, ...problemResponses, 404: Problem },
      },
    },
    (request) => unlabeledClusters(fastify.catalog, fastify.imageStore, request.params.id, request.query),
  );
};

export default plotTypes;
