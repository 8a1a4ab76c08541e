import { KustoServiceError } from '../contracts.js';
import type { EndpointKind, RequestHook, RequestInfo } from '../contracts.js';
import type { EngineFaults, MoveExtentsFaultDecision } from './engine-faults.js';

/**
 * Fault injection for the job runner's reliability tests. Off until a fault is added, either
 * programmatically (`startEmulator(...).faults.add(...)`) or with the `.emulator fault ...`
 * management command. Each fault fires a given number of times, then disappears.
 */
export type RequestFaultEndpoint = EndpointKind | 'any';

export type FaultSpec =
  /** Throttle (429) or fail (500/503) the next `count` requests matching `pattern`. */
  | { kind: 'request'; status: 429 | 500 | 503; count: number; endpoint?: RequestFaultEndpoint; pattern?: string }
  /** The DM fails, or marks PartiallySucceeded, the next `count` ingestions of a table. */
  | { kind: 'ingestion'; mode: 'fail' | 'partial'; count: number; table: string; database?: string; transient?: boolean }
  /** The DM waits `ms` before ingesting each batch (0 removes the delay). */
  | { kind: 'dmDelay'; ms: number }
  /**
   * `.move extents` fails, moves only part of the extents, or hangs (InProgress for `hangMs`, then
   * Failed; `clear` ends a hang early) the next `count` times.
   */
  | { kind: 'moveExtents'; mode: 'fail' | 'partial' | 'hang'; count: number; table?: string; hangMs?: number }
  /** `.export` fails, or hangs for `timeoutMs` then fails, the next `count` times. */
  | { kind: 'export'; mode: 'fail' | 'timeout'; count: number; timeoutMs?: number }
  /** `.get ingestion resources` / `.show export containers` return no rows the next `count` times. */
  | { kind: 'noStorage'; count: number };

export interface ActiveFault {
  readonly id: number;
  readonly spec: FaultSpec;
  remaining: number;
  fired: number;
}

const UNLIMITED = Number.POSITIVE_INFINITY;
const DEFAULT_MOVE_HANG_MS = 60_000;

export class FaultRegistry implements EngineFaults {
  private readonly faults: ActiveFault[] = [];
  private nextId = 1;
  private dmDelay = 0;
  /** Aborted by clear(): a hung move must not outlive the test that injected it (nor delay emulator stop). */
  private hangs = new AbortController();

  add(spec: FaultSpec): number {
    validate(spec);
    if (spec.kind === 'dmDelay') {
      this.dmDelay = spec.ms;
      return 0;
    }
    const id = this.nextId++;
    this.faults.push({ id, spec, remaining: spec.count <= 0 ? UNLIMITED : spec.count, fired: 0 });
    return id;
  }

  remove(id: number): boolean {
    const i = this.faults.findIndex((f) => f.id === id);
    if (i < 0) return false;
    this.faults.splice(i, 1);
    return true;
  }

  clear(): void {
    this.faults.length = 0;
    this.dmDelay = 0;
    this.hangs.abort();
    this.hangs = new AbortController();
  }

  list(): readonly ActiveFault[] {
    return this.faults;
  }

  get dmDelayMs(): number {
    return this.dmDelay;
  }

  /** The request hook: throws the injected error when a request fault matches. */
  readonly requestHook: RequestHook = (req: RequestInfo) => {
    // The fault-control command itself is never faulted, so a test can always clear faults.
    if (/^\s*\.emulator\b/i.test(req.text)) return;
    const f = this.take((s) => s.kind === 'request' && endpointMatches(s.endpoint, req.endpoint) && textMatches(s.pattern, req.text));
    if (!f || f.spec.kind !== 'request') return;
    const { status } = f.spec;
    if (status === 429) {
      throw new KustoServiceError(429, 'TooManyRequests', `The request was throttled (emulator fault injection #${f.id}).`, false, 'Kusto.DataNode.Exceptions.ThrottlingException');
    }
    throw new KustoServiceError(
      status,
      status === 503 ? 'ServiceUnavailable' : 'General_InternalServerError',
      `The service failed the request with ${status} (emulator fault injection #${f.id}).`,
      false,
      'Kusto.DataNode.Exceptions.KustoServiceException',
    );
  };

  /** For the DM: an injected outcome for the next ingestion of (database, table), if any. */
  takeIngestionFault(database: string, table: string): { mode: 'fail' | 'partial'; transient: boolean; id: number } | undefined {
    const f = this.take((s) => s.kind === 'ingestion' && namesMatch(s.table, table) && (s.database === undefined || namesMatch(s.database, database)));
    if (!f || f.spec.kind !== 'ingestion') return undefined;
    return { mode: f.spec.mode, transient: f.spec.transient ?? false, id: f.id };
  }

  takeExportFault(): { mode: 'fail' | 'timeout'; timeoutMs: number; id: number } | undefined {
    const f = this.take((s) => s.kind === 'export');
    if (!f || f.spec.kind !== 'export') return undefined;
    return { mode: f.spec.mode, timeoutMs: f.spec.timeoutMs ?? 600_000, id: f.id };
  }

