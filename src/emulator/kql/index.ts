export { translateQuery } from './translate.js';
export type { Catalog, CatalogTable, TranslateOptions, Translation } from './translate.js';
export { warmUp } from './parser.js';
export { supportedOperatorKinds } from './tabular.js';
export { supportedFunctionNames } from './functions/index.js';
