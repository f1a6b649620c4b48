import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sizeLimit } from '../../../../config.ts';
import { MAX_FILES, readMultipartForm } from '../../../../http/multipart-form.ts';
import { unpackZipArchives } from '../../../../models/model-artifacts.ts';
import {
  AgreementList,
  TrainRequest,
  TrainingJob,
  ModelLibraryParams,
  ModelUploadFields,
  ModelVersion,
  ModelVersionList,
  ModelVersionPatch,
  Problem,
  VersionParams,
  problemResponses,
} from '../../../../schemas/index.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../../errors.ts';
import { modelVersionView } from '../../../../views/api-views.ts';

/** A plot type's model library: its versions, imports of TF.js layers models, and which version is active. */
const models: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/:plotTypeId',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Model versions of a plot type, newest first',
        params: ModelLibraryParams,
        response: { 200: ModelVersionList, ...problemResponses, 404: Problem },
      },
    },
    async (request) => {
      await fastify.catalog.getPlotType(request.params.plotTypeId);
      const rows = await fastify.catalog.listModelVersions(request.params.plotTypeId);
      return { items: rows.map(modelVersionView) };
    },
  );

  fastify.post(
    '/:plotTypeId/versions',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary:
          'Import a TF.js layers model (multipart: model.json and its weight files, or a zip of its folder; ' +
          'classes, thresholds)',
        consumes: ['multipart/form-data'],
        params: ModelLibraryParams,
        response: { 201: ModelVersion, ...problemResponses, 404: Problem, 413: Problem, 415: Problem },
      },
    },
    async (request, reply) => {
      const plotType = await fastify.catalog.getPlotType(request.params.plotTypeId);
      const limit = sizeLimit(fastify.config, 'HYDRA_MAX_MODEL_BYTES');
      const form = await readMultipartForm(request, ModelUploadFields, { file: limit, maxFiles: MAX_FILES });
      const { fields } = form;
      const version = await fastify.models.register({
        plotType,
        files: unpackZipArchives(
          form.files.map((file) => ({ name: file.filename, content: file.content })),
          limit,
        ),
        classes: fields.classes,
        name: fields.name,
        architecture: fields.architecture,
        thresholds: fields.thresholds,
        activate: fields.activate,
      });
      request.log.info(
        { plotType: plotType.name, modelVersionId: version.id, active: fields.activate },
        'model imported',
      );
      return reply.code(201).send(modelVersionView(version));
    },
  );

  /** Activates a version and frees the replaced one in the workers; the next batch uses the new one. */
  async function activate(plotTypeId: number, versionId: number) {
    const replaced = await fastify.catalog.activateModelVersion(plotTypeId, versionId);
    if (replaced !== null) fastify.inferencePool.unload(replaced);
    fastify.log.info({ plotTypeId, versionId, replaced }, 'model version activated');
    return modelVersionView(await fastify.catalog.getModelVersion(versionId));
  }

  fastify.post(
    '/:plotTypeId/versions/:versionId/activate',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary:
          'Make a version the active one (promote); the next batch of this plot type uses it, no restart',
        params: VersionParams,
        response: { 200: ModelVersion, ...problemResponses, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      const version = await fastify.catalog.getModelVersion(request.params.versionId);
      if (version.status === 'retired') {
        throw new ConflictError(`version ${version.version} is retired: set its status to ready first`);
      }
      return activate(request.params.plotTypeId, request.params.versionId);
    },
  );

  fastify.post(
    '/:plotTypeId/rollback',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary: 'Make the version that was active before the current one active again',
        params: ModelLibraryParams,
        response: { 200: ModelVersion, ...problemResponses, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      const previous = await fastify.catalog.previouslyActiveVersion(request.params.plotTypeId);
      if (!previous) throw new ConflictError('there is no earlier active version to roll back to');
      return activate(request.params.plotTypeId, previous.id);
    },
  );

  fastify.patch(
    '/:plotTypeId/versions/:versionId',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary: "Edit a version's class thresholds, or retire it",
        params: VersionParams,
        body: ModelVersionPatch,
        response: { 200: ModelVersion, ...problemResponses, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      const { plotTypeId, versionId } = request.params;
      const version = await fastify.catalog.getModelVersion(versionId);
      if (version.plot_type_id !== plotTypeId) {
        throw new NotFoundError(`model version ${versionId} is not one of plot type ${plotTypeId}`);
      }
      const classes = JSON.parse(version.classes) as string[];
      const unknown = Object.keys(request.body.thresholds ?? {}).filter((name) => !classes.includes(name));
      if (unknown.length)
        throw new InvalidInputError(`thresholds name unknown classes: ${unknown.join(', ')}`);
      if (request.body.status === 'retired' && version.status === 'active') {
        throw new ConflictError(
          'the active version cannot be retired: activate another one or roll back first',
        );
      }
      await fastify.catalog.updateModelVersion(versionId, {
        thresholds: request.body.thresholds && {
          ...(JSON.parse(version.thresholds) as Record<string, number>),
          ...request.body.thresholds,
        },
        status: request.body.status,
      });
      request.log.info({ plotTypeId, versionId, changes: request.body }, 'model version edited');
      return modelVersionView(await fastify.catalog.getModelVersion(versionId));
    },
  );

  fastify.get(
    '/:plotTypeId/agreement',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'Per model version: how often human labels given after its predictions agree with them, per day',
        params: ModelLibraryParams,
        response: { 200: AgreementList, ...problemResponses, 404: Problem },
      },
    },
    async (request) => {
      await fastify.catalog.getPlotType(request.params.plotTypeId);
      return { items: await fastify.agreement.summary(request.params.plotTypeId) };
    },
  );

  fastify.post(
    '/:plotTypeId/train',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary:
          'Train a new version on the labelled images of this plot type (stratified split, class weights, early ' +
          'stopping); follow it at /api/v1/training-jobs/:id or as `training` events on /api/v1/events',
        params: ModelLibraryParams,
        body: TrainRequest,
        response: { 202: TrainingJob, ...problemResponses, 404: Problem },
      },
    },
    async (request, reply) => {
      const job = await fastify.trainingJobs.create(
        request.params.plotTypeId,
        request.body,
        request.principal!.name,
      );
      return reply.code(202).send(job);
    },
  );
};

export default models;
