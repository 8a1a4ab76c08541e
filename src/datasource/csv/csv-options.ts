import { ConfigError } from '../../errors/kjob-error.js';
import { OptionReader } from '../storage/option-values.js';

export type CsvParseMode = 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST';

/** CSV read options, named and defaulted as Spark's. */
export interface CsvReadOptions {
  readonly header: boolean;
  readonly sep: number;
  readonly quote: number;
  /** Escape byte inside quoted values; equal to `quote` means RFC 4180 doubling (""), -1 = none. */
  readonly escape: number;
  readonly nullValue: string;
  readonly inferSchema: boolean;
  readonly samplingRatio: number;
  readonly sampleLines: number;
  readonly mode: CsvParseMode;
  readonly multiLine: boolean;
  /** Bytes per split when given; otherwise sized by `effectiveSplitBytes` (cap 64 MB). */
  readonly maxSplitBytes: number | undefined;
  readonly batchSize: number;
  /** A DDL schema given as an option (an alternative to `schema(...)`). */
  readonly schema: string | undefined;
}

export const CSV_READ_OPTION_NAMES = [
  'path', 'header', 'sep', 'delimiter', 'quote', 'escape', 'nullValue', 'inferSchema', 'samplingRatio',
  'inferSchemaSampleLines', 'mode', 'multiLine', 'maxSplitBytes', 'batchSize', 'encoding', 'charset', 'schema',
] as const;

export function parseCsvReadOptions(options: Readonly<Record<string, string>>): CsvReadOptions {
  const o = new OptionReader('csv', options, CSV_READ_OPTION_NAMES);
  checkEncoding(o);
  const sep = asciiByte(o, o.raw('sep') !== undefined ? 'sep' : 'delimiter', ',');
  const quote = asciiByte(o, 'quote', '"');
  const escape = o.raw('escape') === '' ? -1 : asciiByte(o, 'escape', String.fromCharCode(quote));
  if (sep === quote) throw new ConfigError('The csv options sep and quote must differ', { context: { option: 'quote' } });
  return {
    header: o.boolean('header', false),
    sep,
    quote,
    escape,
    nullValue: o.string('nullValue', ''),
    inferSchema: o.boolean('inferSchema', false),
    samplingRatio: o.number('samplingRatio', 1, Number.MIN_VALUE, 1),
    sampleLines: o.integer('inferSchemaSampleLines', 1000, 1),
    mode: o.oneOf<CsvParseMode>('mode', 'PERMISSIVE', ['PERMISSIVE', 'DROPMALFORMED', 'FAILFAST']),
    multiLine: o.boolean('multiLine', false),
    maxSplitBytes: o.raw('maxSplitBytes') === undefined ? undefined : o.integer('maxSplitBytes', 0, 1),
    batchSize: o.integer('batchSize', 65_536, 1, 1 << 24),
    schema: o.raw('schema'),
  };
}

/** CSV write options. */
export interface CsvWriteOptions {
  readonly header: boolean;
  readonly sep: string;
  readonly quote: string;
  readonly escape: string;
  readonly nullValue: string;
  readonly quoteAll: boolean;
  /** gzip writes `.csv.gz` files (concatenated gzip members, one per batch). */
  readonly compression: 'none' | 'gzip';
}

export const CSV_WRITE_OPTION_NAMES = ['path', 'header', 'sep', 'delimiter', 'quote', 'escape', 'nullValue', 'quoteAll', 'encoding', 'charset', 'compression'] as const;

export function parseCsvWriteOptions(options: Readonly<Record<string, string>>): CsvWriteOptions {
  const o = new OptionReader('csv', options, CSV_WRITE_OPTION_NAMES);
  checkEncoding(o);
  const sep = String.fromCharCode(asciiByte(o, o.raw('sep') !== undefined ? 'sep' : 'delimiter', ','));
  const quote = String.fromCharCode(asciiByte(o, 'quote', '"'));
  if (sep === quote) throw new ConfigError('The csv options sep and quote must differ', { context: { option: 'quote' } });
  return {
    header: o.boolean('header', false),
    sep,
    quote,
    escape: String.fromCharCode(asciiByte(o, 'escape', quote)),
    nullValue: o.string('nullValue', ''),
    quoteAll: o.boolean('quoteAll', false),
    compression: o.oneOf('compression', 'none', ['none', 'uncompressed', 'gzip']) === 'gzip' ? 'gzip' : 'none',
  };
}

function asciiByte(o: OptionReader, name: string, fallback: string): number {
  const c = o.char(name, fallback);
  const code = c.charCodeAt(0);
  if (code > 127 || c === '\n' || c === '\r') throw new ConfigError(`The csv option '${name}' must be one ASCII character other than CR/LF (got ${JSON.stringify(c)})`, { context: { option: name } });
  return code;
}

function checkEncoding(o: OptionReader): void {
  for (const key of ['encoding', 'charset']) {
    const v = o.raw(key);
    if (v !== undefined && !/^utf-?8$/i.test(v.trim())) {
      throw new ConfigError(`Unsupported csv ${key} '${v}': only UTF-8 is supported`, { context: { option: key } });
    }
  }
}
