import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KustoServiceError, type RequestInfo } from '../../../src/emulator/contracts.js';
import { FaultRegistry } from '../../../src/emulator/faults/fault-registry.js';
import { faultCommandHandler, parseFaultCommand } from '../../../src/emulator/faults/fault-command.js';

const req = (text: string, endpoint: RequestInfo['endpoint'] = 'mgmt'): RequestInfo => ({ endpoint, database: 'db', text, clientRequestId: 'c', authorization: undefined });
const ctx = { database: 'db', clientRequestId: undefined, principal: undefined };

function statusOf(fn: () => void): number | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof KustoServiceError);
    return e.httpStatus;
  }
}

describe('FaultRegistry', () => {
  it('is off by default', () => {
    const f = new FaultRegistry();
    assert.equal(statusOf(() => f.requestHook(req('.show tables'))), undefined);
    assert.equal(f.takeIngestionFault('db', 'T'), undefined);
    assert.deepEqual(f.beforeMoveExtents('db', 'T', ['a', 'b']), {});
    assert.equal(f.takeNoStorage(), false);
  });

  it('throttles the next N matching requests on the chosen endpoint, then stops', () => {
    const f = new FaultRegistry();
    f.add({ kind: 'request', status: 429, count: 2, endpoint: 'query', pattern: '^Late\\b' });
    assert.equal(statusOf(() => f.requestHook(req('Late | count', 'mgmt'))), undefined);
    assert.equal(statusOf(() => f.requestHook(req('Other | count', 'query'))), undefined);
    assert.equal(statusOf(() => f.requestHook(req('late | count', 'query'))), 429);
    assert.equal(statusOf(() => f.requestHook(req('Late | take 1', 'query'))), 429);
    assert.equal(statusOf(() => f.requestHook(req('Late | count', 'query'))), undefined);
    assert.equal(f.list().length, 0);
  });

  it('fails with 500/503 and never faults the .emulator control command itself', () => {
    const f = new FaultRegistry();
    f.add({ kind: 'request', status: 503, count: 0 });
    assert.equal(statusOf(() => f.requestHook(req('.emulator fault clear'))), undefined);
    for (let i = 0; i < 5; i++) assert.equal(statusOf(() => f.requestHook(req('.show tables'))), 503);
    f.clear();
    assert.equal(statusOf(() => f.requestHook(req('.show tables'))), undefined);
  });

  it('a mgmt fault also covers DM commands', () => {
    const f = new FaultRegistry();
    f.add({ kind: 'request', status: 500, count: 1, endpoint: 'mgmt', pattern: 'ingestion resources' });
    assert.equal(statusOf(() => f.requestHook(req('.get ingestion resources', 'dm'))), 500);
  });

  it('hands out ingestion, export, storage and move-extents faults per table', () => {
    const f = new FaultRegistry();
    f.add({ kind: 'ingestion', mode: 'partial', count: 1, table: 'T' });
    assert.equal(f.takeIngestionFault('db', 'U'), undefined);
    assert.equal(f.takeIngestionFault('db', 'T')?.mode, 'partial');
    assert.equal(f.takeIngestionFault('db', 'T'), undefined);

    f.add({ kind: 'moveExtents', mode: 'fail', count: 2, table: 'tmp' });
    assert.match(f.beforeMoveExtents('db', 'tmp', ['e1'])?.fail ?? '', /tmp/);
    assert.ok(f.beforeMoveExtents('db', 'tmp', ['e1']).fail);
    assert.deepEqual(f.beforeMoveExtents('db', 'tmp', ['e1']), {});
    f.add({ kind: 'moveExtents', mode: 'partial', count: 1 });
    assert.deepEqual(f.beforeMoveExtents('db', 'x', ['e1', 'e2', 'e3']), { onlyIds: ['e1', 'e2'] });

    f.add({ kind: 'export', mode: 'timeout', count: 1, timeoutMs: 5 });
    assert.deepEqual(f.takeExportFault(), { mode: 'timeout', timeoutMs: 5, id: 4 });
    f.add({ kind: 'noStorage', count: 1 });
    assert.equal(f.takeNoStorage(), true);
    assert.equal(f.takeNoStorage(), false);
  });

  it('rejects invalid faults with the culprit named', () => {
    const f = new FaultRegistry();
    assert.throws(() => f.add({ kind: 'request', status: 500, count: 1, pattern: '(' }), /pattern "\(" is not a valid regular expression/);
    assert.throws(() => f.add({ kind: 'request', status: 500, count: -1 }), /count must be a non-negative integer/);
    assert.throws(() => f.add({ kind: 'dmDelay', ms: Number.NaN }), /dm delay/);
  });
});

