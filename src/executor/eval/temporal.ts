import { type DataType, TimeUnit, Type } from 'apache-arrow';

/** Microseconds per unit of an Arrow timestamp/duration type (ns are divided, see toMicros). */
export function unitMicros(type: DataType): { mul: bigint; div: bigint } {
  const unit = (type as unknown as { unit: TimeUnit }).unit;
  switch (unit) {
    case TimeUnit.SECOND:
      return { mul: 1_000_000n, div: 1n };
    case TimeUnit.MILLISECOND:
      return { mul: 1000n, div: 1n };
    case TimeUnit.NANOSECOND:
      return { mul: 1n, div: 1000n };
    default:
      return { mul: 1n, div: 1n };
  }
}

/** Floor division for bigint (BigInt `/` truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Epoch microseconds of raw timestamp values in `type`'s unit. */
export function toMicros(raw: bigint, type: DataType): bigint {
  const { mul, div } = unitMicros(type);
  return div === 1n ? raw * mul : floorDiv(raw, div);
}

/** Raw value in `type`'s unit of epoch microseconds. */
export function fromMicros(micros: bigint, type: DataType): bigint {
  const { mul, div } = unitMicros(type);
  return div === 1n ? floorDiv(micros, mul) : micros * div;
}

/** Epoch milliseconds (as a float, for calendar arithmetic) of raw values in `type`'s unit. */
export function msFactor(type: DataType): number {
  if (type.typeId !== Type.Timestamp) return 1;
  const unit = (type as unknown as { unit: TimeUnit }).unit;
  return unit === TimeUnit.SECOND ? 1000 : unit === TimeUnit.MILLISECOND ? 1 : unit === TimeUnit.MICROSECOND ? 1e-3 : 1e-6;
}
