import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Catalog } from '../../catalog/catalog.ts';
import type { ApiTokenRow } from '../../catalog/repositories/tokens-repository.ts';
import type { Role } from '../../enums.ts';
import { createApiToken } from '../../plugins/app/auth.ts';
import { withCatalog } from './db.ts';

const time = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString().slice(0, 16) + 'Z');

/** The tokens as a table, one a line, for a terminal. */
function tokenTable(rows: ApiTokenRow[]): string {
  const lines = [
    ['id', 'name', 'role', 'created', 'last used'],
    ...rows.map((row) => [String(row.id), row.name, row.role, time(row.created_at), time(row.last_used_at)]),
  ];
  const widths = lines[0]!.map((_, column) => Math.max(...lines.map((line) => line[column]!.length)));
  return lines
    .map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The one token named `name`, or the one with `id`; anything else is an error that says what to give. */
async function oneToken(catalog: Catalog, name: string | undefined, id: number | undefined) {
  if (id !== undefined) return id;
  if (name === undefined)
    throw new Error('name the token to revoke, or give --id (hydra token list shows them)');
  const named = await catalog.tokens.list({ name });
  if (named.length === 0) throw new Error(`no API token is named "${name}" (hydra token list shows them)`);
  if (named.length > 1) {
    throw new Error(
      `${named.length} tokens are named "${name}" (ids ${named.map((row) => row.id).join(', ')}): ` +
        'revoke one with --id',
    );
  }
  return named[0]!.id;
}

export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description('API tokens');
  token
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
  token
    .command('list')
    .description('List the API tokens: name, role, when created and last used (never the tokens themselves)')
    .action(async () => {
      const rows = await withCatalog((catalog) => catalog.tokens.list());
      console.log(rows.length ? tokenTable(rows) : 'no API tokens yet: hydra token create --role admin');
    });
  token
    .command('revoke')
    .description('Revoke an API token: every running server refuses it from its next request on')
    .argument('[name]', 'the name of the token')
    .addOption(
      new Option('--id <id>', 'the token with this id (when several share a name)').argParser((value) => {
        if (!/^[1-9]\d*$/.test(value))
          throw new InvalidArgumentError('a token id, as hydra token list shows it');
        return Number(value);
      }),
    )
    .action(async (name: string | undefined, options: { id?: number }) => {
      const revoked = await withCatalog(async (catalog) =>
        catalog.tokens.revoke(await oneToken(catalog, name, options.id)),
      );
      console.log(`token "${revoked.name}" (role ${revoked.role}) revoked`);
    });
}