  takeNoStorage(): boolean {
    return this.take((s) => s.kind === 'noStorage') !== undefined;
  }

  beforeMoveExtents(_database: string, sourceTable: string, extentIds: readonly string[]): MoveExtentsFaultDecision {
    const f = this.take((s) => s.kind === 'moveExtents' && s.mode !== 'hang' && (s.table === undefined || namesMatch(s.table, sourceTable)));
    if (!f || f.spec.kind !== 'moveExtents') return {};
    if (f.spec.mode === 'fail') return { fail: `Moving extents from table '${sourceTable}' failed (emulator fault injection #${f.id}).` };
    // A partial move: the first half (at least one when there are several, never all).
    const keep = extentIds.length <= 1 ? 0 : Math.ceil(extentIds.length / 2);
    return { onlyIds: extentIds.slice(0, Math.min(keep, extentIds.length - 1)) };
  }

  async moveExtentsHang(_database: string, sourceTable: string | undefined): Promise<string | undefined> {
    const f = this.take((s) => s.kind === 'moveExtents' && s.mode === 'hang' && (s.table === undefined || sourceTable === undefined || namesMatch(s.table, sourceTable)));
    if (!f || f.spec.kind !== 'moveExtents') return undefined;
    const ms = f.spec.hangMs ?? DEFAULT_MOVE_HANG_MS;
    const signal = this.hangs.signal;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
    return `Moving extents${sourceTable ? ` from table '${sourceTable}'` : ''} hung for ${ms} ms and was abandoned (emulator fault injection #${f.id}).`;
  }

  private take(pred: (s: FaultSpec) => boolean): ActiveFault | undefined {
    const i = this.faults.findIndex((f) => pred(f.spec));
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    f.remaining -= 1;
    f.fired += 1;
    if (f.remaining <= 0) this.faults.splice(i, 1);
    return f;
  }
}

function endpointMatches(want: RequestFaultEndpoint | undefined, got: EndpointKind): boolean {
  if (want === undefined || want === 'any') return true;
  // DM commands arrive on the mgmt endpoint; a 'mgmt' fault covers both.
  return want === got || (want === 'mgmt' && got === 'dm');
}

function textMatches(pattern: string | undefined, text: string): boolean {
  if (pattern === undefined || pattern === '') return true;
  return new RegExp(pattern, 'i').test(text);
}

function namesMatch(want: string, got: string): boolean {
  return want === '*' || want === got;
}

function validate(spec: FaultSpec): void {
  const bad = (m: string) => new KustoServiceError(400, 'BadRequest_InvalidArgument', `Invalid fault: ${m}`);
  if ('count' in spec && (!Number.isInteger(spec.count) || spec.count < 0)) throw bad(`count must be a non-negative integer (0 = until cleared), got ${spec.count}`);
  if (spec.kind === 'request') {
    if (![429, 500, 503].includes(spec.status)) throw bad(`status must be 429, 500 or 503, got ${spec.status}`);
    if (spec.pattern !== undefined) {
      try {
        new RegExp(spec.pattern, 'i');
      } catch (e) {
        throw bad(`pattern ${JSON.stringify(spec.pattern)} is not a valid regular expression: ${(e as Error).message}`);
      }
    }
  }
  if (spec.kind === 'moveExtents' && spec.hangMs !== undefined && (!Number.isFinite(spec.hangMs) || spec.hangMs < 0)) throw bad(`move-extents hang must be a non-negative number of ms, got ${spec.hangMs}`);
  if (spec.kind === 'dmDelay' && (!Number.isFinite(spec.ms) || spec.ms < 0)) throw bad(`dm delay must be a non-negative number of ms, got ${spec.ms}`);
  if (spec.kind === 'export' && spec.timeoutMs !== undefined && (!Number.isFinite(spec.timeoutMs) || spec.timeoutMs < 0)) throw bad(`export timeout must be a non-negative number of ms`);
  if (spec.kind === 'ingestion' && !spec.table) throw bad('an ingestion fault needs a table (or * for every table)');
}

export function describeFault(f: FaultSpec): string {
  switch (f.kind) {
    case 'request':
      return `${f.status === 429 ? 'throttle' : `fail ${f.status}`} ${f.endpoint ?? 'any'} requests${f.pattern ? ` matching /${f.pattern}/` : ''}`;
    case 'ingestion':
      return `${f.mode === 'fail' ? 'fail' : 'partially fail'} ingestions into ${f.database ? `${f.database}.` : ''}${f.table}${f.transient ? ' (transient)' : ''}`;
    case 'dmDelay':
      return `delay DM processing by ${f.ms} ms`;
    case 'moveExtents':
      return `${f.mode === 'fail' ? 'fail' : f.mode === 'partial' ? 'partially perform' : `hang (${f.hangMs ?? DEFAULT_MOVE_HANG_MS} ms)`} .move extents${f.table ? ` from ${f.table}` : ''}`;
    case 'export':
      return f.mode === 'fail' ? 'fail .export' : `time out .export after ${f.timeoutMs ?? 600_000} ms`;
    case 'noStorage':
      return 'return no storage resources';
  }
}
