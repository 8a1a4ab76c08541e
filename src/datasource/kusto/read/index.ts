// The Kusto source's read side; kusto-source.ts composes it with the write side.
export { kustoReadMethods, lastKustoReadReport, type KustoReadReport } from './kusto-read-methods.js';
export { clearExportCache } from './export-cache.js';
export { clearExportContainersCache } from './export-storage.js';
