import type { CommandContext, KustoColumn, KustoType, ResultTable } from '../contracts.js';
import type { KustoEngine } from '../engine/kusto-engine.js';

/** One management command: a cheap case-insensitive regex on the trimmed text, and its handler. */
export interface MgmtCall {
  readonly engine: KustoEngine;
  readonly database: string;
  readonly text: string;
  readonly ctx: CommandContext;
}

export interface MgmtCommand {
  readonly name: string;
  readonly pattern: RegExp;
  run(m: RegExpExecArray, call: MgmtCall): Promise<ResultTable>;
}

export function resultTable(columns: readonly (readonly [string, KustoType])[], rows: readonly (readonly unknown[])[], name = 'Table_0'): ResultTable {
  const cols: KustoColumn[] = columns.map(([n, type]) => ({ name: n, type }));
  return { name, columns: cols, rows };
}

export function g(m: RegExpExecArray, group: string): string {
  return m.groups?.[group] ?? '';
}
