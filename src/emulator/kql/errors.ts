import { KustoServiceError } from '../contracts.js';

/** Errors the translator raises, shaped as the service would return them (HTTP 400, General_BadRequest). */

function position(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, position ${column}`;
}

export function syntaxError(text: string, message: string, offset: number, length: number): KustoServiceError {
  const near = text.slice(offset, offset + Math.max(length, 1)).trim();
  const where = `at ${position(text, offset)} (offset ${offset})${near ? ` near '${near}'` : ''}`;
  return new KustoServiceError(400, 'General_BadRequest', `Syntax error: ${message} ${where}`, true, 'Kusto.Data.Exceptions.SyntaxException');
}

export function semanticError(message: string, text?: string, offset?: number): KustoServiceError {
  const where = text !== undefined && offset !== undefined ? ` (at ${position(text, offset)})` : '';
  return new KustoServiceError(400, 'General_BadRequest', `Semantic error: ${message}${where}`, true, 'Kusto.Data.Exceptions.SemanticException');
}

export function unsupported(what: 'Operator' | 'Function' | 'Aggregate' | 'Plugin' | 'Syntax', name: string, detail?: string): KustoServiceError {
  return new KustoServiceError(
    400,
    'General_BadRequest',
    `${what} '${name}' is not supported by the kjob emulator${detail ? `: ${detail}` : ''}`,
    true,
    'Kusto.Data.Exceptions.SemanticException',
  );
}
