import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, type Dirent } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { Command } from 'commander';
import { parse } from 'yaml';
import { command as executorCommand } from '../../src/cli/commands/executor.js';
import { command as submitCommand } from '../../src/cli/commands/submit.js';
import { command as emulatorCommand } from '../../src/cli/commands/emulator.js';
import { command as schedulerCommand } from '../../src/cli/commands/scheduler.js';
import { command as scheduleCommand } from '../../src/cli/commands/schedule.js';
import { command as doctorCommand } from '../../src/cli/commands/doctor.js';
import { command as healthCommand } from '../../src/cli/commands/health.js';
import { EXECUTOR_ENV, resolveExecutorCli, type ExecutorCliInput } from '../../src/cli/commands/executor-options.js';
import { resolveSubmit, SUBMIT_ENV, type SubmitCliInput } from '../../src/cli/commands/submit-options.js';
import { resolveSchedulerCli, SCHEDULER_ENV, type SchedulerCliInput } from '../../src/cli/commands/scheduler-options.js';
import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME, parseConnectionString } from '../../src/emulator/dm/storage-account.js';
import { envTaskSecretKey } from '../../src/protocol/task-secret-key.js';
import { buildScheduleDefinition, type ScheduleAddInput } from '../../src/scheduler/schedule-definition.js';

/**
 * No Docker engine runs on our machines, so the compose file is checked against the code it runs:
 * every command through the CLI's real commander definitions and option resolvers, every variable
 * against what the code (or the library it configures) reads, every dependency and volume against
 * the services and files it names. The storage-cert service's command is run for real.
 */
const root = new URL('../../', import.meta.url).pathname;
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  container_name?: string;
  ports?: string[];
  restart?: string;
}

// Docker compose applies YAML merge keys (`<<: *kjob-env`); so does this parse.
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = compose.services;
const kjobServices = Object.keys(services).filter((n) => services[n]!.image === 'kjob:local');
const WORKDIR = /^WORKDIR (\S+)$/m.exec(dockerfile)?.[1] ?? '';
/** What the Dockerfile copies into the image (sources the services run). */
const copied = [...dockerfile.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
/** A secret key for resolving environments, as a user's .env would hold (never a real one). */
const TEST_KEY = Buffer.alloc(32, 7).toString('base64');

/** `${NAME:-default}` / `${NAME:?message}` / `${NAME}` as compose interpolates them from `shell`. */
function interpolate(value: string, shell: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g, (_, name: string, op: string | undefined, arg: string | undefined) => {
    const v = shell[name];
    if (v !== undefined && v !== '') return v;
    if (op === ':?') throw new Error(`compose refuses to start without ${name}: ${arg}`);
    return op === ':-' ? (arg ?? '') : '';
  });
}

/** A service's environment as its container sees it, with the given shell/.env values. */
function envOf(name: string, shell: Record<string, string> = { KJOB_TASK_SECRET_KEY: TEST_KEY }): Record<string, string> {
  return Object.fromEntries(Object.entries(services[name]!.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), shell)]));
}

/** The real commander definitions of the CLI, so a flag the compose file uses must exist there. */
function program(): Command {
  const p = new Command('kjob').exitOverride();
  for (const m of [executorCommand, submitCommand, emulatorCommand, schedulerCommand, scheduleCommand, doctorCommand, healthCommand]) m.register(p);
  return p;
}

/** Parses `kjob <args>` as the CLI would, down to the innermost subcommand (e.g. `schedule add`). */
function parseArgs(args: readonly string[]): { path: string; operands: string[]; opts: Record<string, unknown> } {
  let cmd = program();
  const path: string[] = [];
  let rest = [...args];
  while (rest.length > 0 && cmd.commands.length > 0) {
    const sub = cmd.commands.find((c) => c.name() === rest[0]);
    assert.ok(sub, `compose runs 'kjob ${[...path, rest[0]].join(' ')}', which the CLI does not define`);
    path.push(rest[0]!);
    rest = rest.slice(1);
    cmd = sub;
  }
  const { operands, unknown } = cmd.parseOptions(rest);
  assert.deepEqual(unknown, [], `unknown flags for 'kjob ${path.join(' ')}': ${unknown.join(' ')}`);
  for (const o of cmd.options) if (o.mandatory) assert.ok(cmd.opts()[o.attributeName()] !== undefined, `'kjob ${path.join(' ')}' needs ${o.flags}`);
  return { path: path.join(' '), operands, opts: cmd.opts() };
}

