/** Reading result rows (column name → value, as the engine client returns them) without trusting their types. */
import { redact } from '../util/redact.js';

export type Row = Readonly<Record<string, unknown>>;

export function text(row: Row, column: string): string {
  const v = row[column];
  return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * Free text the service echoes (command texts, failure reasons, operation statuses, blob paths): it may
 * hold a SAS or a hidden literal, so it is redacted before it reaches the report.
 */
export function freeText(row: Row, column: string): string {
  return redact(text(row, column));
}

export function num(row: Row, column: string): number | undefined {
  const v = row[column];
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** datetime columns arrive as Date or ISO text depending on the SDK path. */
export function date(row: Row, column: string): Date | undefined {
  const v = row[column];
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  if (typeof v !== 'string' || v === '') return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A policy column: JSON text, an object, or null / "null" for "no policy set". */
export function policyObject(value: unknown): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object') return value as Record<string, unknown>;
  const s = String(value).trim();
  if (s === '' || s === 'null') return undefined;
  try {
    const parsed = JSON.parse(s) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
