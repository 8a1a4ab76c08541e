/**
 * A credential value that never prints: toString, JSON.stringify, util.inspect and template
 * literals all show `<redacted>`. Only `reveal()` gives the value, at the point where an SDK needs it.
 */
import { inspect } from 'node:util';
import { REDACTED } from '../../../util/redact.js';

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}
