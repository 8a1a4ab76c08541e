/**
 * Parses a `/v2/rest/query` body (wire protocol §1.3) losslessly: the PrimaryResult's columns and
 * raw rows, plus the errors the service reports inside a 200 (QueryCompletionInformation rows with
 * Level ≤ 2, DataSetCompletion.HasErrors / OneApiErrors). Also reads V1 `{"Tables":[…]}` bodies
 * (mgmt commands), whose first table is the result.
 */
import { JsonNumber, parseLosslessJson, type LosslessValue } from './lossless-json.js';

export interface KustoResultColumn {
  readonly name: string;
  readonly type: string;
}

export interface KustoResultTable {
  readonly columns: readonly KustoResultColumn[];
  readonly rows: readonly (readonly LosslessValue[])[];
}

export interface ParsedResponse {
  readonly primary: KustoResultTable | undefined;
  /** Error texts found inside the body (empty when it succeeded). */
  readonly errors: readonly { readonly message: string; readonly code: string | undefined }[];
}

type Obj = { [key: string]: LosslessValue };
const isObj = (v: LosslessValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
const text = (v: LosslessValue | undefined): string | undefined => (typeof v === 'string' ? v : v instanceof JsonNumber ? v.text : undefined);

function tableOf(t: Obj, typeKey: 'ColumnType' | 'DataType'): KustoResultTable {
  const cols = Array.isArray(t['Columns']) ? t['Columns'] : [];
  const rows = Array.isArray(t['Rows']) ? t['Rows'] : [];
  return {
    columns: cols.filter(isObj).map((c) => ({ name: text(c['ColumnName']) ?? '', type: text(c['ColumnType']) ?? text(c[typeKey]) ?? 'string' })),
    rows: rows.filter((r): r is LosslessValue[] => Array.isArray(r)),
  };
}

function oneApiMessage(e: LosslessValue): { message: string; code: string | undefined } {
  const err = isObj(e) && isObj(e['error']) ? e['error'] : isObj(e) ? e : {};
  return { message: text(err['@message']) ?? text(err['message']) ?? 'unknown error', code: text(err['code']) };
}

export function parseQueryResponse(body: string): ParsedResponse {
  const root = parseLosslessJson(body);
  const errors: { message: string; code: string | undefined }[] = [];
  if (isObj(root)) {
    // V1 (mgmt): the first table is the primary result; errors come as HTTP statuses.
    const tables = Array.isArray(root['Tables']) ? root['Tables'].filter(isObj) : [];
    return { primary: tables[0] ? tableOf(tables[0], 'DataType') : undefined, errors };
  }
  if (!Array.isArray(root)) throw new Error('the response is neither a V2 frame array nor a V1 table set');
  let primary: KustoResultTable | undefined;
  for (const frame of root) {
    if (!isObj(frame)) continue;
    const type = text(frame['FrameType']);
    if (type === 'DataTable') {
      const kind = text(frame['TableKind']);
      if (kind === 'PrimaryResult' && primary === undefined) primary = tableOf(frame, 'ColumnType');
      else if (kind === 'QueryCompletionInformation') {
        const t = tableOf(frame, 'ColumnType');
        const level = t.columns.findIndex((c) => c.name === 'Level');
        const payload = t.columns.findIndex((c) => c.name === 'Payload');
        for (const r of t.rows) {
          const lv = r[level];
          if (lv instanceof JsonNumber && Number(lv.text) <= 2) {
            const p = text(r[payload]) ?? '';
            let msg = p;
            try {
              const parsed = JSON.parse(p) as { Text?: string };
              if (typeof parsed.Text === 'string') msg = parsed.Text;
            } catch {
              /* payload is plain text */
            }
            errors.push({ message: msg, code: undefined });
          }
        }
      }
    } else if (type === 'DataSetCompletion' && frame['HasErrors'] === true) {
      const list = Array.isArray(frame['OneApiErrors']) ? frame['OneApiErrors'] : [];
      if (list.length === 0 && errors.length === 0) errors.push({ message: 'the query reported errors (DataSetCompletion.HasErrors)', code: undefined });
      for (const e of list) errors.push(oneApiMessage(e));
    }
  }
  // The service reports one error both as a completion row and in OneApiErrors: keep it once, with its code.
  const unique = new Map<string, { message: string; code: string | undefined }>();
  for (const e of errors) if (!unique.has(e.message) || e.code !== undefined) unique.set(e.message, e);
  return { primary, errors: [...unique.values()] };
}

/** The message and code of a 4xx/5xx OneApi body, or the raw text. */
export function parseErrorBody(body: string): { message: string; code: string | undefined; permanent: boolean | undefined } {
  try {
    const v = JSON.parse(body) as { error?: { code?: string; message?: string; '@message'?: string; '@permanent'?: boolean } };
    if (v.error) return { message: v.error['@message'] ?? v.error.message ?? body, code: v.error.code, permanent: v.error['@permanent'] };
  } catch {
    /* not JSON */
  }
  return { message: body.slice(0, 2000), code: undefined, permanent: undefined };
}
