import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { checkSaveMode, resolveKustoSinkOptions } from '../../../src/datasource/kusto/options/sink-options.js';
import { resolveKustoSourceOptions } from '../../../src/datasource/kusto/options/source-options.js';
import { normalizeClusterUrl } from '../../../src/datasource/kusto/options/cluster-url.js';
import { SparkIngestionProperties } from '../../../src/datasource/kusto/options/spark-ingestion-properties.js';
import { parseClientRequestProperties, clientRequestId } from '../../../src/datasource/kusto/options/client-request-properties.js';
import { InvalidParameterException } from '../../../src/datasource/kusto/errors/parameter-errors.js';

const base = { kustoCluster: 'mycluster.westus', kustoDatabase: 'db', kustoTable: 'T', accessToken: 'tok-SECRET-1' };
const src = { kustoCluster: 'mycluster.westus', kustoDatabase: 'db', kustoQuery: 'T | take 5', accessToken: 'tok-SECRET-1' };

function throwsExactly(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InvalidParameterException, `expected InvalidParameterException, got ${String(e)}`);
    assert.equal(e.message, message);
    return true;
  });
}

describe('sink options: defaults', () => {
  it('applies the documented defaults', () => {
    const o = resolveKustoSinkOptions({ ...base, requestId: 'r1' });
    assert.equal(o.writeMode, 'Transactional');
    assert.equal(o.tableCreateMode, 'FailIfNotExist');
    assert.equal(o.adjustSchema, 'NoAdjustment');
    assert.equal(o.timeoutLimitSeconds, 172800);
    assert.equal(o.timeoutLimitMs, 172800000);
    assert.equal(o.stagingResourcesAutoCleanupTimeoutSeconds, 604800);
    assert.equal(o.clientBatchingLimitBytes, 300 * 1048576);
    assert.equal(o.streamingIngestSizeBytes, 4 * 1048576);
    assert.equal(o.writeResultLimit, 1);
    assert.equal(o.isAsync, false);
    assert.equal(o.pollingOnDriver, false);
    assert.equal(o.timeZone, 'UTC');
    assert.equal(o.requestId, 'r1');
    assert.equal(o.debug.maxRetriesOnMoveExtents, 10);
    assert.equal(o.debug.maximalExtentsCountForSplitMergePerNode, 400);
    assert.deepEqual(o.coordinates, { engineUrl: 'https://mycluster.westus.kusto.windows.net', ingestUrl: 'https://ingest-mycluster.westus.kusto.windows.net', clusterAlias: 'mycluster.westus', database: 'db', local: false });
    assert.match(resolveKustoSinkOptions(base).requestId, /^[0-9a-f-]{36}$/);
  });
  it('reads keys case-insensitively and booleans in any case', () => {
    const o = resolveKustoSinkOptions({ KUSTOCLUSTER: 'c', kustodatabase: 'db', KustoTable: 'T', accesstoken: 'x', WRITEENABLEASYNC: 'TRUE', pollingondriver: 'False', writeMode: 'Queued', clientBatchingLimit: '10', writeResultLimit: 'none' });
    assert.equal(o.isAsync, true);
    assert.equal(o.pollingOnDriver, false);
    assert.equal(o.writeMode, 'Queued');
    assert.equal(o.clientBatchingLimitBytes, 10 * 1048576);
    assert.equal(o.writeResultLimit, 'none');
  });
});

