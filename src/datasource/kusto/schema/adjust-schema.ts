/**
 * `adjustSchema` (reference §3.3): how the DataFrame's columns meet the destination table's.
 * - NoAdjustment: CSV columns map by position; nothing to check.
 * - FailIfNotMatch: the column names must be equal, in order, case-sensitively (types are not
 *   compared).
 * - GenerateDynamicCsvMapping: a CSV mapping by name is generated (ordinals of the source columns),
 *   typed with the target's column types.
 *
 * Two deliberate fixes of the connector: FailIfNotMatch against a table that does not exist yet
 * passes under CreateIfNotExist (the table is then created from the DataFrame, so it matches; the
 * connector always failed); and with GenerateDynamicCsvMapping, source columns missing from an
 * existing target are an error under CreateIfNotExist too (the connector dropped them silently).
 */
import { SchemaMatchException } from '../errors/parameter-errors.js';
import type { KustoColumnSpec } from '../kql/table-commands.js';
import type { AdjustSchemaMode, TableCreateMode, WriteMode } from '../options/sink-options.js';

export const SOURCE_LOCATION_COLUMN = 'ingestion_source_location_url_blob_internal';

export interface CsvMappingEntry {
  readonly columnName: string;
  readonly columnType: string;
  readonly properties: Readonly<Record<string, string>>;
}

export interface AdjustSchemaInput {
  readonly mode: AdjustSchemaMode;
  /** DataFrame columns with their Kusto types (types/arrow-to-kusto.ts). */
  readonly source: readonly KustoColumnSpec[];
  /** The destination's columns, or undefined when the table does not exist. */
  readonly target: readonly KustoColumnSpec[] | undefined;
  readonly tableCreateMode: TableCreateMode;
  readonly writeMode: WriteMode;
  readonly addSourceLocationTransform: boolean;
  readonly warn?: (message: string) => void;
}

/** Returns the generated CSV mapping (GenerateDynamicCsvMapping), or undefined; throws SchemaMatchException. */
export function adjustSchema(input: AdjustSchemaInput): CsvMappingEntry[] | undefined {
  const mode = input.addSourceLocationTransform ? 'GenerateDynamicCsvMapping' : input.mode;
  const sourceNames = input.source.map((c) => c.name);
  if (mode === 'NoAdjustment') return undefined;
  if (mode === 'FailIfNotMatch') {
    if (input.target === undefined && input.tableCreateMode === 'CreateIfNotExist') return undefined;
    const targetNames = (input.target ?? []).map((c) => c.name);
    if (targetNames.length !== sourceNames.length || targetNames.some((n, i) => n !== sourceNames[i])) {
      throw new SchemaMatchException(`Target table schema does not match to DataFrame schema.Target columns: ${targetNames.join(', ')}.Source columns: ${sourceNames.join(', ')}`, { context: { adjustSchema: mode } });
    }
    return undefined;
  }
  const target = input.target ?? [];
  const targetTypes = new Map(target.map((c) => [c.name, c.type]));
  const notFound = sourceNames.filter((n) => !targetTypes.has(n));
  const targetExists = input.target !== undefined && target.length > 0;
  if (targetExists) {
    if (input.addSourceLocationTransform && targetTypes.get(SOURCE_LOCATION_COLUMN) !== 'string') {
      throw new SchemaMatchException(`addSourceLocationTransform is set to true, but the target schema does not contain the column '${SOURCE_LOCATION_COLUMN}' of type 'string'`, { context: { adjustSchema: mode } });
    }
    if (notFound.length > 0) {
      const message = `Source schema has columns that are not present in the target: ${notFound.join(', ')}.`;
      if (input.writeMode === 'Queued' && input.addSourceLocationTransform) input.warn?.(message);
      else throw new SchemaMatchException(message, { context: { adjustSchema: mode } });
    }
  }
  const entries: CsvMappingEntry[] = [];
  input.source.forEach((c, ordinal) => {
    if (targetExists && !targetTypes.has(c.name)) return; // only reachable in the tolerated Queued case
    const columnType = targetTypes.get(c.name) ?? (input.tableCreateMode === 'CreateIfNotExist' ? c.type : 'string');
    entries.push({ columnName: c.name, columnType, properties: { Ordinal: String(ordinal) } });
  });
  if (input.addSourceLocationTransform) entries.push({ columnName: SOURCE_LOCATION_COLUMN, columnType: 'string', properties: { Transform: 'SourceLocation' } });
  return entries;
}

/** The mapping as the `csvMapping` ingestion property text (compact JSON array). */
export function csvMappingJson(entries: readonly CsvMappingEntry[]): string {
  return JSON.stringify(entries);
}
