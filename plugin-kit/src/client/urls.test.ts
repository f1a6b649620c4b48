import { describe, expect, it } from 'vitest';
import { imageUrl } from './urls';

const apiUrl = '/api/datasources/proxy/uid/x/hydra/api/v1';

describe('imageUrl', () => {
  it("builds an image's file, thumbnail and Grad-CAM URLs through the proxy", () => {
    expect(imageUrl(apiUrl, 3)).toBe(`${apiUrl}/images/3/file`);
    expect(imageUrl(apiUrl, 3, 'thumbnail', { width: 64 })).toBe(`${apiUrl}/images/3/thumbnail?width=64`);
    expect(imageUrl(apiUrl, 3, 'gradcam', { class: 'Low stats', format: 'png' })).toBe(
      `${apiUrl}/images/3/gradcam?class=Low%20stats&format=png`
    );
    expect(imageUrl(apiUrl, 3, 'gradcam', { class: undefined, format: 'png' })).toBe(
      `${apiUrl}/images/3/gradcam?format=png`
    );
    expect(imageUrl(apiUrl, 3, 'anomaly', { format: 'png' })).toBe(`${apiUrl}/images/3/anomaly?format=png`);
  });
});
