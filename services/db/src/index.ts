export { loadDbConfig, type DbConfig } from './config.js';
export { createDataSource, entities, type DataSourceOptions } from './data-source.js';
export { ImageEntity, type ImageRow } from './entities/image.entity.js';
export { ImportFileEntity, type ImportFileRow } from './entities/import-file.entity.js';
export { ImportFolderEntity, type ImportFolderRow } from './entities/import-folder.entity.js';
export { ImportJobEntity, type ImportJobRow } from './entities/import-job.entity.js';
export { migrations } from './migrations/index.js';
export { dropDatabase, ensureDatabase } from './ensure-database.js';
export { ImportLedger, type ListedPage, type NewJob, type RecordedPage } from './repositories/import-ledger.repository.js';
