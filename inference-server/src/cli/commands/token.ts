import { Option, type Command } from 'commander';
import type { Role } from '../../enums.ts';
import { createApiToken } from '../../plugins/app/auth.ts';
import { withCatalog } from './db.ts';

export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description('API tokens')
    .command('create')
    .description('Create an API token and print it (only its hash is stored)')
    .addOption(
      new Option('--role <role>', 'what the token may do')
        .choices(['viewer', 'labeler', 'expert', 'admin', 'ingest'])
        .makeOptionMandatory(),
    )
    .option('--name <name>', 'who or what holds it', 'cli')
    .option(
      '--grafana-proxy',
      "for Grafana's proxy routes only: the Grafana user it names in X-Grafana-User acts (needs Grafana's send_user_header)",
    )
    .action(async (options: { role: Role; name: string; grafanaProxy?: boolean }) => {
      const grafanaProxy = options.grafanaProxy === true;
      const token = await withCatalog((catalog) =>
        createApiToken(catalog, options.name, options.role, { grafanaProxy }),
      );
      console.log(token);
      console.error(
        `token "${options.name}" with role ${options.role} created` +
          (grafanaProxy ? ', acting for the Grafana user each request names' : '') +
          '; it is shown only this once',
      );
    });
}
