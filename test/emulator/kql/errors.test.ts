import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KustoServiceError } from '../../../src/emulator/contracts.js';
import type { KqlTestDb } from './kql-test-db.js';
import { fixtureDb } from './fixtures.js';

/** Errors are KustoServiceError 400 with the exception type ADX reports, naming the culprit. */

let db: KqlTestDb;
before(async () => {
  db = await fixtureDb();
});
after(() => db.close());

function fails(kql: string, kustoType: string, message: RegExp): void {
  assert.throws(
    () => db.translate(kql),
    (e: unknown) => {
      assert.ok(e instanceof KustoServiceError, `expected KustoServiceError, got ${String(e)}`);
      assert.equal(e.httpStatus, 400);
      assert.equal(e.code, 'General_BadRequest');
      assert.equal(e.kustoType, kustoType);
      assert.match(e.message, message);
      return true;
    },
  );
}

const SYNTAX = 'Kusto.Data.Exceptions.SyntaxException';
const SEMANTIC = 'Kusto.Data.Exceptions.SemanticException';

describe('translation errors', () => {
  it('syntax errors carry the parser message and the position', () => {
    fails('Events | where n > ', SYNTAX, /Missing expression at line 1, position 19/);
    fails('Events\n| where (n > 1', SYNTAX, /line 2/);
    fails('Events | projec n', SYNTAX, /Syntax error/);
  });

  it('unknown column, table and function are semantic errors naming them', () => {
    fails('Events | where nope > 1', SEMANTIC, /'nope'.*KS142/);
    fails('Nope | take 1', SEMANTIC, /'Nope'.*KS204/);
    fails('Events | extend y = foo(n)', SEMANTIC, /'foo'/);
  });

  it('type errors are semantic errors', () => {
    fails('Events | where ts > "x"', SEMANTIC, /operator '>' is not defined/);
  });

  it('operators, functions, aggregates and plugins outside the subset are named', () => {
    fails('Events | top-nested 2 of name by count()', SEMANTIC, /^Operator 'top-nested' is not supported by the kjob emulator/);
    fails('Events | sample 2', SEMANTIC, /^Operator 'sample' is not supported/);
    fails('Events | mv-apply x = d limit 2 on (take 1)', SEMANTIC, /^Operator 'mv-apply' is not supported by the kjob emulator: limit/);
    fails('Events | make-series count() on ts step 1h', SEMANTIC, /^Operator 'make-series' is not supported/);
    fails('Events | parse name with a "x" b', SEMANTIC, /^Operator 'parse' is not supported/);
    fails('Events | extend h = url_encode(name)', SEMANTIC, /^Function 'url_encode' is not supported/);
    fails('Events | summarize hll(n)', SEMANTIC, /^Aggregate 'hll' is not supported/);
    fails('Events | evaluate bag_unpack(d)', SEMANTIC, /^Plugin 'bag_unpack' is not supported/);
    fails('let f = (x:long) { x + 1 }; print f(1)', SEMANTIC, /not supported.*user-defined functions/);
  });

  it('a management command is not a query', () => {
    assert.throws(() => db.translate('.show tables'), KustoServiceError);
  });

  it('runtime SQL stays valid for odd identifiers and literals', async () => {
    const r = await db.query(`print ['a"b'] = "x'y", ['c d'] = 'q"r'`);
    assert.deepEqual(r.names, ['a"b', 'c d']);
    assert.deepEqual(r.rows, [["x'y", 'q"r']]);
  });
});
