/**
 * A dynamic value kept as the JSON text DuckDB stored, so that numbers beyond 2^53 inside nested
 * dynamics survive the trip to the wire unchanged (JSON.parse would round them).
 */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
