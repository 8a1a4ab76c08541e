import type { KustoColumn } from '../../../src/emulator/contracts.js';
import { KqlTestDb } from './kql-test-db.js';

/**
 * Shared fixtures, stored exactly as the engine stores them (storage-types.ts): datetime and
 * timespan as BIGINT ticks, dynamic as JSON, guid as UUID, decimal as DECIMAL(38,18).
 */

export const EVENTS: readonly KustoColumn[] = [
  { name: 'id', type: 'long' },
  { name: 'name', type: 'string' },
  { name: 'n', type: 'int' },
  { name: 'r', type: 'real' },
  { name: 'ts', type: 'datetime' },
  { name: 'span', type: 'timespan' },
  { name: 'flag', type: 'bool' },
  { name: 'g', type: 'guid' },
  { name: 'dec', type: 'decimal' },
  { name: 'd', type: 'dynamic' },
];

/** 2024-01-01T00:00:00Z in ticks since the Unix epoch. */
export const JAN1 = 17_040_672_000_000_000n;
export const HOUR = 36_000_000_000n;
export const DAY = 864_000_000_000n;

export const EVENT_ROWS: readonly string[] = [
  `1, 'alpha', 10, 1.5, ${JAN1}, ${HOUR}, true, '8b2a6d2e-6a3a-4c43-9cb1-1234567890ab', 1.25, '{"k":"v","arr":[1,2,{"x":"deep"}],"n":7}'`,
  `2, 'Beta Gamma', 20, -2.25, ${JAN1 + HOUR + 5n}, ${2n * HOUR}, false, NULL, -0.5, '[10,20,30]'`,
  `3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`,
  `4, 'ÄÖü 日本 "q" it''s' || chr(10) || 'line2', 40, 0.0, ${JAN1 + DAY}, 0, true, NULL, 100, '"just a string"'`,
  `9007199254740993, 'big', 50, 1e300, -621355968000000000, -1, false, NULL, 0.000000000000000001, '{"big":9007199254740993}'`,
  `6, 'alpha', 60, 3.5, 2534023007999999999, ${DAY * 3n}, true, NULL, 2, '{"k":"w"}'`,
];

export const PEOPLE: readonly KustoColumn[] = [
  { name: 'id', type: 'long' },
  { name: 'city', type: 'string' },
];
export const PEOPLE_ROWS: readonly string[] = [`1, 'Oslo'`, `1, 'Bergen'`, `2, 'Rome'`, `7, 'Nowhere'`];

export async function fixtureDb(): Promise<KqlTestDb> {
  const db = await KqlTestDb.create();
  await db.table('Events', EVENTS, EVENT_ROWS);
  await db.table('People', PEOPLE, PEOPLE_ROWS);
  return db;
}

/** Sorted copy, for results whose order Kusto does not define. */
export function sorted<T>(values: readonly T[]): T[] {
  return [...values].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}
