import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as cmd from '../../src/doctor/doctor-commands.js';
import { dropTableIfExistsCommand } from '../../src/datasource/kusto/kql/table-commands.js';
import { formatAge, parseKustoTimespan, parseSince } from '../../src/doctor/durations.js';
import { resolveDoctorOptions } from '../../src/cli/commands/doctor-options.js';

describe('doctor command texts', () => {
  it('pins every command', () => {
    assert.equal(cmd.commandsForRequestIdCommand('job-1'), ".show commands | where ClientActivityId has 'job-1'");
    assert.equal(cmd.queriesForRequestIdCommand("j'1"), ".show queries | where ClientActivityId has 'j\\'1'");
    assert.equal(cmd.operationsSinceCommand(new Date('2026-01-02T03:04:05Z')), '.show operations | where StartedOn >= datetime(2026-01-02T03:04:05Z)');
    assert.equal(cmd.leftoverStagingTablesCommand(), ".show tables details | where TableName startswith 'sparkTempTable_'");
    assert.equal(cmd.ingestionFailuresCommand('T', new Date('2026-01-02T00:00:00Z')), ".show ingestion failures | where Table == 'T' and FailedOn >= datetime(2026-01-02T00:00:00Z)");
    assert.equal(cmd.tableBatchingPolicyCommand('T'), ".show table ['T'] policy ingestionbatching");
    assert.equal(cmd.databaseStreamingPolicyCommand('my db'), ".show database ['my db'] policy streamingingestion");
  });
  it('a request id or a name holding quotes cannot inject KQL', () => {
    // Unescaped, this id would read `has 'x' or 1==1 or ''` and list every command.
    assert.equal(cmd.commandsForRequestIdCommand("x' or 1==1 or '"), ".show commands | where ClientActivityId has 'x\\' or 1==1 or \\''");
    assert.equal(cmd.commandsForRequestIdCommand('a\\b\n| take 1'), ".show commands | where ClientActivityId has 'a\\\\b\\n| take 1'");
    assert.equal(cmd.tableExistsCommand("T' or true or '"), ".show tables | where TableName == 'T\\' or true or \\''");
    assert.equal(cmd.tableStreamingPolicyCommand("a'] | b"), '.show table ["a\'] | b"] policy streamingingestion');
    assert.equal(dropTableIfExistsCommand("sparkTempTable_x']; .drop table ['Prod"), ".drop table [\"sparkTempTable_x']; .drop table ['Prod\"] ifexists");
  });
});

describe('doctor durations', () => {
  it('--since takes s/m/h/d (combined) and names the flag in errors', () => {
    assert.equal(parseSince('6h'), 21_600_000);
    assert.equal(parseSince('1d12h'), 129_600_000);
    assert.throws(() => parseSince('6 hours'), /--since '6 hours' is not a duration/);
    assert.throws(() => parseSince('0m'), /longer than 0/);
  });
  it('reads Kusto timespans and formats ages', () => {
    assert.equal(parseKustoTimespan('00:05:00'), 300_000);
    assert.equal(parseKustoTimespan('1.00:00:00'), 86_400_000);
    assert.equal(parseKustoTimespan('00:00:30.5'), 30_500);
    assert.equal(parseKustoTimespan('5 minutes'), undefined);
    assert.equal(parseKustoTimespan(null), undefined);
    assert.equal(formatAge(93_784_000), '1d 2h');
    assert.equal(formatAge(40_000), '40s');
  });
});

describe('doctor options', () => {
  const env = {};
  it('requires cluster and database; validates before any request', () => {
    assert.throws(() => resolveDoctorOptions({ database: 'db' }, env), /--cluster is required/);
    assert.throws(() => resolveDoctorOptions({ cluster: 'http://127.0.0.1:1' }, env), /--database is required/);
    assert.throws(() => resolveDoctorOptions({ cluster: 'http://127.0.0.1:1', database: 'db', yes: true }, env), /--yes only applies to --cleanup/);
    assert.throws(() => resolveDoctorOptions({ cluster: 'http://127.0.0.1:1', database: 'db', timeoutLimit: '0' }, env), /--timeout-limit/);
    assert.throws(() => resolveDoctorOptions({ cluster: 'http://127.0.0.1:1', database: 'db', requestId: ' ' }, env), /--request-id must not be empty/);
    assert.throws(() => resolveDoctorOptions({ cluster: 'https://nope.example.com', database: 'db' }, env), /KUSTO_CLUSTER parameter/);
  });
  it('resolves auth like the Kusto options: none for the emulator, env token, app secret from the env (never printed)', () => {
    const base = { cluster: 'http://127.0.0.1:1', database: 'db' };
    assert.equal(resolveDoctorOptions(base, env).auth.kind, 'none');
    assert.equal(resolveDoctorOptions({ cluster: 'mycluster.westeurope', database: 'db' }, env).auth.kind, 'azureCliOrDefault');
    assert.equal(resolveDoctorOptions(base, { KUSTO_ACCESS_TOKEN: 'tok-secret' }).auth.kind, 'accessToken');
    const app = resolveDoctorOptions({ ...base, appId: 'app1', authority: 'tenant1' }, { KUSTO_AAD_APP_SECRET: 's3cr3t', KUSTO_ACCESS_TOKEN: 'tok' });
    assert.equal(app.auth.kind, 'appSecret');
    assert.ok(!JSON.stringify(app).includes('s3cr3t'));
    assert.ok(!String(JSON.stringify(resolveDoctorOptions(base, { KUSTO_ACCESS_TOKEN: 'tok-secret' }))).includes('tok-secret'));
    assert.throws(() => resolveDoctorOptions({ ...base, appId: 'app1' }, {}), /neither a secret/);
    assert.equal(resolveDoctorOptions({ database: 'db' }, { KUSTO_CLUSTER_URL: 'http://127.0.0.1:9' }).engineUrl, 'http://127.0.0.1:9');
  });
});