/** Splits a shell command line (double quotes only, which is all the header uses). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** Every `NAME` token in the code under the given folders. */
function namesReadUnder(dirs: readonly string[], pattern: RegExp): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSyncSafe(dir)) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs|js|cjs)$/.test(e.name)) for (const m of readFileSync(p, 'utf8').matchAll(pattern)) out.add(m[0]);
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out;
}

function readdirSyncSafe(dir: string): Dirent[] {
  return existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : [];
}

/** `name:/path[:ro]` → { source, target }. */
function mounts(name: string): Array<{ source: string; target: string }> {
  return (services[name]!.volumes ?? []).map((v) => {
    const [source, target] = v.split(':');
    return { source: source!, target: target! };
  });
}

/** The value after `flag` in an argv. */
function flagValue(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
}

describe('docker-compose.yml: services and image', () => {
  it('has redis, azurite, the kusto emulator, scalable executors, a scheduler and a one-shot submit', () => {
    assert.deepEqual(Object.keys(services).sort(), ['azurite', 'executor', 'kusto', 'redis', 'scheduler', 'storage-cert', 'submit']);
    assert.match(services['redis']!.image ?? '', /^redis:/);
    assert.match(services['azurite']!.image ?? '', /^mcr\.microsoft\.com\/azure-storage\/azurite:/);
    assert.deepEqual(kjobServices.sort(), ['executor', 'kusto', 'scheduler', 'storage-cert', 'submit']);
    for (const name of kjobServices) {
      const s = services[name]!;
      assert.equal(s.build, '.', `${name} builds the repo's Dockerfile`);
      assert.equal(s.container_name, undefined, `${name} must not pin a container name`);
    }
    // `--scale executor=4` fails on fixed host ports or names.
    assert.equal(services['executor']!.ports, undefined);
    assert.equal(services['submit']!.restart, 'no');
    assert.equal(services['storage-cert']!.restart, 'no');
  });

  it('pins Azurite to the version the in-process emulator is tested with, and uses only flags that version has', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(services['azurite']!.image, `mcr.microsoft.com/azure-storage/azurite:${pkg.dependencies['azurite']}`);
    const command = services['azurite']!.command!;
    assert.equal(command[0], 'azurite');
    // The same version's CLI, from node_modules: a flag it does not know stops Azurite at start-up.
    const help = spawnSync(join(root, 'node_modules/.bin/azurite'), ['--help'], { encoding: 'utf8', timeout: 30_000 });
    const known = new Set([...`${help.stdout}${help.stderr}`.matchAll(/--([A-Za-z]+)/g)].map((m) => `--${m[1]}`));
    assert.ok(known.has('--cert') && known.size > 10, `azurite --help lists its options: ${help.stdout}${help.stderr}`);
    for (const flag of command.filter((w) => w.startsWith('--'))) assert.ok(known.has(flag), `azurite ${pkg.dependencies['azurite']} has no ${flag}`);
  });

  it('builds an image with the sources every service runs, and .dockerignore keeps none of them out', () => {
    assert.match(dockerfile, /^FROM node:20-slim/m);
    assert.match(dockerfile, /^RUN npm ci --omit=dev/m);
    assert.match(dockerfile, /^ENTRYPOINT \["node", "bin\/kjob\.js"\]/m);
    assert.equal(WORKDIR, '/app');
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'bin', 'src', 'examples', 'jobs']) assert.ok(copied.includes(needed), `the Dockerfile copies ${needed}`);
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const heavy of ['node_modules', '.git', 'out']) assert.ok(ignored.includes(heavy), `.dockerignore leaves out ${heavy}`);
    for (const path of copied) assert.ok(!ignored.includes(path), `.dockerignore must not leave out ${path}, which the Dockerfile copies`);
  });
});

