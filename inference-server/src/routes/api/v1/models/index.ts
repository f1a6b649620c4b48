import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { sizeLimit } from '../../../../config.ts';
import { MAX_FILES, readMultipartForm } from '../../../../http/multipart-form.ts';
import { unpackZipArchives } from '../../../../models/model-zip.ts';
import {
  ActivateRequest,
  ActivationList,
  CompareQuery,
  GateProblem,
  PromotionGate,
  RollbackRequest,
  SplitPredictions,
  SplitPredictionsQuery,
  VersionComparison,
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
import { activationView, modelVersionView } from '../../../../views/api-views.ts';
import { comparisonView, splitPredictionsView } from '../../../../views/library-views.ts';

/** Activation and rollback take an optional body: a POST without one (one click) is an empty request. */
async function bodyOptional(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

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
      const rows = await fastify.models.versions(request.params.plotTypeId);
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
      const plotType = await fastify.catalog.plotTypes.get(request.params.plotTypeId);
      const limit = sizeLimit(fastify.config, 'HYDRA_MAX_MODEL_BYTES');
      const form = await readMultipartForm(request, ModelUploadFields, { file: limit, maxFiles: MAX_FILES });
      const { fields } = form;
      const version = await fastify.models.importModel({
        plotType,
        files: await unpackZipArchives(
          form.files.map((file) => ({ name: file.filename, content: file.content })),
          limit,
        ),
        classes: fields.classes,
        name: fields.name,
        architecture: fields.architecture,
        thresholds: fields.thresholds,
        activate: fields.activate,
        activatedBy: { actor: request.actor!.name, reason: 'imported with activate' },
      });
      request.log.info(
        {
          plotType: plotType.name,
          model: version.model_name,
          version: version.version,
          active: fields.activate,
        },
        'model imported',
      );
      return reply.code(201).send(modelVersionView(version));
    },
  );

  fastify.post(
    '/:plotTypeId/versions/:versionId/activate',
    {
      onRequest: fastify.requireRight('expert'),
      preValidation: bodyOptional,
      schema: {
        summary:
          'Make a version the active one (promote) through the promotion gate; the next batch of this plot type ' +
          'uses it, no restart. A version worse than the active one needs confirmWorse and a reason (409 with the ' +
          'gate otherwise); one that learned nothing is refused (422)',
        params: VersionParams,
        body: ActivateRequest,
        response: {
          200: ModelVersion,
          ...problemResponses,
          404: Problem,
          409: GateProblem,
          422: GateProblem,
        },
      },
    },
    async (request) => {
      const { plotTypeId, versionId } = request.params;
      const by = { actor: request.actor!.name, reason: 'activated through the API' };
      return modelVersionView(await fastify.models.activate(plotTypeId, versionId, by, request.body));
    },
  );

  fastify.get(
    '/:plotTypeId/versions/:versionId/gate',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'The promotion gate of a version: better, worse, no-active, not-comparable or trivial, against the ' +
          'active version on the test images they share, with the reasons',
        params: VersionParams,
        response: { 200: PromotionGate, ...problemResponses, 404: Problem },
      },
    },
    async (request) => fastify.models.review.gate(request.params.plotTypeId, request.params.versionId),
  );

  fastify.get(
    '/:plotTypeId/versions/:versionId/split-predictions',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          "A trained version's validation or test images with their probabilities; trueClass and predictedClass " +
          'filter to one confusion-matrix cell (none for an imported version)',
        params: VersionParams,
        querystring: SplitPredictionsQuery,
        response: { 200: SplitPredictions, ...problemResponses, 404: Problem },
      },
    },
    async (request) => {
      const { plotTypeId, versionId } = request.params;
      const { split, trueClass, predictedClass } = request.query;
      const { version, items } = await fastify.models.review.splitPredictions(plotTypeId, versionId, split, {
        trueClass,
        predictedClass,
      });
      return splitPredictionsView(version, split, items);
    },
  );

  fastify.get(
    '/:plotTypeId/compare',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'Two versions side by side on the test images they share: both evaluations and the images on which ' +
          'they disagree',
        params: ModelLibraryParams,
        querystring: CompareQuery,
        response: { 200: VersionComparison, ...problemResponses, 404: Problem },
      },
    },
    async (request) =>
      comparisonView(
        await fastify.models.review.compare(request.params.plotTypeId, request.query.a, request.query.b),
      ),
  );

  fastify.post(
    '/:plotTypeId/rollback',
    {
      onRequest: fastify.requireRight('expert'),
      preValidation: bodyOptional,
      schema: {
        summary: 'Make the version that was active before the current one active again (optional reason)',
        params: ModelLibraryParams,
        body: RollbackRequest,
        response: { 200: ModelVersion, ...problemResponses, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      modelVersionView(
        await fastify.models.rollback(request.params.plotTypeId, {
          actor: request.actor!.name,
          reason: request.body.reason?.trim() || 'rolled back through the API',
        }),
      ),
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
      return modelVersionView(await fastify.models.edit(plotTypeId, versionId, request.body));
    },
  );

  fastify.get(
    '/:plotTypeId/activations',
    {
      preHandler: fastify.requireRight('read'),
      schema: {
        summary:
          "The plot type's activation history: which version became active, from which, who, when and why",
        params: ModelLibraryParams,
        response: { 200: ActivationList, ...problemResponses, 404: Problem },
      },
    },
    async (request) => ({
      items: (await fastify.models.history(request.params.plotTypeId)).map(activationView),
    }),
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
      await fastify.catalog.plotTypes.get(request.params.plotTypeId);
      return { items: await fastify.agreement.summary(request.params.plotTypeId) };
    },
  );

  fastify.post(
    '/:plotTypeId/train',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary:
          'Train a new version on the labeled images of this plot type (stratified split, class weights, early ' +
          'stopping); follow it at /api/v1/training-jobs/:id or as `training` events on /api/v1/events',
        params: ModelLibraryParams,
        body: TrainRequest,
        response: { 202: TrainingJob, ...problemResponses, 404: Problem },
      },
    },
    async (request, reply) => {
      const job = await fastify.trainingQueue.create(
        request.params.plotTypeId,
        request.body,
        request.actor!.name,
      );
      return reply.code(202).send(job);
    },
  );
};

export default models;
