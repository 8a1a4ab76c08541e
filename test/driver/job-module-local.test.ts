import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { Session } from '../../src/driver/session.js';
import './fixtures/partition-functions-fixture.js';

const fixture = fileURLToPath(new URL('./fixtures/partition-functions-fixture.ts', import.meta.url));
let spark: Session;

before(async () => {
  spark = await Session.builder().master('local[2]').config('kjob.jobModule', fixture).config('kjob.progress', 'off').config('kjob.task.maxAttempts', 1).getOrCreate();
});
after(async () => {
  await spark.stop();
});

describe('partition functions on local[2] worker threads', () => {
  it('workers import the job module to find the functions by name', async () => {
    const rows = await spark.range(8, { partitions: 4 }).mapPartitions('withThread', 'id bigint, thread int').collect();
    assert.deepEqual(rows.map((r) => r['id']), [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    // The functions ran in the workers, not in this (driver) thread.
    assert.ok(rows.every((r) => r['thread'] !== threadId));
  });
  it('a failing foreachPartition fails the action with the function\'s error', async () => {
    await assert.rejects(spark.range(8, { partitions: 4 }).foreachPartition('failOnThree'), /partition with id 3 refused/);
  });
});
