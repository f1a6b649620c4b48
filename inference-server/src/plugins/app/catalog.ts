import fp from 'fastify-plugin';
import { Catalog } from '../../catalog/catalog.ts';
import { databaseUrl, type Config } from '../../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    catalog: Catalog;
  }
}

export default fp(
  async (fastify, opts: { config: Config }) => {
    const catalog = Catalog.open(databaseUrl(opts.config), (error) =>
      fastify.log.warn(
        { err: error },
        'PostgreSQL dropped an idle catalog connection; the next query opens another',
      ),
    );
    const applied = await catalog.migrate();
    fastify.log.info({ engine: catalog.engine, applied }, 'catalog ready');
    fastify.decorate('catalog', catalog);
    fastify.addHook('onClose', () => catalog.close());
  },
  { name: 'catalog' },
);
