import { KustoServiceError } from '../contracts.js';
import type { MappingMeta } from '../engine/catalog-types.js';
import { nowTicks } from '../engine/ticks.js';
import { parseMapping } from '../ingest/column-mapping.js';
import { NAME, parseLiteralAt, parseSingleLiteralAt, unquoteName } from './command-syntax.js';
import { g, resultTable, type MgmtCommand } from './command-types.js';

/** Ingestion mappings stored per table and kind. */
const KIND = '(?<kind>csv|json|parquet|avro|apacheavro|orc|w3clogfile)';

function kindName(k: string): string {
  const l = k.toLowerCase();
  return l === 'apacheavro' ? 'avro' : l;
}

function mappingRows(list: readonly MappingMeta[], tableName: string): unknown[][] {
  return list.map((m) => [m.name, m.kind.charAt(0).toUpperCase() + m.kind.slice(1), m.mapping, m.lastUpdatedOn, m.database, tableName]);
}
const MAPPING_COLUMNS = [['Name', 'string'], ['Kind', 'string'], ['Mapping', 'string'], ['LastUpdatedOn', 'datetime'], ['Database', 'string'], ['Table', 'string']] as const;

export const mappingCommands: MgmtCommand[] = [
  {
    name: 'create ingestion mapping',
    pattern: new RegExp(String.raw`^\.(?<verb>create|create-or-alter|alter)\s+table\s+(?<name>${NAME})\s+ingestion\s+${KIND}\s+mapping\s+(?<rest>[\s\S]+)$`, 'i'),
    async run(m, { engine, database }) {
      const t = engine.requireTable(database, unquoteName(g(m, 'name')));
      const rest = g(m, 'rest');
      const nameLit = parseSingleLiteralAt(rest, 0);
      const body = parseLiteralAt(rest, nameLit.end);
      // Validate now so a broken mapping fails at creation, not at the first ingestion.
      parseMapping(body.value, `'${nameLit.value}'`);
      const kind = kindName(g(m, 'kind'));
      const verb = g(m, 'verb').toLowerCase();
      const exists = [...engine.store.catalog.mappings.values()].some((x) => x.tableId === t.id && x.kind === kind && x.name === nameLit.value);
      if (verb === 'create' && exists) throw new KustoServiceError(400, 'BadRequest_EntityAlreadyExists', `Ingestion mapping '${nameLit.value}' of kind ${kind} already exists for table '${t.name}'.`);
      if (verb === 'alter' && !exists) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Ingestion mapping '${nameLit.value}' of kind ${kind} was not found for table '${t.name}'.`);
      const meta: MappingMeta = { database, tableId: t.id, kind, name: nameLit.value, mapping: body.value, lastUpdatedOn: nowTicks() };
      await engine.store.write((tx) => tx.setMapping(meta));
      return resultTable(MAPPING_COLUMNS, mappingRows([meta], t.name));
    },
  },
  {
    name: 'show ingestion mappings',
    pattern: new RegExp(String.raw`^\.show\s+table\s+(?<name>${NAME})\s+ingestion(?:\s+${KIND})?\s+mappings?(?:\s+(?<which>\S[\s\S]*?))?\s*$`, 'i'),
    async run(m, { engine, database }) {
      const t = engine.requireTable(database, unquoteName(g(m, 'name')));
      const kind = g(m, 'kind') ? kindName(g(m, 'kind')) : undefined;
      const which = g(m, 'which') ? parseLiteralAt(g(m, 'which'), 0).value : undefined;
      const list = [...engine.store.catalog.mappings.values()].filter((x) => x.tableId === t.id && (!kind || x.kind === kind) && (which === undefined || x.name === which));
      return resultTable(MAPPING_COLUMNS, mappingRows(list, t.name));
    },
  },
  {
    name: 'drop ingestion mapping',
    pattern: new RegExp(String.raw`^\.drop\s+table\s+(?<name>${NAME})\s+ingestion\s+${KIND}\s+mapping\s+(?<which>[\s\S]+)$`, 'i'),
    async run(m, { engine, database }) {
      const t = engine.requireTable(database, unquoteName(g(m, 'name')));
      const kind = kindName(g(m, 'kind'));
      const which = parseLiteralAt(g(m, 'which'), 0).value;
      if (![...engine.store.catalog.mappings.values()].some((x) => x.tableId === t.id && x.kind === kind && x.name === which)) {
        throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Ingestion mapping '${which}' of kind ${kind} was not found for table '${t.name}'.`);
      }
      await engine.store.write((tx) => tx.setMapping({ database, tableId: t.id, kind, name: which, mapping: null }));
      return resultTable(MAPPING_COLUMNS, []);
    },
  },
];
