/**
 * The ONLY place in kjob that escapes KQL text. Every identifier and literal that kjob sends to Kusto
 * (commands, pushdown filters, export URLs) goes through one of these functions, so a column name or a
 * value holding quotes, backslashes, newlines or KQL keywords can never change a command's structure.
 *
 * Escaping follows the Kusto lexer (verified against Microsoft's parser, @kusto/language-service-next,
 * in test/datasource/kusto/kql-quote.test.ts): inside a single-quoted literal `\\`, `\'`, `\"`, `\n`,
 * `\r`, `\t` and `\uXXXX` are escapes; `\U…` and `\/` are not, so everything else stays raw.
 */
import { ConfigError } from '../../../errors/kjob-error.js';

// Characters that must not appear raw inside a literal: C0/C1 controls, DEL, line/paragraph
// separators, and lone surrogates (which would not survive UTF-8 encoding of the request body).
const NEEDS_UNICODE_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeBody(value: string, quotes: RegExp = /['"]/g): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(quotes, (q) => `\\${q}`)
    .replace(NEEDS_UNICODE_ESCAPE, (c) => {
      switch (c) {
        case '\n':
          return '\\n';
        case '\r':
          return '\\r';
        case '\t':
          return '\\t';
        default:
          return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      }
    });
}

/** A KQL string literal: `'…'` with every special character escaped. */
export function quoteString(value: string): string {
  return `'${escapeBody(value)}'`;
}

/**
 * An obfuscated (hidden) KQL string literal `h'…'`: Kusto keeps it out of its own logs and
 * `.show queries`; kjob's `redact` hides it from ours.
 */
export function hiddenString(value: string): string {
  return `h'${escapeBody(value)}'`;
}

/**
 * A hidden verbatim literal `h@"…"`, the form the connector uses for SAS tokens and keys in `.export`.
 * Verbatim literals have no escapes except `""`, and cannot hold line breaks, so those are refused.
 */
export function hiddenVerbatimString(value: string): string {
  if (/[\r\n\u2028\u2029]/.test(value)) throw new ConfigError('A secret used in a KQL command contains a line break');
  return `h@"${value.replace(/"/g, '""')}"`;
}

/** A verbatim literal `@"…"` (used for policy JSON in `.alter … policy` commands). `"` is doubled. */
export function verbatimString(value: string): string {
  if (/[\r\n\u2028\u2029]/.test(value)) throw new ConfigError('A verbatim KQL literal cannot contain a line break');
  return `@"${value.replace(/"/g, '""')}"`;
}

/**
 * A KQL identifier (table, column, mapping name) in bracket form: `['name']`, or `["name"]` when the
 * name holds a `'` but no `"` (readable, as the connector writes it). Both forms escape fully.
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new ConfigError('A Kusto table or column name cannot be empty');
  if (name.includes("'") && !name.includes('"')) return `["${escapeBody(name, /"/g)}"]`;
  return `[${quoteString(name)}]`;
}

/** A double-quoted KQL string literal `"…"` (the connector's form for mapping names and export options). */
export function quoteStringDouble(value: string): string {
  return `"${escapeBody(value)}"`;
}
