/** Option names of the Kusto data source: the Spark connector's, spelled as it spells them (reference §1). */

export const COMMON_KEYS = {
  cluster: 'kustoCluster',
  database: 'kustoDatabase',
  appId: 'kustoAadAppId',
  appSecret: 'kustoAadAppSecret',
  authorityId: 'kustoAadAuthorityID',
  /** The connector's real (misspelled) key; `kustoAadAppCertPath` is accepted as an alias. */
  certPath: 'kutoAadAppCertPath',
  certPassword: 'kutoAadAppCertPassword',
  accessToken: 'accessToken',
  tokenProvider: 'tokenProviderCallbackClasspath',
  managedIdentity: 'managedIdentityAuth',
  managedIdentityClientId: 'managedIdentityClientId',
  userPrompt: 'userPrompt',
  keyVaultUri: 'keyVaultUri',
  keyVaultAppId: 'keyVaultAppId',
  keyVaultAppKey: 'keyVaultAppKey',
  ingestionUri: 'kustoIngestionUri',
  timeoutLimit: 'timeoutLimit',
  clientRequestPropertiesJson: 'clientRequestPropertiesJson',
  requestId: 'requestId',
} as const;

export const CERT_PATH_ALIAS = 'kustoAadAppCertPath';
export const CERT_PASSWORD_ALIAS = 'kustoAadAppCertPassword';

export const SINK_KEYS = {
  table: 'kustoTable',
  writeMode: 'writeMode',
  tableCreateOptions: 'tableCreateOptions',
  adjustSchema: 'adjustSchema',
  writeEnableAsync: 'writeEnableAsync',
  pollingOnDriver: 'pollingOnDriver',
  clientBatchingLimit: 'clientBatchingLimit',
  sparkIngestionPropertiesJson: 'sparkIngestionPropertiesJson',
  stagingResourcesAutoCleanupTimeout: 'stagingResourcesAutoCleanupTimeout',
  tempTableName: 'tempTableName',
  streamingIngestSizeInMB: 'streamingIngestSizeInMB',
  ingestionStorageContainer: 'kustoIngestionStorageContainer',
  writeResultLimit: 'writeResultLimit',
  timeZone: 'timeZone',
} as const;

export const SOURCE_KEYS = {
  query: 'kustoQuery',
  readMode: 'readMode',
  transientStorage: 'transientStorage',
  transientCache: 'distributedReadModeTransientCache',
  queryFilterPushDown: 'queryFilterPushDown',
  exportOptionsJson: 'kustoExportOptionsJson',
  storageProtocol: 'storageProtocol',
  customSchema: 'customSchema',
  blobStorageEndpointSuffix: 'blobStorageEndpointSuffix',
} as const;

export const DEBUG_KEYS = {
  maximalExtentsCountForSplitMergePerNode: 'maximalExtentsCountForSplitMergePerNode',
  maxRetriesOnMoveExtents: 'maxRetriesOnMoveExtents',
  disableFlushImmediately: 'disableFlushImmediately',
  ensureNoDuplicatedBlobs: 'ensureNoDuplicatedBlobs',
  addSourceLocationTransform: 'addSourceLocationTransform',
  partitionMode: 'partitionMode',
  numPartitions: 'numPartitions',
  partitionColumn: 'partitionColumn',
  dbgBlobCompressOnExport: 'dbgBlobCompressOnExport',
  keyVaultPemFilePath: 'keyVaultPemFilePath',
  keyVaultPemFileKey: 'keyVaultPemFileKey',
} as const;

/** Keys Spark itself adds to a data source's options; accepted and ignored. */
export const SPARK_GENERIC_KEYS = ['path'] as const;

export const COMMON_KEY_LIST: readonly string[] = [...Object.values(COMMON_KEYS), CERT_PATH_ALIAS, CERT_PASSWORD_ALIAS, ...Object.values(DEBUG_KEYS), ...SPARK_GENERIC_KEYS];
