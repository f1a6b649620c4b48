import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseFormFields, readMultipartForm } from '../../../../http/multipart-form.ts';
import {
  AgreementList,
  ModelLibraryParams,
  ModelUploadFields,
  ModelVersion,
  ModelVersionList,
  Problem,
  VersionParams,
  problemResponses,
} from '../../../../schemas/index.ts';
import { modelVersionView } from '../../../../views/api-views.ts';

/** A plot type's model library: its versions, imports of TF.js layers models, and which version is active. */
const models: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/:plotTypeId',
    {
      preHandler: fastify.requireRight('read'),
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
      preHandler: fastify.requireRight('expert'),
      schema: {
        summary:
          'Import a TF.js layers model (multipart: model.json and its weight files, classes, thresholds)',
        consumes: ['multipart/form-data'],
        params: ModelLibraryParams,
        response: { 201: ModelVersion, ...problemResponses, 404: Problem, 413: Problem, 415: Problem },
      },
    },
    async (request, reply) => {
      const plotType = await fastify.catalog.getPlotType(request.params.plotTypeId);
      const form = await readMultipartForm(request, {
        bytes: fastify.config.HYDRA_MAX_MODEL_BYTES,
        setting: 'HYDRA_MAX_MODEL_BYTES',
      });
      const fields = parseFormFields(ModelUploadFields, form.fields);
      const version = await fastify.models.register({
        plotType,
        files: form.files.map((file) => ({ name: file.filename, content: file.content })),
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

  fastify.post(
    '/:plotTypeId/versions/:versionId/activate',
    {
      preHandler: fastify.requireRight('expert'),
      schema: {
        summary: 'Make a version the active one; the next batch of this plot type uses it',
        params: VersionParams,
        response: { 200: ModelVersion, ...problemResponses, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      const { plotTypeId, versionId } = request.params;
      await fastify.catalog.activateModelVersion(plotTypeId, versionId);
      request.log.info({ plotTypeId, versionId }, 'model version activated');
      return modelVersionView(await fastify.catalog.getModelVersion(versionId));
    },
  );

  fastify.get(
    '/:plotTypeId/agreement',
    {
      preHandler: fastify.requireRight('read'),
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
};

export default models;
