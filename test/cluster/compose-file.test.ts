import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse } from 'yaml';
import { command as executorCommand } from '../../src/cli/commands/executor.js';
import { command as submitCommand } from '../../src/cli/commands/submit.js';
import { EXECUTOR_ENV, resolveExecutorCli, type ExecutorCliInput } from '../../src/cli/commands/executor-options.js';
import { resolveSubmit, SUBMIT_ENV, type SubmitCliInput } from '../../src/cli/commands/submit-options.js';

const root = new URL('../../', import.meta.url).pathname;

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  container_name?: string;
  ports?: string[];
}

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;

/** The real commander definitions of the CLI, so a flag the compose file uses must exist there. */
function program(): Command {
  const p = new Command('kjob').exitOverride();
  executorCommand.register(p);
  submitCommand.register(p);
  return p;
}

function parseArgs(args: string[]): { name: string; operands: string[]; opts: Record<string, unknown> } {
  const [name, ...rest] = args;
  const sub = program().commands.find((c) => c.name() === name);
  assert.ok(sub, `compose runs 'kjob ${name}', which the CLI does not define`);
  const { operands, unknown } = sub.parseOptions(rest);
  assert.deepEqual(unknown, [], `unknown flags for 'kjob ${name}': ${unknown.join(' ')}`);
  return { name: name!, operands, opts: sub.opts() };
}

/** Every KJOB_* variable named in the source tree (what the code reads). */
function kjobEnvReadByCode(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSyncSafe(dir)) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs|js)$/.test(e.name)) for (const m of readFileSync(p, 'utf8').matchAll(/\bKJOB_[A-Z_]+\b/g)) out.add(m[0]);
    }
  };
  for (const d of ['src', 'jobs', 'examples']) walk(join(root, d));
  return out;
}

function readdirSyncSafe(dir: string): Dirent[] {
  return existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : [];
}

describe('docker-compose.yml', () => {
  it('has redis, a scalable executor and a one-shot driver built from the Dockerfile', () => {
    assert.deepEqual(Object.keys(services).sort(), ['driver', 'executor', 'redis']);
    assert.match(services['redis']!.image ?? '', /^redis:/);
    for (const name of ['executor', 'driver']) {
      const s = services[name]!;
      assert.equal(s.build, '.', `${name} builds the repo's Dockerfile`);
      assert.equal(s.image, 'kjob:local');
      assert.equal(s.container_name, undefined, `${name} must not pin a container name`);
    }
    // `--scale executor=4` fails on fixed host ports or names.
    assert.equal(services['executor']!.ports, undefined);
    assert.ok(existsSync(join(root, 'Dockerfile')));
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^FROM node:20-slim/m);
    assert.match(dockerfile, /npm ci/);
    assert.match(dockerfile, /ENTRYPOINT \["node", "bin\/kjob\.js"\]/);
  });

  it('runs redis without eviction and with a health check the others wait for', () => {
    const r = services['redis']!;
    assert.deepEqual(r.command?.slice(0, 3), ['redis-server', '--maxmemory-policy', 'noeviction']);
    assert.deepEqual(r.healthcheck?.test, ['CMD', 'redis-cli', 'ping']);
    assert.equal(services['executor']!.depends_on?.['redis']?.condition, 'service_healthy');
    assert.equal(services['driver']!.depends_on?.['redis']?.condition, 'service_healthy');
  });

  it("gives the executor a command the CLI's own definitions accept and resolve", () => {
    const { opts } = parseArgs(services['executor']!.command!);
    const resolved = resolveExecutorCli(opts as ExecutorCliInput, {});
    assert.equal(resolved.url, 'redis://redis:6379');
    assert.equal(resolved.cores, 2);
  });

  it('submits a job that exists in ./jobs, mounted where the executors see the same path', () => {
    const driver = services['driver']!;
    const { operands, opts } = parseArgs(driver.command!);
    assert.equal(operands.length, 1);
    const resolved = resolveSubmit(operands[0]!, opts as SubmitCliInput, root, {});
    assert.equal(resolved.master, 'redis://redis:6379');
    assert.ok(resolved.jobFile.startsWith(join(root, 'jobs')), 'the submitted job lives in ./jobs');
    for (const name of ['driver', 'executor']) {
      assert.ok(services[name]!.volumes?.includes('./jobs:/app/jobs:ro'), `${name} mounts ./jobs at /app/jobs`);
      assert.ok(services[name]!.volumes?.includes('./out:/app/out'), `${name} shares the output volume`);
    }
  });

  it('sets only environment variables the code reads, with agreeing prefixes', () => {
    const read = kjobEnvReadByCode();
    const known = new Set<string>([...EXECUTOR_ENV, ...SUBMIT_ENV, 'LOG_LEVEL', ...read]);
    for (const [name, s] of Object.entries(services)) {
      for (const key of Object.keys(s.environment ?? {})) {
        if (name === 'redis') continue;
        assert.ok(known.has(key) && (key === 'LOG_LEVEL' || read.has(key)), `${name} sets ${key}, which no kjob code reads`);
      }
    }
    assert.equal(services['driver']!.environment?.['KJOB_REDIS_PREFIX'], services['executor']!.environment?.['KJOB_REDIS_PREFIX']);
    const header = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    for (const key of Object.keys({ ...services['driver']!.environment, ...services['executor']!.environment })) {
      assert.match(header, new RegExp(`^#\\s+${key}\\b`, 'm'), `${key} is documented in the compose file's header`);
    }
  });
});
