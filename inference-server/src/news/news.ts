import type { Catalog } from '../catalog/catalog.ts';
import type { NewsRow } from '../catalog/repositories/news-repository.ts';
import { InvalidInputError, UnknownReferenceError } from '../errors.ts';

export interface NewsPost {
  text: string;
  deploymentId?: number;
  expiresAt?: number;
  author: string;
}

/** Posts a news item: for a deployment that exists (or all), and expiring in the future if at all. */
export async function postNews(catalog: Catalog, post: NewsPost, now = Date.now()): Promise<NewsRow> {
  if (post.expiresAt !== undefined && post.expiresAt <= now) {
    throw new InvalidInputError(
      `expiresAt (${new Date(post.expiresAt).toISOString()}) is not in the future: leave it out for no expiry`,
    );
  }
  if (
    post.deploymentId !== undefined &&
    !(await catalog.deployments.list()).some((d) => d.id === post.deploymentId)
  ) {
    throw new UnknownReferenceError(`deployment ${post.deploymentId} does not exist`);
  }
  return catalog.news.create({
    text: post.text.trim(),
    deployment_id: post.deploymentId ?? null,
    author: post.author,
    created_at: now,
    expires_at: post.expiresAt ?? null,
  });
}

/**
 * The items not expired, newest first, and the current one: the newest for the deployment or for all of them
 * (without a deployment, the newest for all). A deployment is an id or a name.
 */
export async function currentNews(
  catalog: Catalog,
  deployment: number | string | undefined,
  now = Date.now(),
): Promise<{ current: NewsRow | null; items: NewsRow[] }> {
  const deploymentId =
    typeof deployment === 'string' ? (await catalog.deployments.require(deployment)).id : deployment;
  const items = await catalog.news.current(deploymentId, now);
  const current = items.find((item) => deploymentId !== undefined || item.deployment_id === null) ?? null;
  return { current, items };
}
