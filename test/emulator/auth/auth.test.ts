import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KustoServiceError, type RequestInfo } from '../../../src/emulator/contracts.js';
import { RoleStore, principalsMatch } from '../../../src/emulator/auth/role-store.js';
import { requiredRole } from '../../../src/emulator/auth/required-role.js';
import { Authorizer, bearerToken } from '../../../src/emulator/auth/auth-hook.js';
import { parsePrincipalList, principalCommandHandlers } from '../../../src/emulator/auth/principal-commands.js';

const req = (text: string, authorization: string | undefined, endpoint: RequestInfo['endpoint'] = 'mgmt', database = 'db'): RequestInfo => ({ endpoint, database, text, clientRequestId: undefined, authorization });
const ctx = { database: 'db', clientRequestId: undefined, principal: undefined };

function outcome(fn: () => void): number | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof KustoServiceError);
    return e.httpStatus;
  }
}

describe('roles', () => {
  it('matches principals case-insensitively, tenant optional on one side', () => {
    assert.ok(principalsMatch('aadapp=ABC;tenant1', 'AADAPP=abc;TENANT1'));
    assert.ok(principalsMatch('aadapp=abc', 'aadapp=abc;tenant1'));
    assert.ok(!principalsMatch('aadapp=abc;t1', 'aadapp=abc;t2'));
    assert.ok(!principalsMatch('aadapp=abc', 'aadapp=abcd'));
  });

  it('applies role implications (admin covers all; users cover viewers; ingestors do not query)', () => {
    const s = new RoleStore();
    s.add('db', 'admins', 'aadapp=a');
    s.add('db', 'ingestors', 'aadapp=i');
    s.add('db', 'users', 'aadapp=u');
    assert.ok(s.has('aadapp=a', 'db', 'ingestors') && s.has('aadapp=a', 'db', 'viewers'));
    assert.ok(s.has('aadapp=u', 'db', 'viewers') && !s.has('aadapp=u', 'db', 'ingestors'));
    assert.ok(!s.has('aadapp=i', 'db', 'viewers'));
    assert.ok(!s.has('aadapp=a', 'other', 'viewers'));
    assert.equal(s.drop('db', 'admins', 'aadapp=a;tenant'), 1);
    assert.ok(!s.has('aadapp=a', 'db', 'viewers'));
  });

  it('classifies requests by the role they need', () => {
    assert.equal(requiredRole('query', 'T | take 1').role, 'viewers');
    assert.equal(requiredRole('mgmt', '.show tables').role, 'viewers');
    assert.equal(requiredRole('mgmt', '.export async to parquet ("x") <| T').role, 'viewers');
    assert.deepEqual(requiredRole('dm', '.get ingestion resources'), { role: 'ingestors', anyDatabase: true, operation: '.get ingestion' });
    assert.equal(requiredRole('mgmt', '.set-or-append T <| S').role, 'ingestors');
    assert.equal(requiredRole('ingest', 'db.T').role, 'ingestors');
    assert.equal(requiredRole('mgmt', '.create table T (a:int)').role, 'users');
    assert.equal(requiredRole('mgmt', '.move extents all from table A to table B').role, 'admins');
    assert.equal(requiredRole('mgmt', '.add database db viewers (\'aadapp=x\')').role, 'admins');
    assert.equal(requiredRole('mgmt', '.emulator fault clear').role, 'clusterAdmin');
  });
});

