/**
 * The service's result-set limits (https://aka.ms/kustoquerylimits): a client query's result is cut
 * at 500,000 records or 64 MB, reported as E_QUERY_RESULT_SET_TOO_LARGE (a partial query failure),
 * unless `set notruncation;` / the `notruncation` request option lifts them; `truncationmaxrecords`
 * and `truncationmaxsize` (statements or request options) change them for one query. The emulator's
 * defaults are configurable (startEmulator `maxResultRows` / `maxResultBytes`, CLI flags) so that
 * tests can trip them with small tables.
 */
import { KustoServiceError } from '../contracts.js';

export interface ResultLimits {
  /** Records allowed in the result; undefined = no limit. */
  readonly maxRecords: number | undefined;
  /** Bytes allowed in the result (as the service estimates them); undefined = no limit. */
  readonly maxBytes: number | undefined;
}

export const SERVICE_RESULT_LIMITS: ResultLimits = { maxRecords: 500_000, maxBytes: 64 * 1024 * 1024 };

const LIMITS_TYPE = 'Kusto.Data.Exceptions.KustoServicePartialQueryFailureLimitsExceededException';

function requestOptions(properties: unknown): Record<string, unknown> {
  let props: unknown = properties;
  if (typeof props === 'string') {
    try {
      props = JSON.parse(props);
    } catch {
      props = undefined;
    }
  }
  return (props as { Options?: Record<string, unknown> } | undefined)?.Options ?? {};
}

function setStatement(text: string, name: string): number | undefined {
  const m = new RegExp(`^\\s*set\\s+${name}\\s*=\\s*(\\d+)\\s*;`, 'im').exec(text);
  return m ? Number(m[1]) : undefined;
}

function positive(v: unknown): number | undefined {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The limits for one query: the defaults unless the query text or its request options say otherwise. */
export function resultLimitsOf(text: string, properties: unknown, defaults: ResultLimits = SERVICE_RESULT_LIMITS): ResultLimits {
  if (/^\s*set\s+notruncation\s*;/im.test(text)) return { maxRecords: undefined, maxBytes: undefined };
  const options = requestOptions(properties);
  if (options['notruncation'] === true || options['notruncation'] === 'true') return { maxRecords: undefined, maxBytes: undefined };
  return {
    maxRecords: setStatement(text, 'truncationmaxrecords') ?? positive(options['truncationmaxrecords']) ?? defaults.maxRecords,
    maxBytes: setStatement(text, 'truncationmaxsize') ?? positive(options['truncationmaxsize']) ?? defaults.maxBytes,
  };
}

/** About what the service counts for a result's size: the values' text/binary widths. */
export function approximateRowBytes(row: readonly unknown[]): number {
  let n = 0;
  for (const v of row) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') n += v.length;
    else if (typeof v === 'number' || typeof v === 'bigint') n += 8;
    else if (typeof v === 'boolean') n += 1;
    else n += String(v).length;
  }
  return n;
}

/** Throws the service's E_QUERY_RESULT_SET_TOO_LARGE failure when `rows` exceed the limits. */
export function checkResultLimits(rows: readonly (readonly unknown[])[], limits: ResultLimits): void {
  if (limits.maxRecords !== undefined && rows.length > limits.maxRecords) {
    throw new KustoServiceError(500, 'LimitsExceeded', `Query result set has exceeded the internal record count limit ${limits.maxRecords} (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits). Use 'set notruncation;' or the notruncation request option to lift it.`, true, LIMITS_TYPE);
  }
  if (limits.maxBytes === undefined) return;
  let bytes = 0;
  for (const r of rows) {
    bytes += approximateRowBytes(r);
    if (bytes > limits.maxBytes) {
      throw new KustoServiceError(500, 'LimitsExceeded', `Query result set has exceeded the internal data size limit ${limits.maxBytes} (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits). Use 'set notruncation;' or the notruncation request option to lift it.`, true, LIMITS_TYPE);
    }
  }
}
