import { Type, type Static } from 'typebox';
import { IMAGE_STATUSES } from '../enums.ts';
import { DbInteger, IsoTime } from './common.ts';
import { Name } from './names.ts';
import { Prediction } from './predictions.ts';

export const ImageStatus = Type.Enum(IMAGE_STATUSES);
export type ImageStatus = Static<typeof ImageStatus>;

export const Image = Type.Object({
  id: Type.Integer(),
  sha256: Type.String(),
  deployment: Type.String(),
  plotType: Type.String(),
  run: Type.Union([Type.Integer(), Type.Null()]),
  chunk: Type.Union([Type.String(), Type.Null()]),
  capturedAt: IsoTime,
  receivedAt: IsoTime,
  format: Type.String(),
  bytes: Type.Integer(),
  width: Type.Integer(),
  height: Type.Integer(),
  status: ImageStatus,
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why classification failed' }),
  fileUrl: Type.String(),
  thumbnailUrl: Type.String(),
});
export type Image = Static<typeof Image>;

/** The multipart fields that go with the file in POST /api/v1/images. */
export const ImageUploadFields = Type.Object({
  deployment: Name('Deployment name'),
  plotType: Name('Plot type name'),
  run: Type.Optional(DbInteger()),
  time: Type.Optional(IsoTime),
  chunk: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});
export type ImageUploadFields = Static<typeof ImageUploadFields>;

export const ImageUploadResult = Type.Object({
  image: Image,
  duplicate: Type.Boolean({ description: 'The same image was accepted before; nothing new was queued' }),
});
export type ImageUploadResult = Static<typeof ImageUploadResult>;

export const ImageWithPrediction = Type.Object({
  image: Image,
  prediction: Type.Union([Prediction, Type.Null()]),
});
export type ImageWithPrediction = Static<typeof ImageWithPrediction>;

export const ThumbnailQuery = Type.Object({
  width: Type.Integer({ minimum: 16, maximum: 1024, default: 240 }),
});

/** An image or thumbnail file, streamed. */
export const ImageFile = Type.Unsafe<NodeJS.ReadableStream>({ type: 'string', format: 'binary' });
