/** Check 1a: the cluster answers, and the database is visible to the caller. */
import type { Finding } from '../finding.js';
import { text, type Row } from '../rows.js';

export function checkConnectivity(input: { clusterUrl: string; database: string; version: readonly Row[]; databases: readonly Row[] | { error: string } }): Finding[] {
  const v = input.version[0];
  const version = v ? text(v, 'ProductVersion') || text(v, 'BuildVersion') : '';
  const out: Finding[] = [{ check: 'connectivity', status: 'ok', title: `Connected to ${input.clusterUrl}${version ? ` (${version})` : ''}`, data: { clusterUrl: input.clusterUrl, version } }];
  if ('error' in input.databases) {
    out.push({ check: 'connectivity', status: 'info', title: `Could not list databases: ${input.databases.error}` });
    return out;
  }
  const names = input.databases.map((r) => text(r, 'DatabaseName'));
  if (names.includes(input.database)) {
    out.push({ check: 'connectivity', status: 'ok', title: `Database '${input.database}' is visible to the caller` });
  } else {
    const near = names.find((n) => n.toLowerCase() === input.database.toLowerCase());
    out.push({
      check: 'connectivity',
      status: 'fail',
      title: `Database '${input.database}' was not found${near ? ` (did you mean '${near}'?)` : ''}`,
      cause: 'The database name is misspelled, or the principal has no role on it (Kusto lists only the databases a caller may see).',
      resolution: `Check the name with .show databases; a database admin grants access with .add database ['${input.database}'] viewers ('aadapp=<app id>;<tenant>').`,
      data: { databases: names },
    });
  }
  return out;
}
