import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { KustoServiceError } from '../contracts.js';
import type { ParquetData } from '../ingest/parse-item.js';
import { RawJson } from './raw-json.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';

/**
 * Reads a Parquet payload with DuckDB's reader and hands back values ready for convertStructured:
 * timestamps and dates as datetime ticks (bigint), intervals as timespan ticks, nested values as
 * RawJson, decimals and uuids as text.
 */
export async function readParquet(conn: DuckDBConnection, data: Buffer): Promise<ParquetData> {
  const file = join(tmpdir(), `kjob-emu-${randomUUID()}.parquet`);
  await writeFile(file, data);
  try {
    const src = `read_parquet(${quoteLiteral(file)})`;
    let described;
    try {
      described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRows();
    } catch (err) {
      throw new KustoServiceError(400, 'BadRequest_InvalidBlob', `The Parquet payload cannot be read: ${(err as Error).message.split('\n')[0]}`);
    }
    const names = described.map((r) => String(r[0]));
    const types = described.map((r) => String(r[1]).toUpperCase());
    const nested: boolean[] = [];
    const exprs = names.map((n, i) => {
      const c = quoteIdent(n);
      const t = types[i]!;
      nested.push(false);
      if (t.startsWith('TIMESTAMP_NS')) return `epoch_ns(${c}) // 100`;
      if (t.startsWith('TIMESTAMP')) return `epoch_us(${c}) * 10`;
      if (t === 'DATE') return `epoch_us(CAST(${c} AS TIMESTAMP)) * 10`;
      if (t === 'INTERVAL') return `CAST(round(epoch(${c}) * 10000000) AS BIGINT)`;
      if (t.startsWith('DECIMAL') || t === 'UUID' || t === 'HUGEINT' || t === 'UBIGINT') return `CAST(${c} AS VARCHAR)`;
      if (t === 'BLOB') return `base64(${c})`;
      if (t.endsWith(']') || t.startsWith('STRUCT') || t.startsWith('MAP') || t === 'JSON') {
        nested[i] = true;
        return `CAST(to_json(${c}) AS VARCHAR)`;
      }
      return c;
    });
    const rows = (await conn.runAndReadAll(`SELECT ${exprs.join(', ') || '1'} FROM ${src}`)).getRows() as unknown[][];
    if (nested.some(Boolean)) {
      for (const r of rows) for (let i = 0; i < r.length; i++) if (nested[i] && typeof r[i] === 'string') r[i] = new RawJson(r[i] as string);
    }
    return { names, rows };
  } finally {
    await rm(file, { force: true });
  }
}
