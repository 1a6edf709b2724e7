import { loadDbConfig } from './config.js';
import { createDataSource } from './data-source.js';

/** `migrate up` applies pending migrations; `migrate down` reverts the newest one. */
async function main(direction: string | undefined): Promise<void> {
  if (direction !== 'up' && direction !== 'down') {
    throw new Error('usage: migrate up|down');
  }
  const dataSource = await createDataSource(loadDbConfig()).initialize();
  try {
    if (direction === 'up') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'schema is up to date');
    } else {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the newest migration');
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
