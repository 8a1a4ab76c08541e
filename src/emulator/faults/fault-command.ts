import { KustoServiceError } from '../contracts.js';
import type { CommandHandler, ResultTable } from '../contracts.js';
import type { FaultRegistry, FaultSpec, RequestFaultEndpoint } from './fault-registry.js';
import { describeFault } from './fault-registry.js';

/**
 * `.emulator fault ...`: the management command reserved to the emulator that controls fault
 * injection (grammar in FAULT_COMMAND_HELP). `<count>` defaults to 1; 0 means "until cleared".
 */
export const FAULT_COMMAND_HELP = `.emulator fault throttle [<count>] [on mgmt|query|ingest|dm|any] [matching "<regex>"]
.emulator fault fail [<count>] [status 500|503] [on mgmt|query|ingest|dm|any] [matching "<regex>"]
.emulator fault ingestion fail|partial [<count>] table <T>|* [database <D>] [transient]
.emulator fault dm-delay <ms>
.emulator fault move-extents fail|partial|hang [<count>] [table <T>] [after <ms>]
.emulator fault export fail [<count>]
.emulator fault export timeout [<count>] [after <ms>]
.emulator fault no-storage [<count>]
.emulator fault remove <id>
.emulator fault clear
.emulator fault list        (or .emulator faults)`;

export type FaultCommand =
  | { action: 'add'; spec: FaultSpec }
  | { action: 'remove'; id: number }
  | { action: 'clear' }
  | { action: 'list' };

/** Splits into words and quoted strings ("..." or '...', backslash escapes). */
function tokenize(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let s = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          s += text[i + 1];
          i += 2;
        } else s += text[i++];
      }
      if (i >= text.length) throw syntax(`unterminated string literal`);
      i++;
      out.push(`\u0000${s}`); // marks a quoted token
      continue;
    }
    let w = '';
    while (i < text.length && !/\s/.test(text[i]!)) w += text[i++];
    out.push(w);
  }
  return out;
}

function syntax(msg: string): KustoServiceError {
  return new KustoServiceError(400, 'General_BadRequest', `Syntax error in .emulator fault: ${msg}. Usage:\n${FAULT_COMMAND_HELP}`, true, 'Kusto.Data.Exceptions.SyntaxException');
}

class Tokens {
  private i = 0;
  constructor(private readonly t: string[]) {}
  peek(): string | undefined {
    return this.t[this.i];
  }
  peekWord(): string | undefined {
    const p = this.peek();
    return p === undefined || p.startsWith('\u0000') ? undefined : p.toLowerCase();
  }
  next(what: string): string {
    const v = this.t[this.i++];
    if (v === undefined) throw syntax(`expected ${what}`);
    return v.startsWith('\u0000') ? v.slice(1) : v;
  }
  accept(word: string): boolean {
    if (this.peekWord() === word) {
      this.i++;
      return true;
    }
    return false;
  }
  optionalCount(): number {
    const p = this.peekWord();
    if (p !== undefined && /^\d+$/.test(p)) {
      this.i++;
      return Number(p);
    }
    return 1;
  }
  int(what: string): number {
    const v = this.next(what);
    if (!/^\d+$/.test(v)) throw syntax(`${what} must be a non-negative integer, got '${v}'`);
    return Number(v);
  }
  end(): void {
    if (this.i < this.t.length) throw syntax(`unexpected '${this.next('')}'`);
  }
}

const ENDPOINTS = new Set(['mgmt', 'query', 'ingest', 'dm', 'any']);

