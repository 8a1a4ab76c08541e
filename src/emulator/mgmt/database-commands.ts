import { KustoServiceError } from '../contracts.js';
import { NAME, unquoteName } from './command-syntax.js';
import { g, resultTable, type MgmtCommand } from './command-types.js';

/** Database-level commands. */
export const databaseCommands: MgmtCommand[] = [
  {
    name: 'show databases',
    pattern: /^\.show\s+databases\s*$/i,
    async run(_m, { engine, database }) {
      return resultTable(
        [['DatabaseName', 'string'], ['PersistentStorage', 'string'], ['Version', 'string'], ['IsCurrent', 'bool'], ['DatabaseAccessMode', 'string'], ['PrettyName', 'string'], ['ReservedSlot1', 'bool'], ['DatabaseId', 'guid'], ['InTransition', 'bool']],
        [...engine.store.catalog.databases.values()].map((d) => [d.name, d.volatile ? '' : 'kjob-emulator', 'v1.0', d.name === database, 'ReadWrite', null, false, null, false]),
      );
    },
  },
  {
    name: 'create database',
    pattern: new RegExp(String.raw`^\.create\s+database\s+(?<db>${NAME})(?:\s+(?<kind>volatile|persist\s*\([\s\S]*\)))?\s*(?<ifnotexists>ifnotexists)?\s*$`, 'i'),
    async run(m, { engine }) {
      const db = unquoteName(g(m, 'db'));
      if (engine.store.database(db) && g(m, 'ifnotexists') === '') throw new KustoServiceError(400, 'BadRequest_EntityAlreadyExists', `Database '${db}' already exists.`);
      await engine.store.write((tx) => tx.ensureDatabase(db, g(m, 'kind').toLowerCase() === 'volatile'));
      return resultTable([['DatabaseName', 'string'], ['PersistentStorage', 'string'], ['Version', 'string'], ['IsCurrent', 'bool'], ['DatabaseAccessMode', 'string'], ['PrettyName', 'string'], ['DatabaseId', 'guid']], [[db, '', 'v1.0', false, 'ReadWrite', null, null]]);
    },
  },
  {
    name: 'drop database',
    pattern: new RegExp(String.raw`^\.drop\s+database\s+(?<db>${NAME})\s*(?<ifexists>ifexists)?\s*$`, 'i'),
    async run(m, { engine }) {
      const db = unquoteName(g(m, 'db'));
      if (!engine.store.database(db)) {
        if (g(m, 'ifexists') !== '') return resultTable([['DatabaseName', 'string']], []);
        throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Database '${db}' was not found.`);
      }
      await engine.store.write((tx) => tx.dropDatabase(db));
      return resultTable([['DatabaseName', 'string']], [[db]]);
    },
  },
];
