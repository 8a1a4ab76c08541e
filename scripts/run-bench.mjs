#!/usr/bin/env node
// `npm run bench`: every benchmark, one process each, so each prints its own clean figures and peak RSS.
//   npm run bench                     the default set (minutes on 2 cores)
//   npm run bench -- emulator-ingest  only the named ones (file names under bench/, without .ts)
//   KJOB_BENCH_BIG=1 npm run bench    also the 1 GB Parquet memory runs (writes ~1-2 GB under /tmp)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const BIG = new Set(['runner-memory']);
const all = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : all.filter((n) => !BIG.has(n) || process.env.KJOB_BENCH_BIG === '1');
// Default arguments that keep the default run short; each bench documents its own arguments.
const ARGS = { 'parquet-read': process.env.KJOB_BENCH_BIG === '1' ? [] : ['flights'] };

let failed = 0;
for (const name of names) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark '${name}'; known: ${all.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== bench/${name}.ts ${(ARGS[name] ?? []).join(' ')}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', `${name}.ts`), ...(ARGS[name] ?? [])], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
