import { parseArgs } from 'node:util';
import { ApiKeysRepository, createDataSource, loadDbConfig, SessionsRepository, UsersRepository } from '@importer/db';
import { AccountError } from './accounts/accounts.errors.js';
import { AccountsService } from './accounts/accounts.service.js';
import { Argon2idPasswordHasher } from './accounts/password-hasher.js';

const USAGE = `Usage: npm run admin -- <command> [options]   (in the api image: node dist/src/admin-cli.js <command> …)

  create-api-key --email <email> [--name <name>]   Makes an API key for the user and prints it (shown this once).
  list-users                                        Prints every user: id, role, email, disabled.

DATABASE_URL says which database (default: the local one).`;

/** The CLI opens no session and creates no account by sign-up, so these settings are never read. */
const NO_SESSIONS = { sessionTtlMs: 60_000, signUp: 'closed' } as const;

/** Operators' commands against the database itself, for automation and for a deployment without a browser at hand. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean' } } });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const dataSource = await createDataSource({ databaseUrl: loadDbConfig().databaseUrl }).initialize();
  try {
    const users = new UsersRepository(dataSource);
    const accounts = new AccountsService({ users, sessions: new SessionsRepository(dataSource), apiKeys: new ApiKeysRepository(dataSource) }, new Argon2idPasswordHasher(), NO_SESSIONS);
    switch (command) {
      case 'create-api-key': {
        if (!values.email) throw new Error('create-api-key needs --email <email>');
        const user = await users.findByEmail(values.email.trim().toLowerCase());
        if (!user) throw new Error(`There is no user ${values.email}.`);
        const { key } = await accounts.createApiKey(user.id, values.name ?? `created by admin-cli ${new Date().toISOString()}`);
        console.log(key);
        return 0;
      }
      case 'list-users':
        for (const user of await accounts.listUsers()) console.log([user.id, user.role, user.email, user.disabledAt ? 'disabled' : 'active'].join('\t'));
        return 0;
      default:
        console.error(`Unknown command ${command}.\n\n${USAGE}`);
        return 2;
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof AccountError || error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
