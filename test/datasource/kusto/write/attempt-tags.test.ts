import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sinkOptions, useSinkTestContext } from './support.js';

// Kusto does not merge extents whose drop-by tag sets differ: a committed write must not leave its
// per-attempt tags on the destination, while the user's own tags stay.
const sink = useSinkTestContext('kusto attempt tags', { 'kjob.task.maxAttempts': 1, 'kjob.kusto.writeTaskSizing': 'off' });

const df = () => sink.spark.createDataFrame(Array.from({ length: 40 }, (_, i) => ({ id: i, name: `n${i}` })), 'id bigint, name string', { partitions: 2 });
const destinationTags = async (table: string): Promise<string[]> =>
  (await sink.probe.rows('db', `.show table ['${table}'] extents`)).flatMap((r) => String(r['Tags'] ?? '').split('\r\n').filter(Boolean));

describe('Transactional commit: attempt tags', () => {
  it('are removed from the destination after the move; the user\'s dropByTags and additionalTags are kept', async () => {
    const props = JSON.stringify({ dropByTags: ['nightly-2026-12-04'], additionalTags: ['source:flights'] });
    const result = await df().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'Tagged', { tableCreateOptions: 'CreateIfNotExist', sparkIngestionPropertiesJson: props })).mode('append').save();
    assert.equal((result.detail as { attemptTagsReleased?: boolean }).attemptTagsReleased, true);
    assert.equal(await sink.probe.count('db', 'Tagged'), 40);
    const tags = await destinationTags('Tagged');
    assert.deepEqual(tags.filter((t) => t.startsWith('drop-by:kjob-')), []);
    assert.ok(tags.includes('drop-by:nightly-2026-12-04'), `user drop-by tag kept: ${tags.join(', ')}`);
    assert.ok(tags.includes('source:flights'), `additional tag kept: ${tags.join(', ')}`);
  });

  it('a failure to remove them leaves the write committed (rows in place) and reports attemptTagsReleased=false', async () => {
    await sink.probe.rows('db', '.emulator fault fail 5 status 500 on mgmt matching "extent tags"');
    try {
      const result = await df().write.format('kusto').options(sinkOptions(sink.emu.clusterUrl, 'TagKept', { tableCreateOptions: 'CreateIfNotExist' })).mode('append').save();
      assert.equal((result.detail as { attemptTagsReleased?: boolean }).attemptTagsReleased, false);
      assert.equal(await sink.probe.count('db', 'TagKept'), 40);
      assert.ok((await destinationTags('TagKept')).some((t) => t.startsWith('drop-by:kjob-')));
    } finally {
      await sink.probe.rows('db', '.emulator fault clear');
    }
  });
});
