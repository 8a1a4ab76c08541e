import { KustoServiceError, type ResultTable } from '../contracts.js';
import type { KustoEngine } from '../engine/kusto-engine.js';
import { NAME, parseLiteralAt, syntaxError, unquoteName } from './command-syntax.js';
import { g, resultTable, type MgmtCommand } from './command-types.js';

/** Table and database policies: stored as JSON text, shown as the service shows them. */

const POLICY_NAMES: Record<string, string> = {
  ingestionbatching: 'IngestionBatchingPolicy',
  merge: 'ExtentsMergePolicy',
  retention: 'RetentionPolicy',
  streamingingestion: 'StreamingIngestionPolicy',
  auto_delete: 'AutoDeletePolicy',
  caching: 'CachingPolicy',
  partitioning: 'DataPartitioningPolicy',
  update: 'UpdatePolicy',
  sharding: 'ExtentsShardingPolicy',
  ingestiontime: 'IngestionTimePolicy',
  extent_tags_retention: 'ExtentTagsRetentionPolicy',
  row_level_security: 'RowLevelSecurityPolicy',
  restricted_view_access: 'RestrictedViewAccessPolicy',
  encoding: 'EncodingPolicy',
  mirroring: 'MirroringPolicy',
  rowstore: 'RowStorePolicy',
};
const KINDS = Object.keys(POLICY_NAMES).join('|');

function policyKind(raw: string): string {
  const k = raw.toLowerCase();
  if (!POLICY_NAMES[k]) throw syntaxError(`unknown policy kind '${raw}'`);
  return k;
}

function showPolicy(engine: KustoEngine, database: string, tableId: number | null, tableName: string | null, kind: string): ResultTable {
  const policy = engine.store.policy(database, tableId, kind) ?? null;
  return resultTable(
    [['PolicyName', 'string'], ['EntityName', 'string'], ['Policy', 'string'], ['ChildEntities', 'string'], ['EntityType', 'string']],
    [[POLICY_NAMES[kind]!, tableName === null ? `[${database}]` : `[${database}].[${tableName}]`, policy ?? 'null', tableName === null ? JSON.stringify(engine.store.catalog.tablesOf(database).map((t) => t.name)) : null, tableName === null ? 'Database' : 'Table']],
  );
}

/** The policy text after `policy <kind>`: a literal, or `enable`/`disable` for streaming ingestion. */
function policyValue(kind: string, rest: string, existing: string | undefined, merge: boolean): string {
  const r = rest.trim().replace(/;\s*$/, '');
  if (/^(enable|disable)$/i.test(r)) {
    if (kind !== 'streamingingestion') throw syntaxError(`'${r}' applies only to the streamingingestion policy`);
    return JSON.stringify({ IsEnabled: r.toLowerCase() === 'enable', HintAllocatedRate: null });
  }
  const lit = parseLiteralAt(r, 0);
  if (r.slice(lit.end).trim() !== '') throw syntaxError(`unexpected text after the policy: '${r.slice(lit.end).trim().slice(0, 40)}'`);
  let value: unknown;
  try {
    value = JSON.parse(lit.value);
  } catch (err) {
    throw new KustoServiceError(400, 'General_BadRequest', `The ${POLICY_NAMES[kind]} is not valid JSON: ${(err as Error).message}`);
  }
  if (merge && existing && value && typeof value === 'object' && !Array.isArray(value)) {
    value = { ...(JSON.parse(existing) as object), ...(value as object) };
  }
  return JSON.stringify(value);
}

export const policyCommands: MgmtCommand[] = [
  {
    name: 'show table policy',
    pattern: new RegExp(String.raw`^\.show\s+table\s+(?<name>${NAME})\s+policy\s+(?<kind>${KINDS})\s*$`, 'i'),
    async run(m, { engine, database }) {
      const t = engine.requireTable(database, unquoteName(g(m, 'name')));
      return showPolicy(engine, database, t.id, t.name, policyKind(g(m, 'kind')));
    },
  },
  {
    name: 'show database policy',
    pattern: new RegExp(String.raw`^\.show\s+database\s+(?<db>${NAME})\s+policy\s+(?<kind>${KINDS})\s*$`, 'i'),
    async run(m, { engine }) {
      const db = unquoteName(g(m, 'db'));
      await engine.ensureDatabase(db);
      return showPolicy(engine, db, null, null, policyKind(g(m, 'kind')));
    },
  },
  {
    name: 'alter table policy',
    pattern: new RegExp(String.raw`^\.(?<verb>alter|alter-merge)\s+table\s+(?<name>${NAME})\s+policy\s+(?<kind>${KINDS})\s+(?<rest>[\s\S]+)$`, 'i'),
    async run(m, { engine, database }) {
      const kind = policyKind(g(m, 'kind'));
      const t = engine.requireTable(database, unquoteName(g(m, 'name')));
      const value = policyValue(kind, g(m, 'rest'), engine.store.policy(database, t.id, kind), g(m, 'verb').toLowerCase() === 'alter-merge');
      await engine.store.write((tx) => tx.setPolicy(database, t.id, kind, value));
      return showPolicy(engine, database, t.id, t.name, kind);
    },
  },
  {
    name: 'alter database policy',
    pattern: new RegExp(String.raw`^\.(?<verb>alter|alter-merge)\s+database\s+(?<db>${NAME})\s+policy\s+(?<kind>${KINDS})\s+(?<rest>[\s\S]+)$`, 'i'),
    async run(m, { engine }) {
      const kind = policyKind(g(m, 'kind'));
      const db = unquoteName(g(m, 'db'));
      await engine.ensureDatabase(db);
      const value = policyValue(kind, g(m, 'rest'), engine.store.policy(db, null, kind), g(m, 'verb').toLowerCase() === 'alter-merge');
      await engine.store.write((tx) => tx.setPolicy(db, null, kind, value));
      return showPolicy(engine, db, null, null, kind);
    },
  },
  {
    name: 'delete policy',
    pattern: new RegExp(String.raw`^\.delete\s+(?<entity>table|database)\s+(?<name>${NAME})\s+policy\s+(?<kind>${KINDS})\s*$`, 'i'),
    async run(m, { engine, database }) {
      const kind = policyKind(g(m, 'kind'));
      if (g(m, 'entity').toLowerCase() === 'table') {
        const t = engine.requireTable(database, unquoteName(g(m, 'name')));
        await engine.store.write((tx) => tx.setPolicy(database, t.id, kind, null));
        return showPolicy(engine, database, t.id, t.name, kind);
      }
      const db = unquoteName(g(m, 'name'));
      await engine.store.write((tx) => tx.setPolicy(db, null, kind, null));
      return showPolicy(engine, db, null, null, kind);
    },
  },
  {
    // Caches the service keeps for streaming ingestion and batching: the emulator reads policies
    // live, so these succeed without doing anything.
    name: 'clear/refresh caches',
    pattern: new RegExp(String.raw`^\.(?:clear\s+(?:table\s+${NAME}\s+|database\s+)cache\s+streamingingestion\s+schema|refresh\s+database\s+${NAME}\s+table\s+${NAME}\s+cache\s+ingestionbatchingpolicy|refresh\s+database\s+${NAME}\s+cache\s+ingestionbatchingpolicy)\s*$`, 'i'),
    async run() {
      return resultTable([], []);
    },
  },
];
