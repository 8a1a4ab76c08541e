import { randomUUID } from 'node:crypto';
import type { KustoColumn, KustoType, ResultTable } from '../contracts.js';
import { CLR_TYPE } from '../storage-types.js';
import { formatDatetime, nowTicks } from '../engine/ticks.js';
import { encodeRow } from './wire-values.js';

/**
 * Builders for the two response shapes the SDKs parse (wire protocol §1.3, §1.4): V1 `{"Tables":[…]}`
 * and V2 frame arrays. They return string parts so large results are never held as one JS object.
 */

function v1DataType(t: KustoType): string {
  return CLR_TYPE[t].replace(/^System\.(Data\.SqlTypes\.Sql)?/, '');
}

function v1Table(t: ResultTable): string[] {
  const cols = t.columns.map((c) => `{"ColumnName":${JSON.stringify(c.name)},"DataType":${JSON.stringify(v1DataType(c.type))},"ColumnType":"${c.type}"}`).join(',');
  const parts = [`{"TableName":${JSON.stringify(t.name)},"Columns":[${cols}],"Rows":[`];
  t.rows.forEach((r, i) => parts.push((i > 0 ? ',' : '') + encodeRow(t.columns, r, 'v1')));
  parts.push(']}');
  return parts;
}

/** Appends without spreading: a result of 500k rows is 500k parts, beyond the argument limit. */
function append(parts: string[], more: readonly string[]): void {
  for (const p of more) parts.push(p);
}

/** A V1 body. One table is the PrimaryResult; the SDK needs nothing else for mgmt and v1 queries. */
export function v1Body(tables: readonly ResultTable[]): string[] {
  const parts = ['{"Tables":['];
  tables.forEach((t, i) => {
    if (i > 0) parts.push(',');
    append(parts, v1Table(t));
  });
  parts.push(']}');
  return parts;
}

function v2Columns(cols: readonly KustoColumn[]): string {
  return cols.map((c) => `{"ColumnName":${JSON.stringify(c.name)},"ColumnType":"${c.type}"}`).join(',');
}

function v2DataTable(id: number, kind: string, name: string, t: { columns: readonly KustoColumn[]; rows: readonly (readonly unknown[])[] }): string[] {
  const parts = [`{"FrameType":"DataTable","TableId":${id},"TableKind":"${kind}","TableName":${JSON.stringify(name)},"Columns":[${v2Columns(t.columns)}],"Rows":[`];
  t.rows.forEach((r, i) => parts.push((i > 0 ? ',' : '') + encodeRow(t.columns, r, 'v2')));
  parts.push(']}');
  return parts;
}

const COMPLETION_COLUMNS: KustoColumn[] = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'ClientRequestId', type: 'string' },
  { name: 'ActivityId', type: 'guid' },
  { name: 'SubActivityId', type: 'guid' },
  { name: 'ParentActivityId', type: 'guid' },
  { name: 'Level', type: 'int' },
  { name: 'LevelName', type: 'string' },
  { name: 'StatusCode', type: 'int' },
  { name: 'StatusCodeName', type: 'string' },
  { name: 'EventType', type: 'int' },
  { name: 'EventTypeName', type: 'string' },
  { name: 'Payload', type: 'string' },
];

export interface V2Error {
  readonly code: string;
  readonly message: string;
  readonly kustoType: string;
}

/**
 * A complete, non-progressive V2 answer: header, @ExtendedProperties, the primary result, the
 * completion information and the completion frame. A query that failed after it started (the
 * service's "InData" placement) carries its error as a Level-2 completion row and HasErrors.
 */
export function v2Body(primary: ResultTable | undefined, clientRequestId: string | undefined, error?: V2Error): string[] {
  const activity = randomUUID();
  const zero = '00000000-0000-0000-0000-000000000000';
  const parts: string[] = ['[{"FrameType":"DataSetHeader","IsProgressive":false,"Version":"v2.0","IsFragmented":false,"ErrorReportingPlacement":"InData"}'];
  parts.push(',');
  append(parts, v2DataTable(0, 'QueryProperties', '@ExtendedProperties', {
    columns: [{ name: 'TableId', type: 'int' }, { name: 'Key', type: 'string' }, { name: 'Value', type: 'string' }],
    rows: [[1, 'Visualization', '{"Visualization":null,"Title":null,"XColumn":null,"Series":null,"YColumns":null,"AnomalyColumns":null,"XTitle":null,"YTitle":null,"XAxis":null,"YAxis":null,"Legend":null,"YSplit":null,"Accumulate":false,"IsQuerySorted":false,"Kind":null,"Ymin":"NaN","Ymax":"NaN","Xmin":null,"Xmax":null}']],
  }));
  if (primary) {
    parts.push(',');
    append(parts, v2DataTable(1, 'PrimaryResult', 'PrimaryResult', primary));
  }
  const now = formatDatetime(nowTicks());
  const info = [now, clientRequestId ?? '', activity, activity, zero, 4, 'Info', 0, 'S_OK (0)', 4, 'QueryInfo', JSON.stringify({ Count: 1, Text: 'Query completed successfully' })];
  const rows: unknown[][] = error
    ? [[now, clientRequestId ?? '', activity, activity, zero, 2, 'Error', -2133196798, 'E_FAIL', 0, 'QueryError', JSON.stringify({ Count: 1, Text: error.message })]]
    : [info];
  parts.push(',');
  append(parts, v2DataTable(primary ? 2 : 1, 'QueryCompletionInformation', 'QueryCompletionInformation', { columns: COMPLETION_COLUMNS, rows }));
  if (error) {
    const oneApi = { error: { code: error.code, message: error.message, '@type': error.kustoType, '@message': error.message, '@context': { timestamp: now, serviceAlias: 'KJOBEMULATOR', clientRequestId: clientRequestId ?? '', activityId: activity }, '@permanent': true } };
    parts.push(`,{"FrameType":"DataSetCompletion","HasErrors":true,"Cancelled":false,"OneApiErrors":[${JSON.stringify(oneApi)}]}]`);
  } else {
    parts.push(',{"FrameType":"DataSetCompletion","HasErrors":false,"Cancelled":false}]');
  }
  return parts;
}

/** The OneApi error body of a 4xx/5xx answer (wire protocol §1.6). */
export function oneApiErrorBody(code: string, message: string, kustoType: string, permanent: boolean, clientRequestId: string | undefined): string {
  return JSON.stringify({
    error: {
      code,
      message,
      '@type': kustoType,
      '@message': message,
      '@context': { timestamp: new Date().toISOString(), serviceAlias: 'KJOBEMULATOR', clientRequestId: clientRequestId ?? '', activityId: randomUUID() },
      '@permanent': permanent,
    },
  });
}
