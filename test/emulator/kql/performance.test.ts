import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KqlTestDb } from './kql-test-db.js';
import { warmUp } from '../../../src/emulator/kql/index.js';

/**
 * Scale check: the translated SQL must let DuckDB do the work (no row-by-row detour). Times are
 * printed for the report, never asserted (the machine is shared).
 */

const ROWS = 10_000_000;
let db: KqlTestDb;

before(async () => {
  db = await KqlTestDb.create();
  await db.tableAs('Big', [
    { name: 'id', type: 'long' },
    { name: 'k', type: 'long' },
    { name: 's', type: 'string' },
  ], `SELECT range AS id, range % 1000 AS k, 'v' || CAST(range % 7 AS VARCHAR) AS s FROM range(${ROWS})`);
});
after(() => db.close());

describe('performance', () => {
  it('parser warm-up, then per-query translation cost', (t) => {
    const t0 = performance.now();
    warmUp();
    const warm = performance.now() - t0;
    const t1 = performance.now();
    for (let i = 0; i < 50; i++) db.translate(`Big | where k == ${i} | summarize count() by s`);
    const perQuery = (performance.now() - t1) / 50;
    t.diagnostic(`kql parser warm-up ${warm.toFixed(0)} ms; parse+analyse+translate ${perQuery.toFixed(2)} ms per new query`);
  });

  it(`summarize count() by k over ${ROWS.toLocaleString('en')} rows`, async (t) => {
    const t0 = performance.now();
    const r = await db.query('Big | summarize count() by k');
    const ms = performance.now() - t0;
    t.diagnostic(`summarize count() by k over ${ROWS} rows: ${ms.toFixed(0)} ms`);
    assert.equal(r.rows.length, 1000);
    assert.ok(r.rows.every((row) => row[1] === BigInt(ROWS / 1000)));
  });

  it(`filter + string predicate + count over ${ROWS.toLocaleString('en')} rows`, async (t) => {
    const t0 = performance.now();
    const r = await db.query('Big | where s startswith "V3" and k < 500 | count');
    t.diagnostic(`where startswith and k < 500 | count: ${(performance.now() - t0).toFixed(0)} ms`);
    const oracle = await db.connection.runAndReadAll(`SELECT count(*) FROM db1."Big" WHERE s LIKE 'v3%' AND k < 500`);
    assert.deepEqual(r.rows, oracle.getRows());
  });
});
