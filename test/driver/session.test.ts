import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../src/driver/session.js';
import { ExecutorImportAbort } from '../../src/executor/job-module.js';

describe('Session', () => {
  it('takes the master from KJOB_MASTER when the builder names none, and is a singleton until stopped', async () => {
    const saved = process.env['KJOB_MASTER'];
    process.env['KJOB_MASTER'] = 'inline';
    try {
      const a = await Session.builder().appName('one').getOrCreate();
      const b = await Session.builder().appName('two').getOrCreate();
      assert.equal(a, b);
      assert.equal(a.master, 'inline');
      assert.equal(a.appName, 'one');
      assert.match(a.appId, /^app-\d{14}-[0-9a-f]{8}$/);
      await a.stop();
      const c = await Session.builder().appName('three').master('inline').getOrCreate();
      assert.notEqual(c, a);
      await c.stop();
      await c.stop();
    } finally {
      if (saved === undefined) delete process.env['KJOB_MASTER'];
      else process.env['KJOB_MASTER'] = saved;
    }
  });
  it('reads the app name and configuration kjob submit puts in the environment', async () => {
    const saved = { name: process.env['KJOB_APP_NAME'], conf: process.env['KJOB_CONF'] };
    process.env['KJOB_APP_NAME'] = 'from-env';
    process.env['KJOB_CONF'] = JSON.stringify({ 'a.b': 'env', 'c.d': 1 });
    try {
      const s = await Session.builder().master('inline').config('a.b', 'builder').getOrCreate();
      assert.equal(s.appName, 'from-env');
      assert.deepEqual(Object.fromEntries(s.conf), { 'a.b': 'builder', 'c.d': '1' });
      await s.stop();
      process.env['KJOB_CONF'] = '[1]';
      await assert.rejects(Session.builder().master('inline').getOrCreate(), /KJOB_CONF must be a JSON object/);
    } finally {
      for (const [k, v] of [['KJOB_APP_NAME', saved.name], ['KJOB_CONF', saved.conf]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
  it('refuses actions after stop', async () => {
    const s = await Session.builder().master('inline').getOrCreate();
    const df = s.range(3);
    await s.stop();
    await assert.rejects(df.count(), /is stopped/);
  });
  it('validates range arguments and the createDataFrame size cap', async () => {
    const s = await Session.builder().master('inline').config('kjob.localData.maxBytes', 2048).getOrCreate();
    try {
      assert.throws(() => s.range(0, 10, 0), /step must not be 0/);
      assert.throws(() => s.range(10, { partitions: 0 }), /partitions must be a positive integer/);
      assert.throws(() => s.range(1.5), /end must be an integer/);
      assert.equal(await s.range(5, 0, -1).count(), 5);
      assert.equal(await s.range(2n ** 62n, 2n ** 62n + 3n).count(), 3);
      assert.throws(() => s.createDataFrame([{ s: 'x'.repeat(4096) }]), /over the 2048-byte cap/);
    } finally {
      await s.stop();
    }
  });
  it('stops a job module imported by an executor at getOrCreate and at actions', async () => {
    const s = await Session.builder().master('inline').getOrCreate();
    const df = s.range(1);
    (globalThis as Record<string, unknown>)['__kjobExecutorImport'] = true;
    try {
      await assert.rejects(Session.builder().getOrCreate(), ExecutorImportAbort);
      await assert.rejects(df.count(), ExecutorImportAbort);
    } finally {
      (globalThis as Record<string, unknown>)['__kjobExecutorImport'] = false;
      await s.stop();
    }
  });
  it('rejects an unknown master with a message naming it', async () => {
    await assert.rejects(Session.builder().master('yarn').getOrCreate(), /yarn/);
  });
});
