import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Catalog } from '../../catalog/catalog.ts';
import type { Right, Role } from '../../enums.ts';
import type { Config } from '../../config.ts';
import { ForbiddenError, UnauthorizedError } from '../../errors.ts';
import { TokenUse } from '../../tokens/token-use.ts';
import { actorOf, type Actor } from './actor.ts';

export interface Principal {
  name: string;
  role: Role;
  /** A Grafana proxy token: the Grafana user it names acts (see `request.actor`). */
  grafanaProxy: boolean;
}

export type { Right };

const RIGHTS: Record<Role, Right[]> = {
  viewer: ['read'],
  labeler: ['read', 'label'],
  expert: ['read', 'label', 'expert'],
  admin: ['read', 'label', 'expert', 'admin', 'ingest'],
  ingest: ['ingest'],
};

declare module 'fastify' {
  interface FastifyInstance {
    authEnabled: boolean;
    /** Who sent the request, from its Bearer token; throws Unauthorized when there is none or it is unknown. */
    authenticate(request: FastifyRequest): Promise<Principal>;
    /**
     * An onRequest hook that lets through only a valid token whose role has the right: it runs before the body
     * is read or validated, so an anonymous client gets a 401, never a schema error, and sends no body for nothing.
     */
    requireRight(right: Right): onRequestAsyncHookHandler;
  }
  interface FastifyRequest {
    /** The token. */
    principal: Principal | null;
    /** Who acts, and so what labels, batches, acknowledgements and news record: see `actorOf`. */
    readonly actor: Actor | null;
  }
}

/** What the role may do: what `GET /api/v1/me` tells a UI, so that it hides the rest. */
export function rightsOf(role: Role): Right[] {
  return [...RIGHTS[role]];
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token and stores only its hash; the token itself is shown once. */
export async function createApiToken(
  catalog: Catalog,
  name: string,
  role: Role,
  options: { grafanaProxy?: boolean } = {},
): Promise<string> {
  const token = `hydra_${randomBytes(24).toString('base64url')}`;
  await catalog.tokens.create(name, role, hashToken(token), options);
  return token;
}

const LOCAL_PRINCIPAL: Principal = { name: 'local (auth off)', role: 'admin', grafanaProxy: false };

export default fp(
  async (fastify, opts: { config: Config }) => {
    const authOn = opts.config.HYDRA_AUTH;
    fastify.decorateRequest('principal', null);
    const tokenUse = new TokenUse(fastify.catalog.tokens);
    fastify.decorateRequest('actor', {
      getter(this: FastifyRequest) {
        return this.principal && actorOf(this.principal, this.headers);
      },
    });

    async function authenticate(request: FastifyRequest): Promise<Principal> {
      if (!authOn) return LOCAL_PRINCIPAL;
      const header = request.headers.authorization;
      const match = header?.match(/^Bearer\s+(\S+)$/i);
      if (!match) {
        throw new UnauthorizedError(
          'send an API token as "Authorization: Bearer <token>" (hydra token create)',
        );
      }
      const row = await fastify.catalog.tokens.findByHash(hashToken(match[1]!));
      if (!row)
        throw new UnauthorizedError('the API token is not known: it may have been mistyped or revoked');
      tokenUse.used(row.id);
      return { name: row.name, role: row.role, grafanaProxy: row.grafana_proxy };
    }

    fastify.decorate('authEnabled', authOn);
    fastify.decorate('authenticate', authenticate);
    fastify.decorate('requireRight', (right: Right): onRequestAsyncHookHandler => {
      return async (request) => {
        const principal = await authenticate(request);
        if (!RIGHTS[principal.role].includes(right)) {
          throw new ForbiddenError(
            `the token "${principal.name}" has role ${principal.role}, which may not ${right}`,
          );
        }
        request.principal = principal;
      };
    });

    if (!authOn) {
      fastify.log.warn('authentication is off (HYDRA_AUTH=false): anyone who reaches this port is admin');
    } else if ((await fastify.catalog.tokens.count()) === 0) {
      fastify.log.warn(
        'no API tokens exist yet: create one with `npx hydra token create --role admin --name me` ' +
          '(or start with HYDRA_AUTH=false for local use)',
      );
    }
  },
  { name: 'auth', dependencies: ['catalog'] },
);
