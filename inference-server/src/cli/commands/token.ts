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
    .action(async (options: { role: Role; name: string }) => {
      const token = await withCatalog((catalog) => createApiToken(catalog, options.name, options.role));
      console.log(token);
      console.error(`token "${options.name}" with role ${options.role} created; it is shown only this once`);
    });
}
