// A kjob error's likely cause, resolution, request id and context cross the task boundary (the
// worker-thread message and BullMQ's failedReason text) redacted, and TaskFailedError shows them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KjobError } from '../../src/errors/kjob-error.js';
import { TaskFailedError } from '../../src/errors/task-failed-error.js';
import { decodeTaskFailure, encodeTaskFailure, toTaskFailure } from '../../src/protocol/task-failure.js';

class StorageBoom extends KjobError {
  override name = 'StorageBoom';
}

const boom = () =>
  new StorageBoom('STORAGE_FAILED', 'GET https://a.blob.core.windows.net/c/x?sv=1&sig=SECRETSIG failed', {
    likelyCause: 'The SAS https://a.blob.core.windows.net/c?sig=SECRETSIG expired.',
    resolution: 'Renew the SAS.',
    requestId: 'req-42',
    context: { url: 'https://a.blob.core.windows.net/c?sig=SECRETSIG', status: 403, retried: false, missing: undefined },
  });

describe('task error details across the boundary', () => {
  it('round-trip through the encoded text, redacted', () => {
    const f = toTaskFailure(boom());
    assert.deepEqual(f.details, {
      likelyCause: 'The SAS https://a.blob.core.windows.net/c?sig=<redacted> expired.',
      resolution: 'Renew the SAS.',
      requestId: 'req-42',
      context: { url: 'https://a.blob.core.windows.net/c?sig=<redacted>', status: 403, retried: false },
    });
    const text = encodeTaskFailure(f);
    assert.ok(!text.includes('SECRETSIG'));
    assert.ok(text.startsWith('StorageBoom [STORAGE_FAILED]: GET https://a.blob.core.windows.net/c/x?sv=1&sig=<redacted> failed'));
    assert.deepEqual(decodeTaskFailure(text), f);
    // Old executors send no details; text without the marker decodes as before.
    assert.equal(decodeTaskFailure('StorageBoom [STORAGE_FAILED]: x').details, undefined);
    assert.equal(decodeTaskFailure(`${text.split('\n')[0]}\n[kjob task error details] {not json`).details, undefined);
  });

  it('TaskFailedError carries the task error\'s name, cause, resolution, request id and context', () => {
    const f = decodeTaskFailure(encodeTaskFailure(toTaskFailure(boom())));
    const e = new TaskFailedError({ appId: 'a', jobId: 'job-1', stageId: 0, partition: 1, numPartitions: 2, attempts: 3, errorName: f.name, errorMessage: f.message, errorCode: f.code!, errorDetails: f.details! });
    const text = e.describe();
    assert.match(text, /^TaskFailedError: Task 2\/2 of stage 0 \(job job-1\) failed after 3 attempts: StorageBoom: /);
    assert.match(text, /Likely cause: The SAS https:\/\/a\.blob\.core\.windows\.net\/c\?sig=<redacted> expired\./);
    assert.match(text, /Resolution: Renew the SAS\./);
    assert.match(text, /Request id: req-42/);
    assert.match(text, /Caused by: StorageBoom: GET/);
    assert.equal(e.taskError.name, 'StorageBoom');
    assert.equal(e.taskError.context['status'], 403);
    assert.equal(e.taskError.context['code'], 'STORAGE_FAILED');
    const plain = new TaskFailedError({ appId: 'a', jobId: 'j', stageId: 0, partition: 0, numPartitions: 1, attempts: 1, errorName: 'TypeError', errorMessage: 'x' });
    assert.match(plain.describe(), /Likely cause: The error is one that retrying cannot fix/);
  });
});
