import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatHistory, historyEntry, historyError, MAX_ERROR_CHARS, parseHistoryEntry, type RunHistoryEntry } from '../../src/scheduler/run-history.js';
import { lastErrorLines, submitArgs, submitEnv } from '../../src/scheduler/child-run.js';
import { dueRunOf, retryDelayMs } from '../../src/scheduler/due-run.js';
import { reportError, writeOfSave } from '../../src/scheduler/run-report.js';
import { ConfigError } from '../../src/errors/kjob-error.js';

const base: RunHistoryEntry = {
  runId: 'repeat:hourly:1767225600000',
  schedule: 'hourly',
  trigger: 'cron',
  attempt: 1,
  dueAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:00.120Z',
  endedAt: '2026-01-01T00:01:30.120Z',
  outcome: 'succeeded',
  exitCode: 0,
  rowsWritten: 1200,
  requestIds: ['req-1'],
  scheduler: 'host-1',
};

describe('run history records', () => {
  it('an entry round-trips as JSON without absent fields', () => {
    const e = historyEntry({ ...base, error: undefined } as RunHistoryEntry);
    assert.ok(!('error' in e));
    assert.deepEqual(parseHistoryEntry(JSON.stringify(e)), base);
    assert.equal(parseHistoryEntry('not json'), undefined);
    assert.equal(parseHistoryEntry('{"x":1}'), undefined);
  });

  it('errors are redacted (SAS signature, account key, bearer token), stripped of ANSI codes and capped', () => {
    const e = historyEntry({ ...base, outcome: 'failed', error: '\x1b[31mboom\x1b[0m https://a.blob.core.windows.net/c/f?sv=1&sig=TOPSECRET AccountKey=KEYKEY; Bearer eyJabc.def' });
    assert.equal(e.error, 'boom https://a.blob.core.windows.net/c/f?sv=1&sig=<redacted> AccountKey=<redacted>; Bearer <redacted>');
    const long = historyError('x'.repeat(5000) + ' the cause');
    assert.equal(long.length, MAX_ERROR_CHARS);
    assert.ok(long.endsWith(' the cause'), 'the end (the cause) is kept');
  });

  it('prints start, end, outcome, rows, request id and error per line, newest first', () => {
    const text = formatHistory([{ ...base, attempt: 2, outcome: 'failed', error: 'Error: boom\n  more', rowsWritten: undefined, requestIds: undefined }, base]);
    const [header, failed, ok] = text.split('\n');
    assert.match(header!, /^START\s+END\s+TOOK\s+OUTCOME\s+ROWS\s+REQUEST ID\s+RUN ID\s+ERROR$/);
    assert.match(failed!, /failed \(attempt 2\)\s+-\s+-\s+repeat:hourly:1767225600000\s+Error: boom$/);
    assert.match(ok!, /^2026-01-01T00:00:00.120Z\s+2026-01-01T00:01:30.120Z\s+1m30s\s+succeeded\s+1200\s+req-1\s+repeat:hourly/);
    assert.equal(formatHistory([]), 'no runs yet');
  });
});

describe('due runs and children (pure parts)', () => {
  it('the due time comes from the job scheduler id; a manual run is due when enqueued', () => {
    assert.deepEqual(dueRunOf({ id: 'repeat:hourly:1767225600000', data: { schedule: 'hourly', trigger: 'cron' }, timestamp: 5 }), {
      runId: 'repeat:hourly:1767225600000',
      schedule: 'hourly',
      trigger: 'cron',
      dueAt: new Date(1767225600000),
    });
    const manual = dueRunOf({ id: 'manual-hourly-ab12cd34', data: { schedule: 'hourly', trigger: 'manual' }, timestamp: 1767225601234 });
    assert.equal(manual.trigger, 'manual');
    assert.equal(manual.dueAt.getTime(), 1767225601234);
    assert.deepEqual([1, 2, 3, 10].map((a) => retryDelayMs(a)), [1000, 2000, 4000, 60_000]);
  });

  it('the child is kjob submit with the app name and conf; the master (maybe with a password) goes through KJOB_MASTER', () => {
    const args = submitArgs({ job: '/jobs/etl.ts', appName: 'etl', conf: { 'a.b': '1' } });
    assert.match(args[0]!, /bin\/kjob\.js$/);
    assert.deepEqual(args.slice(1), ['submit', '/jobs/etl.ts', '--app-name', 'etl', '--conf', 'a.b=1']);
    const env = submitEnv({ master: 'redis://:pw@r:6379', env: { KJOB_SCHEDULE: 'etl' } }, '/tmp/r.json', { KJOB_MASTER: 'redis://other:6379', PATH: '/bin' });
    assert.deepEqual(env, { KJOB_MASTER: 'redis://:pw@r:6379', PATH: '/bin', KJOB_SCHEDULE: 'etl', KJOB_RUN_REPORT: '/tmp/r.json' });
  });

  it("the error of a child without report is the CLI's printed error, not its JSON log lines", () => {
    const stderr = '{"level":30,"msg":"job started"}\nConfigError: bad thing\n  Resolution: fix it\n{"level":30,"msg":"x"}\n';
    assert.equal(lastErrorLines(stderr), 'ConfigError: bad thing\n  Resolution: fix it');
    assert.equal(lastErrorLines('{"level":50,"msg":"task failed","err":"disk full"}\n{"level":30,"msg":"bye"}'), 'task failed: disk full');
    assert.equal(lastErrorLines(''), '');
  });

  it('the run report: request id from the write detail, error described and redacted', () => {
    assert.deepEqual(writeOfSave('kusto', { rows: 5, bytes: 50, skipped: false, detail: { requestId: 'r-1', table: 'T' } }), { format: 'kusto', rows: 5, bytes: 50, requestId: 'r-1' });
    assert.deepEqual(writeOfSave('parquet', { rows: 0, bytes: 0, skipped: true }), { format: 'parquet', rows: 0, bytes: 0, skipped: true });
    const text = reportError(new ConfigError('bad url https://x/y?sig=SECRET', { resolution: 'do this' }));
    assert.match(text, /^ConfigError: bad url https:\/\/x\/y\?sig=<redacted>\n  Resolution: do this$/);
  });
});
