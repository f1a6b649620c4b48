import os from 'node:os';
import fp from 'fastify-plugin';
import { databaseUrl, type Config } from '../../config.ts';
import { PostgresReplicaBus } from '../../replicas/postgres-bus.ts';
import { SingleReplica, type ReplicaBus } from '../../replicas/replica-bus.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** This replica's name: it owns the images and training jobs it claims. */
    instanceId: string;
    /** How this replica tells the others on its catalog what changed, and hears them. */
    replicas: ReplicaBus;
  }
}

/** The replicas on one catalog: on PostgreSQL they tell each other through LISTEN/NOTIFY; SQLite has one. */
export default fp(
  async (fastify, opts: { config: Config }) => {
    const instanceId = opts.config.HYDRA_INSTANCE_ID || os.hostname();
    const { catalog } = fastify;
    const bus: ReplicaBus =
      catalog.engine === 'postgres'
        ? await PostgresReplicaBus.start({
            url: databaseUrl(opts.config),
            instanceId,
            notify: (channel, payload) => catalog.notify(channel, payload),
            logger: fastify.log.child({ component: 'replicas' }),
          })
        : new SingleReplica();
    fastify.decorate('instanceId', instanceId);
    fastify.decorate('replicas', bus);
    // Closes before the catalog (onClose runs in reverse order), after the pipeline's last announcements.
    fastify.addHook('onClose', () => bus.close());
  },
  { name: 'replicas', dependencies: ['catalog'] },
);
