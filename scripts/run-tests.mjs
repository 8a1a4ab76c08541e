#!/usr/bin/env node
// The test harness: makes sure a Redis answers, type-checks, then hands every test file to node's own
// test runner (its closing "# pass / # fail" lines are what CI reads).
//   npm test                      every file under test/
//   npm test -- test/emulator     only files under the given paths
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const redisUrl = new URL(process.env.KJOB_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

function redisAnswers(timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
    const done = (ok) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

async function ensureRedis() {
  if (await redisAnswers()) return;
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) {
    console.error(`No Redis answers at ${redisUrl.host} and redis-server is not installed.\n` +
      `Install it (Debian: apt-get install -y redis-server; macOS: brew install redis) or point ` +
      `KJOB_TEST_REDIS_URL at a running Redis.`);
    process.exit(1);
  }
  console.log(`# starting redis-server on port ${redisUrl.port || 6379}`);
  spawnSync('redis-server', ['--daemonize', 'yes', '--port', String(redisUrl.port || 6379), '--save', '', '--appendonly', 'no'], { stdio: 'inherit' });
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  console.error('redis-server was started but does not answer PING');
  process.exit(1);
}

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

await ensureRedis();
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('Type check failed.');
  process.exit(tsc.status ?? 1);
}
// One certificate for the emulator's https table endpoint, trusted by every test process from start-up.
const certDir = join(tmpdir(), 'kjob-test-certs');
const certRun = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/ensure-test-cert.ts'), certDir], { cwd: root, encoding: 'utf8' });
if (certRun.status !== 0) {
  console.error('Could not create the test certificate:\n' + certRun.stderr);
  process.exit(1);
}
const { certPath } = JSON.parse(certRun.stdout.trim().split('\n').pop());
const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test'];
const files = roots.flatMap((r) => (statSync(r).isDirectory() ? findTests(r) : [r])).map((f) => relative(root, join(process.cwd(), f))).sort();
if (files.length === 0) {
  console.error('No test files found under ' + roots.join(', '));
  process.exit(1);
}
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=900000', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath, KJOB_TEST_CERT_DIR: certDir, KJOB_TEST_REDIS_URL: redisUrl.href, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
