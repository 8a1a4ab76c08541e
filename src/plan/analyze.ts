import { Field, Schema, type DataType } from 'apache-arrow';
import { familyOf, typeName } from '../arrow/data-types.js';
import { schemaFromJson } from '../arrow/schema-json.js';
import { rangeSchema } from '../datasource/memory/range-batches.js';
import { PlanError } from '../errors/kjob-error.js';
import { assertNever, exprName } from './expr-name.js';
import { inferField, inferType } from './infer-type.js';
import type { PlanNode } from './plan-node.js';
import { commonType } from './type-rules.js';

/**
 * The output schema of a plan, type-checking every expression against its input (driver side,
 * before any task runs). Throws PlanError naming the unknown column or mismatched expression.
 */
export function analyze(node: PlanNode): Schema {
  switch (node.kind) {
    case 'Scan':
    case 'LocalData':
      return schemaFromJson(node.schema);
    case 'Range':
      return rangeSchema();
    default:
      return analyzeStep(node, childrenOf(node).map(analyze));
  }
}

/** The output schema of one node given its inputs' schemas (DataFrame builds plans step by step). */
export function analyzeStep(node: PlanNode, inputs: readonly Schema[]): Schema {
  const input = inputs[0]!;
  switch (node.kind) {
    case 'Scan':
    case 'LocalData':
    case 'Range':
      return analyze(node);
    case 'Project': {
      if (node.exprs.length === 0) throw new PlanError('select() needs at least one column');
      return new Schema(node.exprs.map((e) => inferField(e, input)));
    }
    case 'Filter': {
      const t = inferType(node.condition, input);
      const f = familyOf(t.type);
      if (f !== 'boolean' && f !== 'null') throw new PlanError(`Filter condition ${exprName(node.condition)} must be boolean, got ${typeName(t.type)}`, { context: { expression: exprName(node.condition) } });
      return input;
    }
    case 'Limit':
      if (!Number.isSafeInteger(node.n) || node.n < 0) throw new PlanError(`limit(n) needs a non-negative integer, got ${node.n}`);
      return input;
    case 'Repartition':
    case 'Coalesce':
      if (!Number.isSafeInteger(node.n) || node.n < 1) throw new PlanError(`${node.kind === 'Repartition' ? 'repartition' : 'coalesce'}(n) needs a positive integer, got ${node.n}`);
      return input;
    case 'MapPartitions':
      return node.schema ? schemaFromJson(node.schema) : input;
    case 'Union':
      return unionSchema(inputs);
    default:
      return assertNever(node);
  }
}

/** Union by position, as Spark's union: same number of columns, names from the first input, types widened. */
export function unionSchema(inputs: readonly Schema[]): Schema {
  const first = inputs[0]!;
  for (const [k, s] of inputs.entries()) {
    if (s.fields.length !== first.fields.length)
      throw new PlanError(`union() needs the same number of columns: input 1 has ${first.fields.length} (${names(first)}), input ${k + 1} has ${s.fields.length} (${names(s)})`);
  }
  return new Schema(
    first.fields.map((f, i) => {
      let merged: DataType = f.type;
      let allSame = true;
      let nullable = f.nullable;
      for (const s of inputs.slice(1)) {
        const g = s.fields[i]!;
        const t = commonType(merged, g.type, 'merge');
        if (!t) throw new PlanError(`union() column ${i + 1} ('${f.name}') has type ${typeName(merged)} in one input and ${typeName(g.type)} ('${g.name}') in another`, { context: { column: f.name } });
        allSame &&= sameName(g.type, f.type);
        merged = t;
        nullable ||= g.nullable;
      }
      // Identical types keep their exact Arrow form (dictionary encoding, timestamp unit).
      return new Field(f.name, allSame ? f.type : merged, nullable, f.metadata);
    }),
  );
}

function sameName(a: DataType, b: DataType): boolean {
  return typeName(a) === typeName(b);
}

function names(s: Schema): string {
  return s.fields.map((f) => f.name).join(', ');
}

export function childrenOf(node: PlanNode): PlanNode[] {
  switch (node.kind) {
    case 'Scan':
    case 'LocalData':
    case 'Range':
      return [];
    case 'Union':
      return [...node.inputs];
    default:
      return [node.input];
  }
}
