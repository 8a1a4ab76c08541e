import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/driver/session.js';
import { onSave, type SaveEvent } from '../../src/driver/dataframe-writer.js';
import { readRunReport, RunReportRecorder, writeOfSave, type RunReport } from '../../src/scheduler/run-report.js';

describe('run report of kjob submit (KJOB_RUN_REPORT)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kjob-report-'));
  let spark: Session;
  before(async () => {
    spark = await Session.builder().appName('run report').master('inline').getOrCreate();
  });
  after(async () => {
    await spark?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every completed save reaches the listeners, a skipped one too; unsubscribing stops it', async () => {
    const seen: SaveEvent[] = [];
    const off = onSave((e) => seen.push(e));
    const df = spark.createDataFrame([{ id: 1 }, { id: 2 }], 'id int');
    await df.write.parquet(join(dir, 'a'));
    await df.write.mode('ignore').parquet(join(dir, 'a'));
    off();
    await df.write.parquet(join(dir, 'b'));
    assert.deepEqual(seen.map((e) => [e.format, e.path, e.result.rows, e.result.skipped]), [['parquet', join(dir, 'a'), 2, false], ['parquet', join(dir, 'a'), 0, true]]);
  });

  it('a throwing listener does not fail the write', async () => {
    const off = onSave(() => {
      throw new Error('observer bug');
    });
    try {
      const r = await spark.createDataFrame([{ id: 1 }], 'id int').write.parquet(join(dir, 'c'));
      assert.equal(r.rows, 1);
    } finally {
      off();
    }
  });

  it('the recorder writes the report once: outcome, redacted error, writes, elapsed', () => {
    const file = join(dir, 'report.json');
    const rec = RunReportRecorder.fromEnv({ KJOB_RUN_REPORT: file })!;
    assert.equal(RunReportRecorder.fromEnv({}), undefined);
    rec.addWrite(writeOfSave('kusto', { rows: 7, bytes: 70, detail: { requestId: 'req-7' } }));
    rec.finish('failed', new Error('upload refused: https://a.blob.core.windows.net/c?sig=SIGSIG'));
    rec.finish('succeeded');
    const report = JSON.parse(readFileSync(file, 'utf8')) as RunReport;
    assert.equal(report.outcome, 'failed');
    assert.equal(report.error, 'Error: upload refused: https://a.blob.core.windows.net/c?sig=<redacted>');
    assert.deepEqual(report.writes, [{ format: 'kusto', rows: 7, bytes: 70, requestId: 'req-7' }]);
    assert.ok(report.elapsedMs >= 0);
    assert.deepEqual(readRunReport(file), report);
    assert.equal(readRunReport(join(dir, 'missing.json')), undefined);
  });
});
