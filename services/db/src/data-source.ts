import { DataSource } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity.js';
import { ImageEntity } from './entities/image.entity.js';
import { ImportFileEntity } from './entities/import-file.entity.js';
import { ImportFolderEntity } from './entities/import-folder.entity.js';
import { ImportJobEntity } from './entities/import-job.entity.js';
import { UrlListEntryEntity } from './entities/url-list-entry.entity.js';
import { SessionEntity } from './entities/session.entity.js';
import { UserIdentityEntity } from './entities/user-identity.entity.js';
import { UserEntity } from './entities/user.entity.js';
import { migrations } from './migrations/index.js';

export const entities = [ImageEntity, ImportJobEntity, ImportFileEntity, ImportFolderEntity, UrlListEntryEntity, UserEntity, SessionEntity, ApiKeyEntity, UserIdentityEntity];

export interface DataSourceOptions {
  databaseUrl: string;
  /** Connections in this process's pool. */
  poolSize?: number;
}

/** Builds (without connecting) the data source every service uses. The schema changes only through migrations. */
export function createDataSource({ databaseUrl, poolSize = 10 }: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    migrationsRun: false,
    extra: { max: poolSize },
  });
}
