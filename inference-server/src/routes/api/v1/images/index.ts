import fs from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sizeLimit } from '../../../../config.ts';
import { InvalidInputError } from '../../../../errors.ts';
import { readMultipartForm } from '../../../../http/multipart-form.ts';
import {
  AnomalyMap,
  AnomalyQuery,
  GradCamMap,
  GradCamQuery,
  IdParams,
  ImageFile,
  LabelList,
  ImageUploadFields,
  ImageUploadResult,
  ImageWithPrediction,
  Problem,
  ThumbnailQuery,
  problemResponses,
} from '../../../../schemas/index.ts';
import { imageView, labelView, predictionView } from '../../../../views/api-views.ts';

// Images never change once stored: clients may cache them for good, but no shared cache may (they need a token).
const IMMUTABLE = 'private, max-age=31536000, immutable';

const images: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/',
    {
      onRequest: [fastify.requireRight('ingest'), fastify.uploadRateLimit],
      schema: {
        summary:
          'Upload a plot image (multipart: a PNG/JPEG file plus deployment, plotType, run, time, chunk)',
        consumes: ['multipart/form-data'],
        response: {
          200: ImageUploadResult,
          201: ImageUploadResult,
          ...problemResponses,
          413: Problem,
          415: Problem,
          422: Problem,
        },
      },
    },
    async (request, reply) => {
      const { files, fields } = await readMultipartForm(request, ImageUploadFields, {
        file: sizeLimit(fastify.config, 'HYDRA_MAX_UPLOAD_BYTES'),
        maxFiles: 1,
      });
      if (files.length !== 1)
        throw new InvalidInputError('send exactly one image file; this request had none');
      const { image, duplicate } = await fastify.ingest.accept({
        content: files[0]!.content,
        deployment: fields.deployment,
        plotType: fields.plotType,
        run: fields.run,
        capturedAt: fields.time === undefined ? undefined : Date.parse(fields.time),
        chunk: fields.chunk,
      });
      return reply.code(duplicate ? 200 : 201).send({ image: imageView(image), duplicate });
    },
  );

  fastify.get(
    '/:id',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Image metadata with its latest prediction',
        params: IdParams,
        response: { 200: ImageWithPrediction, ...problemResponses, 404: Problem },
      },
    },
    async (request) => {
      const image = await fastify.catalog.images.get(request.params.id);
      const prediction = await fastify.catalog.predictions.latestForImage(image.id);
      return { image: imageView(image), prediction: prediction ? predictionView(prediction) : null };
    },
  );

  fastify.get(
    '/:id/file',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'The image file as uploaded',
        params: IdParams,
        response: { 200: ImageFile, ...problemResponses, 404: Problem },
      },
    },
    async (request, reply) => {
      const image = await fastify.catalog.images.get(request.params.id);
      return reply
        .header('cache-control', IMMUTABLE)
        .header('etag', `"${image.sha256}"`)
        .type(image.format === 'jpeg' ? 'image/jpeg' : 'image/png')
        .send(fs.createReadStream(fastify.imageStore.resolve(image.path)));
    },
  );

  fastify.get(
    '/:id/thumbnail',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'A WebP thumbnail, made on first request and cached',
        params: IdParams,
        querystring: ThumbnailQuery,
        response: { 200: ImageFile, ...problemResponses, 404: Problem },
      },
    },
    async (request, reply) => {
      const image = await fastify.catalog.images.get(request.params.id);
      const file = await fastify.imageStore.thumbnail(image.path, image.sha256, request.query.width);
      return reply
        .header('cache-control', IMMUTABLE)
        .header('etag', `"${image.sha256}-${request.query.width}"`)
        .type('image/webp')
        .send(fs.createReadStream(file));
    },
  );

  fastify.get(
    '/:id/labels',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: "The image's labels, newest first; superseded ones carry supersededAt",
        params: IdParams,
        response: { 200: LabelList, ...problemResponses, 404: Problem },
      },
    },
    async (request) => {
      await fastify.catalog.images.get(request.params.id);
      return { items: (await fastify.catalog.labels.history(request.params.id)).map(labelView) };
    },
  );

  fastify.get(
    '/:id/gradcam',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'Grad-CAM of the latest verdict (or of `class`): a jet overlay PNG, or the raw map as JSON for a client ' +
          'that draws it with its own opacity',
        params: IdParams,
        querystring: GradCamQuery,
        response: {
          200: Type.Union([GradCamMap, ImageFile]),
          ...problemResponses,
          404: Problem,
          409: Problem,
        },
      },
    },
    async (request, reply) => {
      const explained = await fastify.gradcam.explain(request.params.id, request.query.class);
      if (request.query.format === 'json') {
        return {
          imageId: explained.imageId,
          modelVersionId: explained.modelVersionId,
          class: explained.className,
          ...explained.map,
        };
      }
      const file = await fastify.gradcam.overlay(explained);
      return reply
        .header('cache-control', 'private, max-age=60')
        .type('image/png')
        .send(fs.createReadStream(file));
    },
  );

  fastify.get(
    '/:id/anomaly',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          "The autoencoder's per-pixel reconstruction error of the image (by the version that scored its latest " +
          "verdict, or its plot type's): a jet overlay PNG, or the map with the score and threshold as JSON",
        params: IdParams,
        querystring: AnomalyQuery,
        response: {
          200: Type.Union([AnomalyMap, ImageFile]),
          ...problemResponses,
          404: Problem,
          409: Problem,
        },
      },
    },
    async (request, reply) => {
      const explained = await fastify.anomaly.explain(request.params.id);
      if (request.query.format === 'json') {
        const { map, ...rest } = explained;
        return { ...rest, score: map.score, width: map.width, height: map.height, values: map.values };
      }
      const file = await fastify.anomaly.overlay(explained);
      return reply
        .header('cache-control', 'private, max-age=60')
        .type('image/png')
        .send(fs.createReadStream(file));
    },
  );
};

export default images;