describe('Authorizer hook', () => {
  const roles = new RoleStore();
  roles.add('db', 'viewers', 'aadapp=viewer');
  roles.add('db', 'ingestors', 'aadapp=ingestor');
  const auth = new Authorizer({ tokens: { 'tok-admin': 'aadapp=root', 'tok-view': 'aadapp=viewer', 'tok-ingest': 'aadapp=ingestor;t1', 'tok-none': 'aadapp=nobody' }, clusterAdmins: ['aadapp=root'] }, roles);

  it('parses bearer tokens', () => {
    assert.equal(bearerToken('Bearer abc.def'), 'abc.def');
    assert.equal(bearerToken('bearer  x '), 'x');
    assert.equal(bearerToken('Basic x'), undefined);
    assert.equal(bearerToken(undefined), undefined);
  });

  it('401 without or with an unknown token', () => {
    assert.equal(outcome(() => auth.hook(req('T', undefined, 'query'))), 401);
    assert.equal(outcome(() => auth.hook(req('T', 'Bearer wrong', 'query'))), 401);
  });

  it('403 naming the missing role; 200 paths for the right roles', () => {
    assert.equal(outcome(() => auth.hook(req('T | count', 'Bearer tok-view', 'query'))), 'ok');
    assert.equal(outcome(() => auth.hook(req('T | count', 'Bearer tok-ingest', 'query'))), 403);
    assert.throws(() => auth.hook(req('.set-or-append T <| S', 'Bearer tok-view')), (e: KustoServiceError) => e.httpStatus === 403 && /Database Ingestor role \(ingestors\)/.test(e.message) && /aadapp=viewer/.test(e.message));
    assert.equal(outcome(() => auth.hook(req('.get ingestion resources', 'Bearer tok-ingest', 'dm', 'NetDefaultDB'))), 'ok');
    assert.equal(outcome(() => auth.hook(req('.get ingestion resources', 'Bearer tok-none', 'dm', 'NetDefaultDB'))), 403);
    assert.equal(outcome(() => auth.hook(req('db.T', 'Bearer tok-ingest', 'ingest'))), 'ok');
    assert.equal(outcome(() => auth.hook(req('.emulator fault clear', 'Bearer tok-view'))), 403);
    assert.equal(outcome(() => auth.hook(req('.emulator fault clear', 'Bearer tok-admin'))), 'ok');
    assert.equal(outcome(() => auth.hook(req('.drop table T', 'Bearer tok-admin', 'mgmt', 'any'))), 'ok');
  });
});

describe('principal commands', () => {
  it('adds, shows and drops principals', async () => {
    const store = new RoleStore();
    const [addDrop, show] = principalCommandHandlers(store, (db) => db === 'db' || db === 'my db');
    assert.ok(addDrop!.matches(".add database db viewers ('aadapp=x')"));
    const added = await addDrop!.run(".add database db viewers ('aadapp=app1;tenant', \"aaduser=a@b.c\") 'reader apps'", ctx);
    assert.deepEqual(added.rows, [
      ['Database db Viewer', 'AAD Application', 'app1', 'app1', 'aadapp=app1;tenant', 'reader apps'],
      ['Database db Viewer', 'AAD User', 'a@b.c', 'a@b.c', 'aaduser=a@b.c', 'reader apps'],
    ]);
    await addDrop!.run(".add database ['my db'] ingestors ('aadapp=ing')", ctx);
    assert.ok(store.has('aadapp=ing', 'my db', 'ingestors'));
    assert.ok(show!.matches(".show database ['my db'] principals"));
    assert.equal((await show!.run(".show database ['my db'] principals", ctx)).rows.length, 1);
    await addDrop!.run(".drop database db viewers ('aadapp=app1')", ctx);
    assert.equal((await show!.run('.show database db principals', ctx)).rows.length, 1);
    await assert.rejects(addDrop!.run(".add database nope viewers ('aadapp=x')", ctx), /Database 'nope' was not found/);
    await assert.rejects(addDrop!.run(".add database db monitors ('aadapp=x')", ctx), /Unknown database role 'monitors'/);
  });

  it('rejects malformed principal lists', () => {
    assert.deepEqual(parsePrincipalList(" 'aadapp=a' , \"aadgroup=g\" "), ['aadapp=a', 'aadgroup=g']);
    assert.throws(() => parsePrincipalList('aadapp=a'), /quoted principals/);
    assert.throws(() => parsePrincipalList("'bob'"), /must be written as aadapp=/);
  });
});
