export type { ImageSource, ListPage, OpenedFile } from './image-source.js';
export { unlimitedBudget, type RequestBudget } from './request-budget.js';
export { SourceError, type SourceErrorKind } from './source-error.js';