describe('docker-compose.yml: dependencies and health checks', () => {
  it('runs redis without eviction', () => {
    const r = services['redis']!;
    assert.deepEqual(r.command?.slice(0, 3), ['redis-server', '--maxmemory-policy', 'noeviction']);
    assert.deepEqual(r.healthcheck?.test, ['CMD', 'redis-cli', 'ping']);
  });

  it('waits only for services that exist, healthy ones having a health check, one-shot ones finishing', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(s.depends_on ?? {})) {
        const t = services[target];
        assert.ok(t, `${name} depends on '${target}', which is no service`);
        assert.ok(['service_started', 'service_healthy', 'service_completed_successfully'].includes(condition), `${name} → ${target}: ${condition}`);
        if (condition === 'service_healthy') assert.ok(t.healthcheck?.test?.length, `${name} waits for ${target} to be healthy, but ${target} has no health check`);
        if (condition === 'service_completed_successfully') assert.equal(t.restart, 'no', `${target} is one-shot`);
      }
    }
    for (const name of ['executor', 'scheduler', 'submit']) {
      assert.equal(services[name]!.depends_on?.['redis']?.condition, 'service_healthy', `${name} waits for redis`);
      assert.equal(services[name]!.depends_on?.['kusto']?.condition, 'service_healthy', `${name} waits for kusto`);
    }
    assert.equal(services['kusto']!.depends_on?.['azurite']?.condition, 'service_healthy');
    assert.equal(services['azurite']!.depends_on?.['storage-cert']?.condition, 'service_completed_successfully');
  });

  it('checks azurite on its three ports and kusto on the GET the SDKs send first, with node (the images have no curl)', () => {
    const az = services['azurite']!.healthcheck!.test;
    assert.deepEqual(az.slice(0, 3), ['CMD', 'node', '-e']);
    for (const port of ['10000', '10001', '10002']) assert.match(az[3]!, new RegExp(`\\b${port}\\b`));
    const kusto = services['kusto']!.healthcheck!.test;
    assert.deepEqual(kusto.slice(0, 3), ['CMD', 'node', '-e']);
    const port = flagValue(services['kusto']!.command!, '--port');
    assert.match(kusto[3]!, new RegExp(`http://127\\.0\\.0\\.1:${port}/v1/rest/auth/metadata`));
  });

  it('checks executor and scheduler with `kjob health <role>` (a CLI command) on the redis and prefix they register in', () => {
    for (const name of ['executor', 'scheduler']) {
      const test = services[name]!.healthcheck?.test ?? [];
      assert.deepEqual(test.slice(0, 3), ['CMD', 'node', 'bin/kjob.js'], `${name}: the image's CLI, run from ${WORKDIR}`);
      assert.ok(existsSync(join(root, 'bin/kjob.js')) && copied.includes('bin'));
      const { path, operands, opts } = parseArgs(test.slice(3));
      assert.equal(path, 'health');
      assert.deepEqual(operands, [name], `${name} checks its own role`);
      // No flags: it reads KJOB_MASTER / KJOB_REDIS_PREFIX, the same the service's command registers under.
      assert.equal(opts['master'], undefined);
      assert.equal(envOf(name)['KJOB_MASTER'], flagValue(services[name]!.command!, '--master'));
    }
    assert.equal(services['submit']!.depends_on?.['executor']?.condition, 'service_healthy', 'submit waits for a registered executor');
  });
});