describe('sink options: exact error messages', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['missing cluster', { kustoDatabase: 'db', kustoTable: 'T' }, 'KUSTO_CLUSTER parameter is missing. Must provide a destination cluster name'],
    ['missing database', { kustoCluster: 'c', kustoTable: 'T' }, 'KUSTO_DATABASE parameter is missing. Must provide a destination database name'],
    ['missing table', { kustoCluster: 'c', kustoDatabase: 'db' }, 'KUSTO_TABLE parameter is missing. Must provide a destination table name'],
    ['bad writeMode', { ...base, writeMode: 'Fast' }, "No such WriteMode option: 'Fast'"],
    ['writeMode is case-sensitive', { ...base, writeMode: 'queued' }, "No such WriteMode option: 'queued' (did you mean 'Queued'? values are case-sensitive)"],
    ['bad tableCreateOptions', { ...base, tableCreateOptions: 'Maybe' }, "No such SinkTableCreationMode option: 'Maybe'"],
    ['bad adjustSchema', { ...base, adjustSchema: 'Magic' }, "No such SchemaAdjustmentMode option: 'Magic'"],
    ['tempTableName with Queued', { ...base, tempTableName: 'tmp', writeMode: 'Queued' }, 'tempTableName can only be used with FailIfNotExists table create mode and Transactional write mode.'],
    ['tempTableName with CreateIfNotExist', { ...base, tempTableName: 'tmp', tableCreateOptions: 'CreateIfNotExist' }, 'tempTableName can only be used with FailIfNotExists table create mode and Transactional write mode.'],
    ['dynamic mapping with streaming', { ...base, writeMode: 'KustoStreaming', adjustSchema: 'GenerateDynamicCsvMapping' }, 'GenerateDynamicCsvMapping cannot be used with Spark streaming ingestion'],
    ['tags with streaming', { ...base, writeMode: 'KustoStreaming', sparkIngestionPropertiesJson: '{"ingestByTags":["a"]}' }, 'Ingest by tags / Drop by tags / Additional tags / Creation Time are not supported for streaming ingestion through SparkIngestionProperties'],
    ['creationTime with streaming', { ...base, writeMode: 'KustoStreaming', sparkIngestionPropertiesJson: '{"creationTime":"2024-01-01T00:00:00Z"}' }, 'Ingest by tags / Drop by tags / Additional tags / Creation Time are not supported for streaming ingestion through SparkIngestionProperties'],
    ['csvMapping with streaming', { ...base, writeMode: 'KustoStreaming', sparkIngestionPropertiesJson: '{"csvMapping":"[]"}' }, 'CSVMapping cannot be used with Spark streaming ingestion'],
    ['mapping reference with dynamic mapping', { ...base, adjustSchema: 'GenerateDynamicCsvMapping', sparkIngestionPropertiesJson: '{"csvMappingNameReference":"m"}' }, 'requirement failed: Sink options SparkIngestionProperties.csvMappingNameReference and adjustSchema.GenerateDynamicCsvMapping are not compatible. Use only one.'],
    ['source location with a mapping', { ...base, addSourceLocationTransform: 'true', sparkIngestionPropertiesJson: '{"csvMappingNameReference":"m"}' }, 'addSourceLocationTransform cannot be used with Spark ingestion properties that already contain a CSV mapping.'],
    ['source location with FailIfNotMatch', { ...base, addSourceLocationTransform: 'true', adjustSchema: 'FailIfNotMatch' }, 'addSourceLocationTransform can only be used with GenerateDynamicCsvMapping schema adjustment mode.'],
    ['bad writeResultLimit', { ...base, writeResultLimit: 'ten' }, "KustoOptions.KUSTO_WRITE_RESULT_LIMIT is set to 'ten'. Must be either 'none' or an integer value"],
    ['bad ingestion storage', { ...base, kustoIngestionStorageContainer: '[{"storageUrl":"","containerName":"c"}]' }, 'storageUrl and containerName must be set when supplying ingestion storage'],
    ['two auth methods', { ...base, kustoAadAppId: 'app', kustoAadAppSecret: 's' }, 'More than one authentication methods were provided. Failing.'],
    ['bad boolean', { ...base, writeEnableAsync: 'yes' }, "Option 'writeEnableAsync' must be 'true' or 'false', got 'yes'"],
    ['bad integer', { ...base, clientBatchingLimit: '1.5' }, "Option 'clientBatchingLimit' must be a whole number between 1 and 1000000, got '1.5'"],
    ['unknown option with hint', { ...base, kustoTabel: 'x' }, "Unknown Kusto sink option 'kustoTabel'. Did you mean 'kustoTable'?"],
    ['bad cluster URL', { ...base, kustoCluster: 'https://example.com' }, "KUSTO_CLUSTER parameter accepts either a full url with https scheme or the cluster'salias and tries to construct the full URL from it. Parameter given: https://example.com"],
    ['bad spark ingestion JSON field', { ...base, sparkIngestionPropertiesJson: '{"flushImmediatly":true}' }, 'sparkIngestionPropertiesJson: the value: Unrecognized key: "flushImmediatly"'],
    ['unsupported pem option', { ...base, keyVaultPemFilePath: '/x' }, "Option 'keyVaultPemFilePath' is not supported (the connector never implemented it)"],
    ['bad partitionMode', { ...base, partitionMode: 'range' }, "Option 'partitionMode' supports only hash, got 'range'"],
    ['app id without secret', { kustoCluster: 'c', kustoDatabase: 'db', kustoTable: 'T', kustoAadAppId: 'app' }, "kustoAadAppId is set, but neither a secret (kustoAadAppSecret) nor a PFX certificate (kutoAadAppCertPath) is given for it"],
  ];
  for (const [name, options, message] of cases) it(name, () => throwsExactly(() => resolveKustoSinkOptions(options), message));
  it('save mode must be append', () => {
    checkSaveMode('append');
    checkSaveMode('Append');
    throwsExactly(() => checkSaveMode('overwrite'), "Kusto data source supports only 'Append' mode, 'Overwrite' directive is invalid. Please use df.write.mode(SaveMode.Append)..");
    throwsExactly(() => checkSaveMode('errorifexists'), "Kusto data source supports only 'Append' mode, 'ErrorIfExists' directive is invalid. Please use df.write.mode(SaveMode.Append)..");
  });
  it('allows a mapping reference with KustoStreaming and forces dynamic mapping with source location', () => {
    assert.equal(resolveKustoSinkOptions({ ...base, writeMode: 'KustoStreaming', sparkIngestionPropertiesJson: '{"csvMappingNameReference":"m"}' }).ingestionProperties?.csvMappingNameReference, 'm');
    assert.equal(resolveKustoSinkOptions({ ...base, addSourceLocationTransform: 'true' }).adjustSchema, 'GenerateDynamicCsvMapping');
  });
});

