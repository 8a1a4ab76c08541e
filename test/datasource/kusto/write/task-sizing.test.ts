import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../../../src/driver/session.js';
import { col } from '../../../../src/plan/functions.js';
import type { RunningEmulator } from '../../../../src/emulator/start-emulator.js';
import { TASK_SIZING_CONF } from '../../../../src/datasource/kusto/write/index.js';
import { KustoProbe, sinkOptions, startSinkTestEmulator } from './support.js';

let emu: RunningEmulator;
// One active session per process (getOrCreate): the sizing-off session replaces it in the last test.
let sized: Session;
let unsized: Session | undefined;
let probe: KustoProbe;
let dir: string;

before(async () => {
  emu = await startSinkTestEmulator();
  probe = new KustoProbe(emu.clusterUrl);
  dir = mkdtempSync(join(tmpdir(), 'kjob-sizing-'));
  mkdirSync(join(dir, 'csv'));
  // 12 tiny CSV files of 50 rows: 12 splits.
  for (let f = 0; f < 12; f++) {
    const lines = ['id,name', ...Array.from({ length: 50 }, (_, i) => `${f * 50 + i},row-${f}-${i}`)];
    writeFileSync(join(dir, 'csv', `part-${String(f).padStart(2, '0')}.csv`), lines.join('\n') + '\n');
  }
  sized = await Session.builder().appName('kusto sizing').master('local[2]').config('kjob.task.maxAttempts', 1).getOrCreate();
});
after(async () => {
  await sized?.stop();
  await unsized?.stop();
  probe?.close();
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const blobs = (r: { detail?: Readonly<Record<string, unknown>> }) => (r.detail as { blobs: { count: number } }).blobs.count;
const read = (s: Session) => s.read.option('header', 'true').schema('id bigint, name string').csv(join(dir, 'csv'));

describe('the driver sizes Kusto write tasks', () => {
  for (const writeMode of ['Transactional'] as const) {
    it(`${writeMode}: 12 tiny CSV splits are written as one blob, rows exact`, async () => {
      const grouped = await read(sized).write.format('kusto').options(sinkOptions(emu.clusterUrl, `Sized_${writeMode}`, { writeMode, tableCreateOptions: 'CreateIfNotExist' })).mode('append').save();
      assert.equal(blobs(grouped), 1);
      assert.equal(grouped.rows, 600);
      const deadline = Date.now() + 30_000;
      let r: Record<string, unknown>[] = [];
      do {
        r = await probe.rows('db', `Sized_${writeMode} | summarize n = count(), d = dcount(id), lo = min(id), hi = max(id)`);
        if (Number(r[0]!['n']) >= 600) break;
        await new Promise((res) => setTimeout(res, 200));
      } while (Date.now() < deadline);
      assert.deepEqual([r[0]!['n'], r[0]!['d'], r[0]!['lo'], r[0]!['hi']].map(Number), [600, 600, 0, 599]);
    });
  }

  it('a filtered Parquet dataset of many row groups is grouped too (each input keeps its filter)', async () => {
    const out = join(dir, 'pq-out', 'pq');
    await sized.range(0, 20_000, 1, { partitions: 10 }).write.parquet(out);
    const df = sized.read.parquet(out).filter(col('id').mod(2).eq(0));
    const saved = await df.write.format('kusto').options(sinkOptions(emu.clusterUrl, 'SizedParquet', { writeMode: 'Queued', tableCreateOptions: 'CreateIfNotExist' })).mode('append').save();
    assert.equal(blobs(saved), 1);
    assert.equal(saved.rows, 10_000);
    const deadline = Date.now() + 30_000;
    let r: Record<string, unknown>[] = [];
    do {
      r = await probe.rows('db', 'SizedParquet | summarize n = count(), odd = countif(id % 2 == 1)');
      if (Number(r[0]!['n']) >= 10_000) break;
      await new Promise((res) => setTimeout(res, 200));
    } while (Date.now() < deadline);
    assert.deepEqual([Number(r[0]!['n']), Number(r[0]!['odd'])], [10_000, 0]);
  });

  it(`with ${TASK_SIZING_CONF}=off the same write makes one blob per split (≥ 12)`, async () => {
    await sized.stop();
    unsized = await Session.builder().appName('kusto sizing off').master('local[2]').config('kjob.task.maxAttempts', 1).config(TASK_SIZING_CONF, 'off').getOrCreate();
    const plain = await read(unsized).write.format('kusto').options(sinkOptions(emu.clusterUrl, 'Unsized', { writeMode: 'Queued', tableCreateOptions: 'CreateIfNotExist' })).mode('append').save();
    // The CSV source may cut a file in two byte ranges for parallelism: at least one blob per file.
    assert.ok(blobs(plain) >= 12, `${blobs(plain)} blobs`);
    assert.equal(plain.rows, 600);
  });
});