describe('docker-compose.yml: commands against the CLI', () => {
  it('executor: a command the CLI accepts and resolves, on the redis service', () => {
    const { path, opts } = parseArgs(services['executor']!.command!);
    assert.equal(path, 'executor');
    const resolved = resolveExecutorCli(opts as ExecutorCliInput, envOf('executor'));
    assert.equal(resolved.url, 'redis://redis:6379');
    assert.equal(resolved.cores, 2);
    assert.equal(resolved.prefix, 'kjob');
    assert.ok(resolved.graceMs < 30_000, 'tasks get their grace before docker kills the container (stop_grace_period 30s)');
  });

  it('scheduler: a command the CLI accepts and resolves, on the same redis and prefix', () => {
    const { path, opts } = parseArgs(services['scheduler']!.command!);
    assert.equal(path, 'scheduler');
    const resolved = resolveSchedulerCli(opts as SchedulerCliInput, envOf('scheduler'));
    assert.equal(resolved.url, 'redis://redis:6379');
    assert.equal(resolved.prefix, 'kjob');
    assert.equal(resolved.concurrency, 2);
  });

  it('submit: a job that exists in ./jobs, on the same redis', () => {
    const { path, operands, opts } = parseArgs(services['submit']!.command!);
    assert.equal(path, 'submit');
    assert.equal(operands.length, 1);
    const resolved = resolveSubmit(operands[0]!, opts as SubmitCliInput, root, envOf('submit'));
    assert.equal(resolved.master, 'redis://redis:6379');
    assert.equal(resolved.appName, 'flights-to-kusto');
    assert.equal(dirname(resolved.jobFile), join(root, 'jobs'), 'the submitted job lives in ./jobs');
  });

  it('kusto: the emulator on all interfaces, advertised under its service name, storage on the azurite service', () => {
    const { path, opts } = parseArgs(services['kusto']!.command!);
    assert.equal(path, 'emulator');
    assert.equal(opts['host'], '0.0.0.0');
    assert.equal(opts['advertisedHost'], 'kusto', "the advertised host is the kusto service's own name");
    const account = parseConnectionString(String(opts['storageConnectionString']));
    assert.equal(account.accountName, DEV_ACCOUNT_NAME);
    assert.equal(account.accountKey, DEV_ACCOUNT_KEY);
    const azurite = services['azurite']!;
    const published = (azurite.ports ?? []).map((p) => p.split(':').pop());
    const https = azurite.command!.includes('--cert') && azurite.command!.includes('--key');
    for (const endpoint of [account.blobEndpoint, account.queueEndpoint, account.tableEndpoint]) {
      const u = new URL(endpoint);
      assert.equal(u.hostname, 'azurite', `${endpoint} points at the azurite service`);
      assert.ok(published.includes(u.port), `${endpoint}: azurite listens on ${u.port}`);
      assert.equal(u.pathname, `/${DEV_ACCOUNT_NAME}`, 'path-style, as Azurite serves it');
    }
    // The ingest SDK's status-table client refuses http (wire-protocol §0.3); Azurite serves https only with --cert/--key.
    assert.equal(new URL(account.tableEndpoint).protocol, 'https:');
    assert.ok(https, 'azurite serves https (--cert and --key)');
    for (const endpoint of [account.blobEndpoint, account.queueEndpoint]) assert.equal(new URL(endpoint).protocol, 'https:', 'Azurite --cert makes every endpoint https');
    for (const host of ['--blobHost', '--queueHost', '--tableHost']) assert.equal(flagValue(azurite.command!, host), '0.0.0.0', `azurite ${host} accepts other containers`);
    assert.ok(azurite.command!.includes('--skipApiVersionCheck'), 'the storage SDKs send an x-ms-version newer than Azurite knows');
    // The jobs reach the emulator by the same name and port.
    assert.equal(envOf('submit')['KUSTO_CLUSTER_URL'], `http://kusto:${String(opts['port'])}`);
  });

  it('every `docker compose run --rm submit <kjob …>` line of the header is a command the CLI accepts', () => {
    const lines = [...composeText.matchAll(/^#\s+docker compose run --rm (?:--no-deps )?submit (.+?)(?:\s{2,}\(.*)?$/gm)].map((m) => m[1]!.trim());
    assert.ok(lines.length >= 3, 'the header shows how to submit, schedule and list');
    for (const line of lines) {
      const words = shellWords(line);
      const { path, operands, opts } = parseArgs(words);
      if (path === 'submit' || path === 'schedule add') {
        const job = operands[operands.length - 1]!;
        assert.ok(existsSync(join(root, job)), `the header's '${line}' names ${job}, which does not exist`);
        // The scheduler's runs (and the executors) find the job in the image or on the ./jobs volume.
        const top = job.split('/')[0]!;
        assert.ok(copied.includes(top) || services['scheduler']!.volumes!.some((v) => v.startsWith(`./${top}:`)), `${job} is in the image or mounted`);
      }
      // The schedule's cron, time zone, timeout and retries pass the CLI's own validation.
      if (path === 'schedule add') buildScheduleDefinition(operands[0]!, operands[1]!, opts as ScheduleAddInput, root);
    }
  });
});

describe('docker-compose.yml: environment, volumes and the certificate', () => {
  /** KJOB_* the code reads; and every other name in the code, jobs and examples. */
  const kjobRead = namesReadUnder(['src', 'jobs', 'examples'], /\bKJOB_[A-Z_]+\b/g);
  const documentedByCli = new Set<string>([...EXECUTOR_ENV, ...SUBMIT_ENV, ...SCHEDULER_ENV]);
  const readByKjob = namesReadUnder(['src', 'jobs', 'examples'], /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g);
  const readByIdentity = namesReadUnder(['node_modules/@azure/identity/dist/commonjs/credentials'], /\bAZURE_[A-Z_]+\b/g);

  it('sets only variables that kjob, its jobs, @azure/identity or Node read, each documented in the header', () => {
    for (const name of kjobServices) {
      for (const key of Object.keys(services[name]!.environment ?? {})) {
        if (key.startsWith('KJOB_')) assert.ok(documentedByCli.has(key) || kjobRead.has(key), `${name} sets ${key}, which no kjob command documents or reads`);
        else if (key.startsWith('AZURE_')) assert.ok(readByIdentity.has(key), `${name} sets ${key}, which @azure/identity does not read`);
        else if (key === 'NODE_EXTRA_CA_CERTS') continue; // Node's own, checked with the certificate below
        else assert.ok(readByKjob.has(key), `${name} sets ${key}, which no kjob code reads`);
        assert.match(composeText, new RegExp(`^#\\s+${key}\\b`, 'm'), `${key} is documented in the compose file's header`);
      }
    }
  });

  it('gives drivers, executors and schedulers the same master, prefix and task secret key (required, no default)', () => {
    const cluster = ['executor', 'scheduler', 'submit'];
    for (const name of cluster) {
      const env = envOf(name);
      assert.equal(env['KJOB_MASTER'], 'redis://redis:6379', name);
      assert.equal(flagValue(services[name]!.command!, '--master'), env['KJOB_MASTER'], `${name}'s --master agrees with KJOB_MASTER`);
      assert.equal(env['KJOB_REDIS_PREFIX'], 'kjob', name);
      assert.equal(env['KJOB_TASK_SECRET_KEY'], TEST_KEY, `${name} gets the key from the shell / .env`);
      assert.ok(envTaskSecretKey(env), `${name}: the key is usable`);
      assert.throws(() => envOf(name, {}), /KJOB_TASK_SECRET_KEY/, `${name}: compose refuses to start without a key`);
    }
    // Flags and env that select the cluster are the same everywhere (one anchor), not per service.
    for (const key of ['KJOB_REDIS_PREFIX', 'KUSTO_CLUSTER_URL', 'KUSTO_DATABASE', 'NODE_EXTRA_CA_CERTS']) {
      assert.equal(new Set(cluster.map((n) => envOf(n)[key])).size, 1, `${key} agrees across ${cluster.join(', ')}`);
    }
  });

  it('mounts ./jobs where the image keeps the app on every service that imports jobs, and the output folder', () => {
    for (const name of ['executor', 'scheduler', 'submit']) {
      assert.ok(services[name]!.volumes?.includes(`./jobs:${posix.join(WORKDIR, 'jobs')}:ro`), `${name} mounts ./jobs at ${WORKDIR}/jobs`);
      const out = envOf(name)['KJOB_OUT'];
      assert.ok(mounts(name).some((m) => m.source === './out' && m.target === out), `${name} mounts ./out at KJOB_OUT (${out})`);
    }
  });

  const certDir = mkdtempSync(join(tmpdir(), 'kjob-compose-cert-'));
  after(() => rmSync(certDir, { recursive: true, force: true }));

  it("runs storage-cert's command for real: a certificate for azurite at the paths Azurite serves and Node trusts", () => {
    const s = services['storage-cert']!;
    const argv = s.entrypoint!;
    const target = argv[argv.length - 1]!;
    assert.ok(mounts('storage-cert').some((m) => m.target === target && compose.volumes && m.source in compose.volumes), `${target} is a named volume`);
    const run = spawnSync(argv[0] === 'node' ? process.execPath : argv[0]!, [...argv.slice(1, -1), certDir], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);

    const azurite = services['azurite']!.command!;
    const certPath = flagValue(azurite, '--cert')!;
    const keyPath = flagValue(azurite, '--key')!;
    for (const p of [certPath, keyPath]) {
      assert.equal(dirname(p), target, `azurite reads ${p} from the certificate volume`);
      assert.ok(existsSync(join(certDir, basename(p))), `storage-cert wrote ${basename(p)}`);
    }
    assert.ok(mounts('azurite').some((m) => m.target === target), 'azurite mounts the certificate volume');
    const cert = new X509Certificate(readFileSync(join(certDir, basename(certPath))));
    assert.match(cert.subjectAltName ?? '', /DNS:azurite\b/, 'the certificate names the host of the storage connection string');
    // Every kjob process that talks to storage trusts exactly that certificate, from the same volume.
    for (const name of ['kusto', 'executor', 'scheduler', 'submit']) {
      assert.equal(envOf(name)['NODE_EXTRA_CA_CERTS'], certPath, `${name} trusts Azurite's certificate`);
      assert.ok(mounts(name).some((m) => m.target === target), `${name} mounts the certificate volume`);
    }
  });
});

describe('jobs/flights-to-kusto.ts', () => {
  it('is a job (default export) that names KUSTO_CLUSTER_URL when it is missing', async () => {
    const job = (await import('../../jobs/flights-to-kusto.js')) as typeof import('../../jobs/flights-to-kusto.js');
    assert.equal(typeof job.default, 'function');
    assert.throws(() => job.kustoTarget({}), (e: Error & { code?: string }) => e.name === 'ConfigError' && /KUSTO_CLUSTER_URL/.test(e.message));
    assert.deepEqual(job.kustoTarget({ KUSTO_CLUSTER_URL: ' http://kusto:8080 ' }), { cluster: 'http://kusto:8080', database: 'flights' });
    assert.deepEqual(job.kustoTarget({ KUSTO_CLUSTER_URL: 'https://c.westeurope.kusto.windows.net', KUSTO_DATABASE: 'db1' }), { cluster: 'https://c.westeurope.kusto.windows.net', database: 'db1' });
  });
});