describe('auth resolution and secret hiding', () => {
  it('resolves each method', () => {
    const noAuth = { kustoCluster: 'c', kustoDatabase: 'db', kustoTable: 'T' };
    assert.equal(resolveKustoSinkOptions({ ...noAuth, kustoAadAppId: 'a', kustoAadAppSecret: 's' }).auth.kind, 'appSecret');
    const cert = resolveKustoSinkOptions({ ...noAuth, kustoAadAppId: 'a', kutoAadAppCertPath: '/c.pfx', kutoAadAppCertPassword: 'pw' }).auth;
    assert.equal(cert.kind, 'appCertificate');
    assert.equal(resolveKustoSinkOptions({ ...noAuth, kustoAadAppId: 'a', kustoAadAppCertPath: '/c.pfx' }).auth.kind, 'appCertificate');
    assert.deepEqual(resolveKustoSinkOptions({ ...noAuth, managedIdentityAuth: 'true', managedIdentityClientId: 'mi' }).auth, { kind: 'managedIdentity', clientId: 'mi' });
    assert.equal(resolveKustoSinkOptions({ ...noAuth, tokenProviderCallbackClasspath: './tp.js' }).auth.kind, 'tokenProvider');
    assert.equal(resolveKustoSinkOptions({ ...noAuth, keyVaultUri: 'https://kv', keyVaultAppId: 'a', keyVaultAppKey: 'k' }).auth.kind, 'keyVault');
    assert.equal(resolveKustoSinkOptions({ ...noAuth, userPrompt: '' }).auth.kind, 'interactive');
    assert.equal(resolveKustoSinkOptions(noAuth).auth.kind, 'azureCliOrDefault');
    assert.equal(resolveKustoSinkOptions({ ...noAuth, kustoCluster: 'http://127.0.0.1:8080' }).auth.kind, 'none');
    const app = resolveKustoSinkOptions({ ...noAuth, kustoAadAppId: 'a', kustoAadAppSecret: 'SUPER-SECRET-9', kustoAadAuthorityID: 'tenant' }).auth;
    assert.ok(app.kind === 'appSecret' && app.appSecret.reveal() === 'SUPER-SECRET-9' && app.authority === 'tenant');
  });
  it('never prints secrets: toString, template, JSON, util.inspect', () => {
    const secrets = ['SUPER-SECRET-9', 'PW-SECRET-7', 'tok-SECRET-1', 'sig=SASSECRET'];
    const all = [
      resolveKustoSinkOptions({ ...base, accessToken: undefined as unknown as string, kustoAadAppId: 'a', kustoAadAppSecret: secrets[0]!, kustoIngestionStorageContainer: '[{"storageUrl":"https://a.blob.core.windows.net","containerName":"c","sas":"?sv=1&sig=SASSECRET"}]' }),
      resolveKustoSinkOptions({ ...base, accessToken: undefined as unknown as string, kustoAadAppId: 'a', kutoAadAppCertPath: '/c', kutoAadAppCertPassword: secrets[1]! }),
      resolveKustoSinkOptions(base),
      resolveKustoSourceOptions({ ...src, transientStorage: JSON.stringify({ storageCredentials: [{ storageAccountName: 'acct', blobContainer: 'c', sasKey: '?sig=SASSECRET' }] }) }),
    ];
    for (const o of all) {
      for (const text of [String(o), `${o}`, JSON.stringify(o), inspect(o, { depth: 10, showHidden: true }), inspect(o.auth, { depth: 10 })]) {
        for (const s of secrets) assert.ok(!text.includes(s), `leaked ${s} in ${text.slice(0, 200)}`);
      }
    }
    assert.match(String(all[0]), /KustoSinkOptions\(cluster: https:\/\/mycluster\.westus\.kusto\.windows\.net, database: db, table: T, writeMode: Transactional, auth: AAD application a \(secret\)/);
  });
});

describe('cluster URL normalisation', () => {
  const cases: [string, { engineUrl: string; ingestUrl: string; alias: string }][] = [
    ['mycluster.westus', { engineUrl: 'https://mycluster.westus.kusto.windows.net', ingestUrl: 'https://ingest-mycluster.westus.kusto.windows.net', alias: 'mycluster.westus' }],
    ['MyCluster', { engineUrl: 'https://mycluster.kusto.windows.net', ingestUrl: 'https://ingest-mycluster.kusto.windows.net', alias: 'mycluster' }],
    ['https://ingest-mycluster.westus.kusto.windows.net', { engineUrl: 'https://mycluster.westus.kusto.windows.net', ingestUrl: 'https://ingest-mycluster.westus.kusto.windows.net', alias: 'mycluster.westus' }],
    ['https://mycluster.kusto.chinacloudapi.cn/', { engineUrl: 'https://mycluster.kusto.chinacloudapi.cn', ingestUrl: 'https://ingest-mycluster.kusto.chinacloudapi.cn', alias: 'mycluster' }],
    ['https://ingest-c.kustodev.windows.net', { engineUrl: 'https://c.kusto.windows.net', ingestUrl: 'https://ingest-c.kusto.windows.net', alias: 'c' }],
    ['https://kusto.aria.microsoft.com', { engineUrl: 'https://kusto.aria.microsoft.com', ingestUrl: 'https://ingest-kusto.aria.microsoft.com', alias: 'Aria proxy' }],
    ['https://insights.playfab.com', { engineUrl: 'https://insights.playfab.com', ingestUrl: 'https://ingest-insights.playfab.com', alias: 'PlayFab proxy' }],
    ['http://127.0.0.1:8080', { engineUrl: 'http://127.0.0.1:8080', ingestUrl: 'http://127.0.0.1:8080', alias: '127.0.0.1' }],
    ['http://localhost:8080/', { engineUrl: 'http://localhost:8080', ingestUrl: 'http://localhost:8080', alias: 'localhost' }],
    ['http://kusto-emulator:8080', { engineUrl: 'http://kusto-emulator:8080', ingestUrl: 'http://kusto-emulator:8080', alias: 'kusto-emulator' }],
  ];
  for (const [input, expected] of cases) {
    it(input, () => {
      const r = normalizeClusterUrl(input);
      assert.deepEqual({ engineUrl: r.engineUrl, ingestUrl: r.ingestUrl, alias: r.alias }, expected);
    });
  }
  it('honours kustoIngestionUri and the read-path proxy rule', () => {
    assert.equal(normalizeClusterUrl('c', { ingestionUri: 'https://my-dm.example/' }).ingestUrl, 'https://my-dm.example');
    assert.equal(normalizeClusterUrl('https://ade.loganalytics.io/subscriptions/x', { allowProxy: true }).engineUrl, 'https://ade.loganalytics.io/subscriptions/x');
    assert.throws(() => normalizeClusterUrl('https://ade.loganalytics.io/subscriptions/x'), /cluster'salias/);
  });
});

describe('source options', () => {
  it('defaults and parsing', () => {
    const o = resolveKustoSourceOptions({ ...src, kustoQuery: '  T | take 5  ' });
    assert.equal(o.query, 'T | take 5');
    assert.equal(o.readMode, undefined);
    assert.equal(o.queryFilterPushDown, true);
    assert.equal(o.storageProtocol, 'wasbs');
    assert.deepEqual(o.exportOptions, {});
    const c = resolveKustoSourceOptions({ ...src, distributedReadModeTransientCache: 'true', readMode: 'ForceDistributedMode', storageProtocol: ' ABFSS ', kustoExportOptionsJson: '{"sizeLimit": 100, "compressed": "none"}' });
    assert.equal(c.queryFilterPushDown, false);
    assert.equal(c.readMode, 'ForceDistributedMode');
    assert.equal(c.storageProtocol, 'abfss');
    assert.deepEqual(c.exportOptions, { sizeLimit: '100', compressed: 'none' });
    assert.equal(resolveKustoSourceOptions({ ...src, distributedReadModeTransientCache: 'true', queryFilterPushDown: 'true' }).queryFilterPushDown, true);
  });
  const cases: [string, Record<string, string>, string][] = [
    ['command', { ...src, kustoQuery: ' .show tables' }, 'Spark connector cannot run Kusto commands. Please provide a valid query'],
    ['empty query', { ...src, kustoQuery: '   ' }, 'Query is empty'],
    ['missing query', { kustoCluster: 'c', kustoDatabase: 'db' }, 'Query is empty'],
    ['bad protocol', { ...src, storageProtocol: 'wasb' }, "Invalid value for storageProtocol: 'wasb'. Must be either 'wasbs', 'abfs', or 'abfss'."],
    ['export options not a map', { ...src, kustoExportOptionsJson: '[1,2]' }, 'The configuration for kustoExportOptionsJson has a value [1,2] that cannot be parsed as Map'],
    ['export options not JSON', { ...src, kustoExportOptionsJson: 'a=b' }, 'The configuration for kustoExportOptionsJson has a value a=b that cannot be parsed as Map'],
    ['bad read mode', { ...src, readMode: 'Single' }, "No such ReadMode option: 'Single'"],
  ];
  for (const [name, options, message] of cases) it(name, () => throwsExactly(() => resolveKustoSourceOptions(options), message));
});

describe('SparkIngestionProperties', () => {
  it('round-trips through toString/fromString', () => {
    const p = new SparkIngestionProperties({ flushImmediately: true, dropByTags: ['d'], ingestByTags: ['i'], additionalTags: ['a', 'b'], ingestIfNotExists: ['x'], creationTime: new Date('2024-01-02T03:04:05.678Z'), csvMapping: '[{"Column":"a"}]', csvMappingNameReference: 'm' });
    const back = SparkIngestionProperties.fromString(p.toString());
    assert.deepEqual(back.toJSON(), p.toJSON());
    assert.equal(SparkIngestionProperties.fromString('{}').flushImmediately, false);
    assert.match(p.toString(), /\n  "flushImmediately": true/);
  });
  it('copies instead of mutating (the connector\'s ingestIfNotExists bug)', () => {
    const p = new SparkIngestionProperties({ ingestIfNotExists: ['x'] });
    const staging = p.with({ ingestIfNotExists: [] });
    assert.deepEqual(p.ingestIfNotExists, ['x']);
    assert.deepEqual(staging.ingestIfNotExists, []);
    assert.ok(Object.isFrozen(p));
  });
  it('rejects bad JSON and bad instants', () => {
    assert.throws(() => SparkIngestionProperties.fromString('{'), /not valid JSON/);
    assert.throws(() => SparkIngestionProperties.fromString('{"creationTime":"yesterday"}'), /not an ISO-8601 instant/);
    assert.throws(() => SparkIngestionProperties.fromString('{"ingestByTags":"a"}'), /'ingestByTags'/);
  });
});

describe('clientRequestPropertiesJson', () => {
  it('keeps options and parameters; ids are prefixed by requestId', () => {
    const crp = parseClientRequestProperties('{"Options":{"servertimeout":"00:10:00","norequesttimeout":true},"Parameters":{"p":"v"},"ClientRequestId":"ignored"}');
    assert.deepEqual(crp.options, { servertimeout: '00:10:00', norequesttimeout: true });
    assert.deepEqual(crp.parameters, { p: 'v' });
    assert.equal(clientRequestId('r1', 'moveExtents', 'u', 2), 'r1;moveExtents;u;2');
    assert.equal(resolveKustoSinkOptions({ ...base, requestId: 'mine', clientRequestPropertiesJson: '{"clientRequestId":"theirs"}' }).requestId, 'mine');
    assert.throws(() => parseClientRequestProperties('{"Optons":{}}'), /unknown property 'optons'/);
    assert.throws(() => parseClientRequestProperties('{"Options":5}'), /must be a JSON object/);
  });
});
