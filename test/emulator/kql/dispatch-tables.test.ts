import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { supportedFunctionNames, supportedOperatorKinds } from '../../../src/emulator/kql/index.js';

/** The dispatch tables cover the subset the emulator promises (the README lists the same names). */

describe('dispatch tables', () => {
  it('every required scalar function is implemented', () => {
    const names = new Set(supportedFunctionNames());
    const required = [
      'isnull', 'isnotnull', 'isempty', 'isnotempty', 'tostring', 'toint', 'tolong', 'todouble', 'toreal', 'todatetime', 'totimespan',
      'tobool', 'todecimal', 'todynamic', 'parse_json', 'strlen', 'substring', 'strcat', 'tolower', 'toupper', 'trim', 'split', 'iff',
      'iif', 'case', 'coalesce', 'now', 'ago', 'bin', 'floor', 'round', 'abs', 'hash', 'gettype', 'array_length', 'make_datetime',
      'format_datetime', 'not',
    ];
    assert.deepEqual(required.filter((n) => !names.has(n)), []);
  });

  it('every required operator has an implementation', () => {
    const kinds = new Set(supportedOperatorKinds());
    const required = [
      'FilterOperator', 'ProjectOperator', 'ProjectAwayOperator', 'ProjectRenameOperator', 'ProjectReorderOperator', 'ExtendOperator',
      'SummarizeOperator', 'CountOperator', 'TakeOperator', 'TopOperator', 'SortOperator', 'DistinctOperator', 'JoinOperator',
      'UnionOperator', 'GetSchemaOperator', 'EvaluateOperator', 'MvExpandOperator', 'MvApplyOperator', 'LookupOperator', 'AsOperator',
    ];
    assert.deepEqual(required.filter((k) => !kinds.has(k)), []);
  });
});
