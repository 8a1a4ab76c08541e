/**
 * Text forms of values as Spark prints and casts them: doubles keep a `.0` and switch to `1.0E10`
 * notation outside [1e-3, 1e7); timestamps are `yyyy-MM-dd HH:mm:ss[.ffffff]` in UTC with trailing
 * fractional zeros dropped; dates are `yyyy-MM-dd`.
 */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(v);
    return s.includes('.') || s.includes('e') ? s : `${s}.0`;
  }
  const [mant, exp] = v.toExponential().split('e') as [string, string];
  return `${mant.includes('.') ? mant : `${mant}.0`}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

export function formatFloat32(v: number): string {
  // Print the shortest text that reads back as the same float32, as Java's Float.toString does.
  if (!Number.isFinite(v) || v === 0) return formatDouble(v);
  for (let p = 1; p <= 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return formatDouble(s);
  }
  return formatDouble(v);
}

export function formatDate(days: number): string {
  const d = new Date(days * 86_400_000);
  return isoDatePart(d);
}

export function formatTimestampMicros(micros: bigint): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const frac = Number(((micros % 1_000_000n) + 1_000_000n) % 1_000_000n);
  const d = new Date(Number(ms));
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const fracText = frac ? `.${String(frac).padStart(6, '0').replace(/0+$/, '')}` : '';
  return `${isoDatePart(d)} ${time}${fracText}`;
}

function isoDatePart(d: Date): string {
  const y = d.getUTCFullYear();
  const yText = y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${yText}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
