/** Query parameters of an API URL; undefined and empty ones are left out. */
export type QueryParams = Record<string, string | number | boolean | undefined>;

/** A URL with its query string, parameters encoded. */
export function withQuery(url: string, params: QueryParams = {}): string {
  const query = Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return query ? `${url}?${query}` : url;
}

/**
 * An image's routes: the stored file, a WebP thumbnail (`width`), the Grad-CAM map (`class`, `format`), the
 * autoencoder's error map (`format`).
 */
export type ImageRoute = 'file' | 'thumbnail' | 'gradcam' | 'anomaly';

export const imagePath = (imageId: number, route: ImageRoute) => `/images/${imageId}/${route}`;

/**
 * The one way the plugins build an image URL for `<img src>` and for frames: an image's file (a reference image is
 * one too), thumbnail or Grad-CAM overlay, through the API URL of the data source's proxy.
 */
export function imageUrl(apiUrl: string, imageId: number, route: ImageRoute = 'file', params?: QueryParams): string {
  return withQuery(`${apiUrl}${imagePath(imageId, route)}`, params);
}
