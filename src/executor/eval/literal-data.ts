import { type Data, type DataType, Float64, Type } from 'apache-arrow';
import { decimalWords, parseDecimal } from '../../arrow/decimal.js';
import { boolData, fixedData, stringData } from '../../arrow/build-data.js';
import { familyOf } from '../../arrow/data-types.js';
import type { DecodedLiteral } from '../../plan/literal.js';
import { castData } from './cast.js';
import { allNull, allocValues } from './operand.js';
import { fromMicros } from './temporal.js';
import { PlanError } from '../../errors/kjob-error.js';

/** A literal as a one-row chunk of `type` (the analyzer's type for it). */
export function literalData(lit: DecodedLiteral, type: DataType): Data {
  switch (lit.t) {
    case 'null':
      return allNull(type, 1);
    case 'boolean':
      return castData(boolData(Uint8Array.of(lit.v ? 1 : 0), null), type);
    case 'string':
      return castData(stringData([lit.v]), type);
    case 'number': {
      if (familyOf(type) === 'int' || familyOf(type) === 'float' || type.typeId === Type.Date) {
        const out = allocValues(type, 1);
        out[0] = typeof out[0] === 'bigint' ? BigInt(Math.trunc(lit.v)) : lit.v;
        return fixedData(type, out, null);
      }
      return castData(fixedData(new Float64(), Float64Array.of(lit.v), null), type);
    }
    case 'bigint': {
      const out = allocValues(type, 1);
      out[0] = typeof out[0] === 'bigint' ? lit.v : Number(lit.v);
      return fixedData(type, out, null);
    }
    case 'timestamp':
      return fixedData(type, BigInt64Array.of(fromMicros(lit.micros, type)), null);
    case 'date':
      return fixedData(type, Int32Array.of(lit.days), null);
    case 'decimal': {
      const scale = (type as unknown as { scale?: number }).scale;
      if (type.typeId !== Type.Decimal || scale === undefined) return castData(stringData([lit.text]), type);
      const unscaled = parseDecimal(lit.text, scale);
      if (unscaled === null) throw new PlanError(`Invalid decimal literal '${lit.text}'`);
      return fixedData(type, decimalWords(unscaled), null);
    }
    default:
      throw new Error(`Unknown literal ${JSON.stringify(lit)}`);
  }
}