describe('.emulator fault command', () => {
  it('a hung move waits its time (or until clear) and is not taken by beforeMoveExtents', async () => {
    const f = new FaultRegistry();
    f.add({ kind: 'moveExtents', mode: 'hang', count: 1, table: 'tmp', hangMs: 30 });
    assert.deepEqual(f.beforeMoveExtents('db', 'tmp', ['e1']), {});
    assert.equal(await f.moveExtentsHang('db', 'other'), undefined);
    const t0 = Date.now();
    assert.match((await f.moveExtentsHang('db', 'tmp')) ?? '', /hung for 30 ms/);
    assert.ok(Date.now() - t0 >= 25);
    f.add({ kind: 'moveExtents', mode: 'hang', count: 1, hangMs: 60_000 });
    const hung = f.moveExtentsHang('db', 'tmp');
    f.clear();
    assert.match((await hung) ?? '', /hung for 60000 ms/);
    assert.throws(() => f.add({ kind: 'moveExtents', mode: 'hang', count: 1, hangMs: -1 }), /non-negative/);
  });

  it('parses every form', () => {
    assert.deepEqual(parseFaultCommand('.emulator fault throttle 3 on query matching "^T \\\\|"'), { action: 'add', spec: { kind: 'request', status: 429, count: 3, endpoint: 'query', pattern: '^T \\|' } });
    assert.deepEqual(parseFaultCommand('.emulator fault fail status 503 on mgmt'), { action: 'add', spec: { kind: 'request', status: 503, count: 1, endpoint: 'mgmt' } });
    assert.deepEqual(parseFaultCommand(".EMULATOR FAULT ingestion partial 2 table 'My Table' database db transient"), { action: 'add', spec: { kind: 'ingestion', mode: 'partial', count: 2, table: 'My Table', database: 'db', transient: true } });
    assert.deepEqual(parseFaultCommand('.emulator fault dm-delay 1500'), { action: 'add', spec: { kind: 'dmDelay', ms: 1500 } });
    assert.deepEqual(parseFaultCommand('.emulator fault move-extents partial table tmp'), { action: 'add', spec: { kind: 'moveExtents', mode: 'partial', count: 1, table: 'tmp' } });
    assert.deepEqual(parseFaultCommand('.emulator fault move-extents hang 2 table tmp after 500'), { action: 'add', spec: { kind: 'moveExtents', mode: 'hang', count: 2, table: 'tmp', hangMs: 500 } });
    assert.deepEqual(parseFaultCommand('.emulator fault export timeout 1 after 200'), { action: 'add', spec: { kind: 'export', mode: 'timeout', count: 1, timeoutMs: 200 } });
    assert.deepEqual(parseFaultCommand('.emulator fault no-storage 0'), { action: 'add', spec: { kind: 'noStorage', count: 0 } });
    assert.deepEqual(parseFaultCommand('.emulator fault remove 7'), { action: 'remove', id: 7 });
    assert.deepEqual(parseFaultCommand('.emulator fault clear'), { action: 'clear' });
    assert.deepEqual(parseFaultCommand('.emulator faults'), { action: 'list' });
    assert.deepEqual(parseFaultCommand('.emulator fault list'), { action: 'list' });
  });

  it('rejects bad syntax with the usage', () => {
    assert.throws(() => parseFaultCommand('.emulator fault explode'), (e: KustoServiceError) => e.httpStatus === 400 && /unknown fault kind 'explode'/.test(e.message) && /Usage/.test(e.message));
    assert.throws(() => parseFaultCommand('.emulator fault fail status 404'), /status must be 500 or 503/);
    assert.throws(() => parseFaultCommand('.emulator fault ingestion fail 1'), /needs "table <name>"/);
    assert.throws(() => parseFaultCommand('.emulator fault throttle on nowhere'), /endpoint must be one of/);
    assert.throws(() => parseFaultCommand('.emulator fault throttle matching "open'), /unterminated/);
    assert.throws(() => parseFaultCommand('.emulator fault clear now'), /unexpected 'now'/);
  });

  it('adds, lists and clears through the command handler', async () => {
    const reg = new FaultRegistry();
    const h = faultCommandHandler(reg);
    assert.ok(h.matches('  .emulator fault list'));
    assert.ok(!h.matches('.show tables'));
    const added = await h.run('.emulator fault throttle 2 on query', ctx);
    assert.deepEqual(added.rows, [[1, 'request', 'throttle query requests', 2, 0]]);
    assert.equal(statusOf(() => reg.requestHook(req('T', 'query'))), 429);
    assert.deepEqual((await h.run('.emulator faults', ctx)).rows, [[1, 'request', 'throttle query requests', 1, 1]]);
    assert.deepEqual((await h.run('.emulator fault clear', ctx)).rows, []);
    await assert.rejects(h.run('.emulator fault remove 9', ctx), /Fault 9 does not exist/);
  });
});
