// Single-mode reads through the runner against the emulator: every Kusto type read back value by
// value (long above 2^53, 100-ns datetimes, timespans, decimals with 18 digits, guid, dynamic),
// the request conventions, and the limits error of ForceSingleMode.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Vector } from 'apache-arrow';
import { Session } from '../../../../src/driver/session.js';
import { lastKustoReadReport } from '../../../../src/datasource/kusto/read/index.js';
import { startKustoTestCluster, type KustoTestCluster } from './support.js';

/** The int64 storage of a column (timestamps and durations iterate as lossy numbers). */
function raw64(v: Vector): (bigint | null)[] {
  const out: (bigint | null)[] = [];
  for (const d of v.data) {
    const v = d.values as ArrayBufferView;
    const values = new BigInt64Array(v.buffer, v.byteOffset, d.length);
    for (let i = 0; i < d.length; i++) out.push(d.getValid(i) ? values[i]! : null);
  }
  return out;
}

/** The task failure's text: tasks report their error as `<name>: <message>`. */
function failureText(e: unknown): string {
  assert.ok(e instanceof Error, 'expected the read to fail');
  return e.message;
}

describe('Kusto source, Single mode', () => {
  let k: KustoTestCluster;
  let spark: Session;
  const opts = () => ({ kustoCluster: k.emulator.clusterUrl, kustoDatabase: k.db });

  before(async () => {
    k = await startKustoTestCluster();
    spark = await Session.builder().master('local[2]').config('kjob.progress', 'off').config('kjob.task.maxAttempts', 1).getOrCreate();
    await k.mgmt(`.set-or-append Types <| datatable(s:string,l:long,i:int,r:real,b:bool,d:datetime,t:timespan,m:decimal,g:guid,y:dynamic)[
      "a'b\\\\c", 9007199254740993, 7, 1.5, true, datetime(2024-01-02T03:04:05.1234567Z), time(1.02:03:04.5000001), decimal(12.340000000000000001), guid(0b1f4b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b), dynamic({"a":[1,2],"big":9007199254740993}),
      "", -9223372036854775807, -2147483648, real(nan), false, datetime(1970-01-01), time(-00:00:01.5), decimal(-0.5), guid(00000000-0000-0000-0000-000000000000), dynamic("x"),
      "ü\\n", long(null), int(null), real(null), bool(null), datetime(null), timespan(null), decimal(null), guid(null), dynamic(null)]`);
  });
  after(async () => {
    await spark?.stop();
    await k?.stop();
  });

  it('reads every Kusto type exactly', async () => {
    const df = spark.read.format('kusto').options({ ...opts(), kustoQuery: 'Types', readMode: 'ForceSingleMode' }).load();
    const schema = await df.schema();
    assert.deepEqual(schema.fields.map((f) => `${f.name}:${String(f.type)}`), [
      's:Utf8', 'l:Int64', 'i:Int32', 'r:Float64', 'b:Bool', 'd:Timestamp<NANOSECOND, UTC>', 't:Duration<NANOSECOND>', 'm:Decimal[38e+18]', 'g:Utf8', 'y:Utf8',
    ]);
    const t = await df.toArrow();
    assert.equal(t.numRows, 3);
    const col = (n: string) => [...t.getChild(n)!].map((v) => (v === null ? null : typeof v === 'object' && v !== null && 'toString' in v && !(typeof v === 'bigint') ? String(v) : v));
    assert.deepEqual(col('s'), ["a'b\\c", '', 'ü\n']);
    assert.deepEqual([...t.getChild('l')!], [9007199254740993n, -9223372036854775807n, null]);
    assert.deepEqual([...t.getChild('i')!], [7, -2147483648, null]);
    const r = [...t.getChild('r')!];
    assert.equal(r[0], 1.5);
    assert.ok(Number.isNaN(r[1]));
    assert.equal(r[2], null);
    assert.deepEqual([...t.getChild('b')!], [true, false, null]);
    assert.deepEqual(raw64(t.getChild('d')!), [1704164645123456700n, 0n, null]);
    assert.deepEqual(raw64(t.getChild('t')!), [(((86400n + 2n * 3600n + 3n * 60n + 4n) * 10_000_000n) + 5_000_001n) * 100n, -1_500_000_000n, null]);
    const m = t.getChild('m')!;
    assert.equal(m.nullCount, 1);
    const words = m.data[0]!.values as Uint32Array;
    const unscaled = (row: number) => BigInt.asIntN(128, [3, 2, 1, 0].reduce((acc, w) => (acc << 32n) | BigInt(words[row * 4 + w]!), 0n));
    assert.equal(unscaled(0), 12_340000000000000001n);
    assert.equal(unscaled(1), -500000000000000000n);
    assert.deepEqual(col('g'), ['0b1f4b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b', '00000000-0000-0000-0000-000000000000', null]);
    assert.deepEqual(col('y'), ['{"a":[1,2],"big":9007199254740993}', '"x"', null]);
  });

  it('honours clientRequestPropertiesJson and requestId on the wire (.show queries)', async () => {
    const rows = await spark.read.format('kusto').options({ ...opts(), kustoQuery: 'Types | project l', readMode: 'ForceSingleMode', requestId: 'req-k6-crp', clientRequestPropertiesJson: '{"Options":{"truncationmaxrecords":1}}' }).load().collect().catch((e: Error) => e);
    // truncationmaxrecords=1 makes a 3-row result exceed the limit: the option reached the service.
    assert.match(failureText(rows), /KustoRequestError: Kusto query \(KJOB\.read\.single\) failed \(HTTP \d+, LimitsExceeded\): .*record count limit 1\b/);
    const queries = await k.mgmt(".show queries | where ClientActivityId startswith 'req-k6-crp;KJOB.read.single;'");
    assert.ok(queries.length >= 1, 'the request id reached the service');
  });

  it('ForceSingleMode beyond the result limit fails with the limits error, naming the way out', async () => {
    await k.mgmt('.set-or-append Many <| range x from 1 to 500001 step 1');
    const err = await spark.read.format('kusto').options({ ...opts(), kustoQuery: 'Many', readMode: 'ForceSingleMode' }).load().count().catch((e: Error) => e);
    assert.match(failureText(err), /KustoRequestError: .*record count limit 500000/);
  });

  it('refuses commands and empty queries with the reference messages', async () => {
    await assert.rejects(spark.read.format('kusto').options({ ...opts(), kustoQuery: '.show tables' }).load().count(), { name: 'InvalidParameterException', message: 'Spark connector cannot run Kusto commands. Please provide a valid query' });
    await assert.rejects(spark.read.format('kusto').options({ ...opts(), kustoQuery: '  ' }).load().count(), { name: 'InvalidParameterException', message: 'Query is empty' });
  });

  it('automatic mode: small results are read in Single mode', async () => {
    const n = await spark.read.format('kusto').options({ ...opts(), kustoQuery: 'Types' }).load().count();
    assert.equal(n, 3);
    assert.equal(lastKustoReadReport()?.mode, 'single');
  });
});
