import { KustoServiceError } from '../contracts.js';
import type { CommandHandler, ResultTable } from '../contracts.js';
import type { IngestionFailureLog } from './ingestion-failure-log.js';

/**
 * The data-management commands: `.get ingestion resources`, `.get kusto identity token`,
 * `.show export containers`, `.show ingestion failures`. They are accepted on any database,
 * including `NetDefaultDB` where the ingest SDK sends them.
 */
export interface DmCommandSources {
  /** Rows [ResourceTypeName, StorageRoot]; empty when the no-storage fault fires. */
  ingestionResources(): [string, string][];
  exportContainers(): string[];
  identityToken(): string;
  readonly failures: IngestionFailureLog;
}

function single(columns: [string, 'string'][], rows: unknown[][]): ResultTable {
  return { name: 'Table_0', columns: columns.map(([name, type]) => ({ name, type })), rows };
}

const GET_RESOURCES = /^\.get\s+ingestion\s+resources\b/i;
const GET_TOKEN = /^\.get\s+kusto\s+identity\s+token\b/i;
const SHOW_EXPORT_CONTAINERS = /^\.show\s+export\s+containers\b/i;
const SHOW_FAILURES = /^\.show\s+ingestion\s+failures\b(.*)$/is;

export function dmCommandHandlers(src: DmCommandSources): CommandHandler[] {
  return [
    {
      matches: (t) => GET_RESOURCES.test(t.trim()),
      run: async () => single([['ResourceTypeName', 'string'], ['StorageRoot', 'string']], src.ingestionResources()),
    },
    {
      matches: (t) => GET_TOKEN.test(t.trim()),
      run: async () => single([['AuthorizationContext', 'string']], [[src.identityToken()]]),
    },
    {
      matches: (t) => SHOW_EXPORT_CONTAINERS.test(t.trim()),
      run: async () => single([['StorageRoot', 'string']], src.exportContainers().map((u) => [u])),
    },
    {
      matches: (t) => SHOW_FAILURES.test(t.trim()),
      run: async (text, ctx) => {
        const rest = SHOW_FAILURES.exec(text.trim())![1]!.trim();
        let operationId: string | undefined;
        if (rest !== '') {
          const m = /^with\s*\(\s*OperationId\s*=\s*(?:'([^']*)'|"([^"]*)"|([0-9a-f-]+))\s*\)$/i.exec(rest);
          if (!m) {
            throw new KustoServiceError(400, 'General_BadRequest', `Syntax error: .show ingestion failures accepts only "with (OperationId = '<guid>')" after it, got: ${rest.slice(0, 100)}`, true, 'Kusto.Data.Exceptions.SyntaxException');
          }
          operationId = m[1] ?? m[2] ?? m[3];
        }
        // NetDefaultDB (the DM's default) sees every database, as an admin on the DM would.
        const database = ctx.database.toLowerCase() === 'netdefaultdb' ? undefined : ctx.database;
        return src.failures.toTable({ ...(database !== undefined ? { database } : {}), ...(operationId !== undefined ? { operationId } : {}) });
      },
    },
  ];
}
