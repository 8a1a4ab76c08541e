// Executor memory over one ~1 GB Parquet split: the task must stream row group by row group.
//   node --import tsx bench/runner-memory.ts [sizeGiB=1]
// Generates /tmp/kjob-bench/big-<size>g.parquet once (DuckDB; random, poorly compressible strings), starts
// one `kjob executor --cores 1` process on the test Redis, runs count and a filtered write over a
// single split holding the whole file, and reports the executor's peak RSS (VmHWM) and throughput.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { col, Session } from '../src/index.js';
import { testRedisUrl, uniqueTestPrefix } from '../test/support/redis.js';

const sizeGiB = Number(process.argv[2] ?? 1);
const dir = '/tmp/kjob-bench';
const file = join(dir, `big-${sizeGiB}g.parquet`);
mkdirSync(dir, { recursive: true });

if (!existsSync(file)) {
  // ~48 bytes per row once compressed (two md5 strings, a double, an int).
  const rows = Math.round((sizeGiB * 1024 ** 3) / 48);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(
    `COPY (SELECT i AS id, md5(i::VARCHAR) || md5((i * 7)::VARCHAR) AS s, random() AS r FROM range(${rows}) t(i))
     TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 500000, COMPRESSION snappy)`,
  );
  c.closeSync();
  db.closeSync();
}
const bytes = statSync(file).size;

const url = testRedisUrl();
const prefix = uniqueTestPrefix('bench-mem');
const executor = spawn(process.execPath, ['bin/kjob.js', 'executor', '--master', url, '--prefix', prefix, '--cores', '1', '--id', 'bench-exec'], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, LOG_LEVEL: 'warn' },
});
const vmHwmMiB = () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${executor.pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

process.env['KJOB_PROGRESS'] = 'off';
const spark = await Session.builder().appName('bench-memory').master(url).config('kjob.redis.prefix', prefix).getOrCreate();
const out = join(dir, 'big-filtered');
try {
  const df = spark.read.option('maxSplitBytes', 4 * bytes).parquet(file);
  let t = performance.now();
  const n = await df.count();
  const countSeconds = (performance.now() - t) / 1000;
  const afterCount = vmHwmMiB();
  t = performance.now();
  const saved = await df.filter(col('r').lt(0.05)).write.mode('overwrite').parquet(out);
  const writeSeconds = (performance.now() - t) / 1000;
  console.log(
    JSON.stringify({
      bench: 'runner-memory',
      fileMiB: Math.round(bytes / 1024 ** 2),
      splits: 1,
      rows: n,
      countSeconds: Number(countSeconds.toFixed(1)),
      countMiBPerSecond: Math.round(bytes / 1024 ** 2 / countSeconds),
      executorPeakRssAfterCountMiB: afterCount,
      filteredRowsWritten: saved.rows,
      writeSeconds: Number(writeSeconds.toFixed(1)),
      executorPeakRssMiB: vmHwmMiB(),
    }),
  );
} finally {
  await spark.stop();
  executor.kill('SIGTERM');
  await new Promise((r) => executor.on('exit', r));
  rmSync(out, { recursive: true, force: true });
}
