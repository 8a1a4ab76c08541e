import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Field, Int32, Schema, Utf8, type RecordBatch } from 'apache-arrow';
import { csvSource } from '../../../src/datasource/csv/index.js';
import type { CsvSplit } from '../../../src/datasource/csv/index.js';
import { driverContext, taskContext, collect } from '../support.js';

/** Reads paths through planRead → readSplit; returns rows as arrays of JS values and the plan. */
async function readCsv(paths: string[], options: Record<string, string> = {}, schema?: Schema) {
  const plan = await csvSource.planRead!(options, paths, schema, { filters: [] }, driverContext());
  const batches: RecordBatch[] = [];
  for (const [i, s] of plan.splits.entries()) batches.push(...(await collect(csvSource.readSplit!(s, options, plan.schema, taskContext(i)))));
  const rows: unknown[][] = [];
  for (const batch of batches) for (let r = 0; r < batch.numRows; r++) rows.push(batch.schema.fields.map((_, c) => batch.getChildAt(c)!.get(r)));
  return { plan, rows, batches };
}

describe('csv source: reading', () => {
  let dir: string;
  const file = (name: string, text: string | Buffer) => {
    const p = path.join(dir, name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'kjob-csv-read-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads all columns as strings by default (no header: _c0, _c1 …), nulls from unquoted empties', async () => {
    const p = file('plain.csv', 'a,1\n"b,2",\n,""\n');
    const { plan, rows } = await readCsv([p]);
    assert.deepEqual(plan.schema.fields.map((f) => `${f.name}:${String(f.type)}`), ['_c0:Utf8', '_c1:Utf8']);
    assert.deepEqual(rows, [['a', '1'], ['b,2', null], [null, '']]);
  });

  it('takes names from the header and infers types over a sample', async () => {
    const p = file('typed.csv', 'id,amount,ok,day,at,name,big\r\n1,1.5,true,2024-01-02,2024-01-02T03:04:05Z,x,1\r\n2,,FALSE,2024-01-03,2024-01-03,"y ""q""",3000000000\r\n');
    const { plan, rows } = await readCsv([p], { header: 'true', inferSchema: 'true' });
    assert.deepEqual(plan.schema.fields.map((f) => `${f.name}:${String(f.type)}`), [
      'id:Int32', 'amount:Float64', 'ok:Bool', 'day:Date32<DAY>', 'at:Timestamp<MICROSECOND, UTC>', 'name:Utf8', 'big:Int64',
    ]);
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[1]!.slice(0, 3), [2, null, false]);
    assert.equal(rows[1]![5], 'y "q"');
    assert.equal(rows[1]![6], 3000000000n);
  });

  it('applies a DDL schema option or a given Arrow schema, with sep, quote, nullValue and unicode', async () => {
    const p = file('semi.csv', "n;s\n1;'a;b'\nNA;日本語 🎉\n3;NA\n");
    const ddl = await readCsv([p], { header: 'true', sep: ';', quote: "'", nullValue: 'NA', schema: 'n INT, s STRING' });
    assert.deepEqual(ddl.rows, [[1, 'a;b'], [null, '日本語 🎉'], [3, null]]);
    const arrow = await readCsv([p], { header: 'true', delimiter: ';', quote: "'", nullValue: 'NA' }, new Schema([new Field('n', new Int32()), new Field('s', new Utf8())]));
    assert.deepEqual(arrow.rows, ddl.rows);
  });

  it('reads only the required columns, mapped by name (pushdown, or a pruned schema at readSplit)', async () => {
    const p = file('wide.csv', 'a,b,c\n1,x,true\n2,"y,z",false\n');
    const options = { header: 'true', inferSchema: 'true' };
    const plan = await csvSource.planRead!(options, [p], undefined, { filters: [], requiredColumns: ['c', 'a'] }, driverContext());
    assert.equal(plan.schema.fields.length, 3);
    const [batch] = await collect(csvSource.readSplit!(plan.splits[0]!, options, plan.schema, taskContext(0)));
    assert.deepEqual(batch!.schema.fields.map((f) => f.name), ['a', 'c']);
    assert.deepEqual([...batch!.getChild('c')!], [true, false]);
    const unpruned = await csvSource.planRead!(options, [p], undefined, { filters: [] }, driverContext());
    const [only] = await collect(csvSource.readSplit!(unpruned.splits[0]!, options, unpruned.schema.select(['b']), taskContext(0)));
    assert.deepEqual([...only!.getChild('b')!], ['x', 'y,z']);
  });

  it('multiLine keeps quoted line feeds in one value and plans the file as one split', async () => {
    const p = file('multi.csv', 'id,text\n1,"line one\nline two"\n2,"a ""quoted""\r\nvalue"\n');
    const { plan, rows } = await readCsv([p], { header: 'true', multiLine: 'true', maxSplitBytes: '5' });
    assert.equal(plan.splits.length, 1);
    assert.deepEqual(rows, [['1', 'line one\nline two'], ['2', 'a "quoted"\r\nvalue']]);
  });

  it('gives every line exactly once for byte-range splits cut at every possible boundary', async () => {
    const lines = ['id,v', '1,alpha', '22,"b,eta"', '333,', '4,"δέλτα"', '', '55555,e', '6,"x""y"', '7,last'];
    for (const eol of ['\n', '\r\n']) {
      const text = lines.join(eol); // no trailing newline on the last line
      const p = file(`bounds${eol.length}.csv`, text);
      const size = Buffer.byteLength(text);
      const expected = (await readCsv([p], { header: 'true' })).rows;
      assert.equal(expected.length, 7);
      for (let cut = 1; cut < size; cut++) {
        const parts = await readCsv([p], { header: 'true', maxSplitBytes: String(cut) });
        assert.equal(parts.plan.splits.length, Math.ceil(size / cut));
        assert.deepEqual(parts.rows, expected, `split size ${cut}, eol ${JSON.stringify(eol)}`);
      }
    }
  });

  it('reads a huge quoted field spanning many read chunks', async () => {
    const huge = 'q'.repeat(5_000_000) + ',"\n' + 'z'.repeat(10);
    const p = file('huge.csv', `1,"${huge.replace(/"/g, '""')}"\n2,small\n`);
    const { rows } = await readCsv([p], { multiLine: 'true' });
    assert.equal(rows.length, 2);
    assert.equal(rows[0]![1], huge);
    assert.equal(rows[1]![1], 'small');
  });

  it('PERMISSIVE nulls bad values, DROPMALFORMED drops bad rows, FAILFAST names file, line and column', async () => {
    const p = file('bad.csv', 'id,n\n1,10\n2,ten\n3\n4,40,extra\n5,50\n');
    const schema = 'id INT, n INT';
    const permissive = await readCsv([p], { header: 'true', schema });
    assert.deepEqual(permissive.rows, [[1, 10], [2, null], [3, null], [4, 40], [5, 50]]);
    const dropped = await readCsv([p], { header: 'true', schema, mode: 'DROPMALFORMED' });
    assert.deepEqual(dropped.rows, [[1, 10], [5, 50]]);
    await assert.rejects(readCsv([p], { header: 'true', schema, mode: 'failfast' }), (e: Error) => {
      return e.name === 'CsvParseError' && e.message.includes('bad.csv') && e.message.includes('line 3') && e.message.includes("column 'n'") && e.message.includes("'ten'");
    });
    const later = await readCsv([p], { header: 'true', schema: 'id INT, n STRING', mode: 'FAILFAST', maxSplitBytes: '20' }).catch((e: Error) => e);
    assert.ok(later instanceof Error && /line 4/.test(later.message) && /expected 2 fields but found 1/.test(later.message), String(later));
  });

  it('reads directories (skipping _SUCCESS and hidden files) and globs, one header per file', async () => {
    file('dir/part-0.csv', 'a\n1\n2\n');
    file('dir/part-1.csv', 'a\n3\n');
    file('dir/_SUCCESS', '');
    file('dir/.part-0.csv.crc', 'junk');
    const { rows, plan } = await readCsv([path.join(dir, 'dir')], { header: 'true', inferSchema: 'true' });
    assert.deepEqual(rows, [[1], [2], [3]]);
    assert.equal((plan.splits as CsvSplit[]).length, 2);
    assert.deepEqual((await readCsv([path.join(dir, 'dir', '*-1.csv')], { header: 'true' })).rows, [['3']]);
  });

  it('reads gzip-compressed files whole, with line numbers of the decompressed text', async () => {
    const lines = ['id,name', ...Array.from({ length: 5000 }, (_, i) => `${i},"n ${i}"`)];
    const p = file('big.csv.gz', gzipSync(`${lines.join('\n')}\n`));
    const { plan, rows } = await readCsv([p], { header: 'true', inferSchema: 'true', maxSplitBytes: '100' });
    assert.equal(plan.splits.length, 1);
    assert.equal(rows.length, 5000);
    assert.deepEqual(rows[4999], [4999, 'n 4999']);
    const bad = file('bad.csv.gz', gzipSync('id\n1\n2\nx\n'));
    await assert.rejects(readCsv([bad], { header: 'true', schema: 'id INT', mode: 'FAILFAST' }), /bad\.csv\.gz at line 4, column 'id'/);
  });

  it('validates options and schemas up front, naming the option and the allowed values', async () => {
    assert.throws(() => csvSource.validateReadOptions!({ header: 'yes' }, []), (e: Error) => e.name === 'ConfigError' && /'header'/.test(e.message) && /true, false/.test(e.message));
    assert.throws(() => csvSource.validateReadOptions!({ seperator: ';' }, []), (e: Error) => /Unknown csv option 'seperator'/.test(e.message) && /sep/.test((e as { resolution?: string }).resolution ?? ''));
    assert.throws(() => csvSource.validateReadOptions!({ mode: 'LENIENT' }, []), /PERMISSIVE, DROPMALFORMED, FAILFAST/);
    assert.throws(() => csvSource.validateReadOptions!({ sep: '||' }, []), /single character/);
    assert.throws(() => csvSource.validateReadOptions!({ schema: 'a FOO' }, []), /unknown type 'FOO'/);
    const empty = file('empty.csv', '');
    await assert.rejects(readCsv([empty]), /Cannot infer a schema.*has no records/);
    assert.deepEqual((await readCsv([empty], { schema: 'a INT' })).rows, []);
    await assert.rejects(readCsv([path.join(dir, 'missing.csv')]), (e: Error) => e.name === 'PathNotFoundError' && e.message.includes('missing.csv'));
  });
});