export function parseFaultCommand(text: string): FaultCommand {
  const m = /^\s*\.emulator\s+(faults?)\b(.*)$/is.exec(text);
  if (!m) throw syntax('the command must start with .emulator fault');
  const t = new Tokens(tokenize(m[2]!));
  const verb = t.peekWord();
  if (m[1]!.toLowerCase() === 'faults' || verb === undefined) {
    t.accept('list');
    t.end();
    return { action: 'list' };
  }
  t.next('a fault kind');
  let cmd: FaultCommand;
  switch (verb) {
    case 'list':
      cmd = { action: 'list' };
      break;
    case 'clear':
      cmd = { action: 'clear' };
      break;
    case 'remove':
      cmd = { action: 'remove', id: t.int('fault id') };
      break;
    case 'throttle':
    case 'fail': {
      const count = t.optionalCount();
      let status: 429 | 500 | 503 = verb === 'throttle' ? 429 : 500;
      let endpoint: RequestFaultEndpoint | undefined;
      let pattern: string | undefined;
      for (;;) {
        if (verb === 'fail' && t.accept('status')) {
          const s = t.int('status');
          if (s !== 500 && s !== 503) throw syntax(`status must be 500 or 503, got ${s}`);
          status = s;
        } else if (t.accept('on')) {
          const e = t.next('endpoint').toLowerCase();
          if (!ENDPOINTS.has(e)) throw syntax(`endpoint must be one of ${[...ENDPOINTS].join(', ')}, got '${e}'`);
          endpoint = e as RequestFaultEndpoint;
        } else if (t.accept('matching')) {
          pattern = t.next('a pattern');
        } else break;
      }
      cmd = { action: 'add', spec: { kind: 'request', status, count, ...(endpoint ? { endpoint } : {}), ...(pattern !== undefined ? { pattern } : {}) } };
      break;
    }
    case 'ingestion': {
      const mode = t.next('fail or partial').toLowerCase();
      if (mode !== 'fail' && mode !== 'partial') throw syntax(`ingestion fault mode must be fail or partial, got '${mode}'`);
      const count = t.optionalCount();
      let table: string | undefined;
      let database: string | undefined;
      let transient = false;
      for (;;) {
        if (t.accept('table')) table = t.next('table name');
        else if (t.accept('database')) database = t.next('database name');
        else if (t.accept('transient')) transient = true;
        else break;
      }
      if (!table) throw syntax('an ingestion fault needs "table <name>" (or table *)');
      cmd = { action: 'add', spec: { kind: 'ingestion', mode, count, table, ...(database ? { database } : {}), transient } };
      break;
    }
    case 'dm-delay':
      cmd = { action: 'add', spec: { kind: 'dmDelay', ms: t.int('delay in ms') } };
      break;
    case 'move-extents': {
      const mode = t.next('fail, partial or hang').toLowerCase();
      if (mode !== 'fail' && mode !== 'partial' && mode !== 'hang') throw syntax(`move-extents fault mode must be fail, partial or hang, got '${mode}'`);
      const count = t.optionalCount();
      const table = t.accept('table') ? t.next('table name') : undefined;
      const hangMs = mode === 'hang' && t.accept('after') ? t.int('hang in ms') : undefined;
      cmd = { action: 'add', spec: { kind: 'moveExtents', mode, count, ...(table ? { table } : {}), ...(hangMs !== undefined ? { hangMs } : {}) } };
      break;
    }
    case 'export': {
      const mode = t.next('fail or timeout').toLowerCase();
      if (mode !== 'fail' && mode !== 'timeout') throw syntax(`export fault mode must be fail or timeout, got '${mode}'`);
      const count = t.optionalCount();
      const timeoutMs = mode === 'timeout' && t.accept('after') ? t.int('timeout in ms') : undefined;
      cmd = { action: 'add', spec: { kind: 'export', mode, count, ...(timeoutMs !== undefined ? { timeoutMs } : {}) } };
      break;
    }
    case 'no-storage':
      cmd = { action: 'add', spec: { kind: 'noStorage', count: t.optionalCount() } };
      break;
    default:
      throw syntax(`unknown fault kind '${verb ?? ''}'`);
  }
  t.end();
  return cmd;
}

function faultTable(registry: FaultRegistry): ResultTable {
  const rows: unknown[][] = registry.list().map((f) => [f.id, f.spec.kind, describeFault(f.spec), Number.isFinite(f.remaining) ? f.remaining : -1, f.fired]);
  if (registry.dmDelayMs > 0) rows.push([0, 'dmDelay', describeFault({ kind: 'dmDelay', ms: registry.dmDelayMs }), -1, 0]);
  return {
    name: 'Table_0',
    columns: [
      { name: 'FaultId', type: 'long' },
      { name: 'Kind', type: 'string' },
      { name: 'Description', type: 'string' },
      { name: 'Remaining', type: 'long' },
      { name: 'Fired', type: 'long' },
    ],
    rows,
  };
}

export function faultCommandHandler(registry: FaultRegistry): CommandHandler {
  return {
    matches: (text) => /^\s*\.emulator\s+faults?\b/i.test(text),
    async run(text) {
      const cmd = parseFaultCommand(text);
      if (cmd.action === 'add') registry.add(cmd.spec);
      else if (cmd.action === 'remove') {
        if (!registry.remove(cmd.id)) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Fault ${cmd.id} does not exist.`);
      } else if (cmd.action === 'clear') registry.clear();
      return faultTable(registry);
    },
  };
}
