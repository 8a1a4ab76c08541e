import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Field, Int64, Schema, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { Log } from '../../../../src/datasource/datasource.js';
import type { RunningEmulator } from '../../../../src/emulator/start-emulator.js';
import { getDataSource } from '../../../../src/datasource/registry.js';
import { STREAMING_WARN_BYTES_CONF, WARN_STREAMING_BYTES } from '../../../../src/datasource/kusto/write/streaming-task.js';
import { driverContext, taskContext } from '../../support.js';
import { KustoProbe, sinkOptions, startSinkTestEmulator } from './support.js';

let emu: RunningEmulator;
let probe: KustoProbe;
before(async () => {
  emu = await startSinkTestEmulator();
  probe = new KustoProbe(emu.clusterUrl);
});
after(async () => {
  probe?.close();
  await emu?.stop();
});

function capture(): { log: Log; warnings: string[] } {
  const warnings: string[] = [];
  const keep = (o: object | string, m?: string) => void warnings.push(`${m ?? ''} ${JSON.stringify(o)}`);
  return { log: { debug() {}, info() {}, warn: keep, error() {} }, warnings };
}

const schema = new Schema([new Field('id', new Int64(), true), new Field('s', new Utf8(), true)]);
const table = new Table({ id: vectorFromArray([1n, 2n, 3n], new Int64()), s: vectorFromArray(['a', 'b', 'c'], new Utf8()) });

async function streamOnce(name: string, conf: Map<string, string>, warnings: ReturnType<typeof capture>) {
  const ds = await getDataSource('kusto');
  const job = await ds.prepareWrite!(schema, sinkOptions(emu.clusterUrl, name, { writeMode: 'KustoStreaming', tableCreateOptions: 'CreateIfNotExist' }), undefined, 'append', driverContext({ conf, log: warnings.log }));
  async function* batches() {
    yield* table.batches;
  }
  const msg = await ds.writeTask!(job, schema, batches(), taskContext(0, { conf, log: warnings.log }));
  return msg;
}

describe('KustoStreaming warnings', () => {
  it(`above ${STREAMING_WARN_BYTES_CONF} (default 100 MiB) per task, the connector's warning recommends Queued`, async () => {
    assert.equal(WARN_STREAMING_BYTES, 100 * 1024 * 1024);
    const quiet = capture();
    const m1 = await streamOnce('WarnQuiet', new Map([['kjob.task.maxAttempts', '1']]), quiet);
    assert.equal(m1.rows, 3);
    assert.deepEqual(quiet.warnings.filter((w) => /Queued/.test(w)), [], 'a few bytes: no warning at the default threshold');
    const loud = capture();
    const m2 = await streamOnce('WarnLoud', new Map([['kjob.task.maxAttempts', '1'], [STREAMING_WARN_BYTES_CONF, '5']]), loud);
    assert.ok(m2.bytes > 5);
    assert.ok(loud.warnings.some((w) => w.startsWith(`Total of ${m2.bytes} bytes were ingested in the batch. Please consider 'Queued' writeMode for ingestion.`)), loud.warnings.join('\n'));
  });

  it('warns that KustoStreaming is not exactly-once when a task may be retried (maxAttempts > 1)', async () => {
    const retried = capture();
    await streamOnce('WarnRetry', new Map([['spark.task.maxFailures', '3']]), retried);
    assert.ok(retried.warnings.some((w) => /KustoStreaming is not exactly-once/.test(w) && /"maxAttempts":3/.test(w)), retried.warnings.join('\n'));
    const single = capture();
    await streamOnce('WarnNoRetry', new Map([['kjob.task.maxAttempts', '1']]), single);
    assert.deepEqual(single.warnings.filter((w) => /exactly-once/.test(w)), []);
  });
});
