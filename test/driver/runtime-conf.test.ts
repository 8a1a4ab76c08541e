// session.conf at run time (Spark's spark.conf.set/get/unset/getAll): a storage SAS or account key set
// after the session started is used by the next read of a wasbs:// or abfss:// path, here against
// Azurite (its path-style endpoint named with kjob.storage.endpoint.<account>.blob.<suffix>), and,
// like the builder's .config() secrets, never travels in a task: only a sealed SAS does.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Table, makeVector } from 'apache-arrow';
import { Session } from '../../src/driver/session.js';
import type { StageSpec } from '../../src/protocol/task.js';
import { startAzurite, type TestAzurite } from '../datasource/storage/azurite-server.js';
import { writeParquetFixture } from '../datasource/parquet/fixtures.js';

const ROWS = 300;
const SUFFIX = 'core.windows.net';
const SAS_KEY = `fs.azure.sas.rtconf.devstoreaccount1.blob.${SUFFIX}`;
const ABFS_SAS_KEY = `fs.azure.sas.fixed.token.rtconf.devstoreaccount1.dfs.${SUFFIX}`;
const ACCOUNT_KEY = `fs.azure.account.key.devstoreaccount1.blob.${SUFFIX}`;
const ENDPOINT_KEY = `kjob.storage.endpoint.devstoreaccount1.blob.${SUFFIX}`;
const WASBS = `wasbs://rtconf@devstoreaccount1.blob.${SUFFIX}/data/`;
const ABFSS = `abfss://rtconf@devstoreaccount1.dfs.${SUFFIX}/data/`;

describe('session.conf at run time', () => {
  let azurite: TestAzurite;
  let spark: Session;
  let sas: string;
  let dir: string;
  const stages: StageSpec[] = [];

  before(async () => {
    azurite = await startAzurite();
    dir = mkdtempSync(path.join(tmpdir(), 'kjob-rtconf-'));
    const file = path.join(dir, 'a.parquet');
    writeParquetFixture(file, new Table({ id: makeVector(Int32Array.from({ length: ROWS }, (_, i) => i + 1)) }), 100);
    const container = azurite.service.getContainerClient('rtconf');
    await container.create();
    await container.getBlockBlobClient('data/a.parquet').uploadData(readFileSync(file));
    sas = azurite.containerSasUrl('rtconf').sas;
    spark = await Session.builder().appName('rtconf').master('local[2]').config('kjob.progress', 'off').config('kjob.task.maxAttempts', 1).stageListener((s) => (stages.push(s), undefined)).getOrCreate();
  });
  after(async () => {
    await spark?.stop();
    await azurite?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('set / get / unset / getAll, as Spark', () => {
    spark.conf.set('my.n', 3);
    spark.conf.set('my.flag', false);
    assert.equal(spark.conf.get('my.n'), '3');
    assert.equal(spark.conf.get('my.flag'), 'false');
    assert.equal(spark.conf.get('my.none'), undefined);
    assert.equal(spark.conf.get('my.none', 'dflt'), 'dflt');
    assert.deepEqual(Object.entries(spark.conf.getAll()).filter(([k]) => k.startsWith('my.')), [['my.n', '3'], ['my.flag', 'false']]);
    spark.conf.unset('my.n');
    spark.conf.unset('my.never-set');
    assert.equal(spark.conf.has('my.n'), false);
    assert.equal(spark.conf.get('kjob.progress'), 'off', 'builder values are there too');
    assert.throws(() => spark.conf.set('', 'x'), { name: 'ConfigError' });
  });

  it('a SAS set after start reads wasbs:// (and abfss://) paths; secrets stay out of the tasks', async () => {
    spark.conf.set(ENDPOINT_KEY, azurite.endpoint);
    // No credential yet: Azurite refuses the anonymous listing.
    await assert.rejects(spark.read.parquet(WASBS).count(), /40[34]/);
    spark.conf.set(SAS_KEY, sas);
    const before = stages.length;
    const t = await spark.read.parquet(WASBS).toArrow();
    assert.equal(t.numRows, ROWS);
    assert.equal([...t.getChild('id')!].reduce((a: number, v) => a + Number(v), 0), (ROWS * (ROWS + 1)) / 2);
    const tasks = stages.slice(before).flatMap((s) => s.tasks);
    assert.ok(tasks.length > 0);
    const sig = new URLSearchParams(sas).get('sig')!;
    for (const task of tasks) {
      assert.equal(task.conf[SAS_KEY], undefined, 'the SAS key is not in the task conf');
      assert.equal(task.conf[ENDPOINT_KEY], azurite.endpoint, 'a runtime setting that is no secret travels');
      const text = JSON.stringify(task);
      assert.ok(!text.includes(sig) && !text.includes(encodeURIComponent(sig)), 'no SAS signature in a task');
      assert.match(text, /kjob-sealed:v1:/, 'the SAS went sealed');
    }
    spark.conf.unset(SAS_KEY);
    await assert.rejects(spark.read.parquet(WASBS).count(), /40[34]/, 'unset takes effect at the next read');
    spark.conf.set(ABFS_SAS_KEY, `?${sas}`);
    assert.equal(await spark.read.parquet(ABFSS).count(), ROWS);
    spark.conf.unset(ABFS_SAS_KEY);
  });

  it('an account key set at run time: read through a derived container SAS, the key in no task', async () => {
    const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
    spark.conf.set(ACCOUNT_KEY, key);
    const before = stages.length;
    assert.equal(await spark.read.parquet(WASBS).count(), ROWS);
    const text = JSON.stringify(stages.slice(before).flatMap((s) => s.tasks));
    assert.ok(!text.includes(key.slice(0, 16)) && !text.includes(encodeURIComponent(key).slice(0, 16)), 'no account key in a task');
    spark.conf.unset(ACCOUNT_KEY);
  });
});
