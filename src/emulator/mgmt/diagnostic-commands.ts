import { createHash } from 'node:crypto';
import { hostname, cpus, totalmem, freemem } from 'node:os';
import { KustoServiceError, type AsyncOperation, type ResultTable } from '../contracts.js';
import type { JournalEntry } from '../engine/command-journal.js';
import { dateToTicks } from '../engine/ticks.js';
import { splitTopLevel } from './command-syntax.js';
import { g, resultTable, type MgmtCommand } from './command-types.js';

/** Operations, the command journal, cluster and version information. */

/**
 * The service gives each request a root activity id (a GUID) that both `.show commands` and the
 * `.show operations` rows of the async operations it started carry: that is how a command is linked to
 * its operation. The emulator derives it from the client request id (unique per SDK call), so the two
 * tables agree and the column stays a real guid.
 */
export function rootActivityIdOf(clientRequestId: string | undefined): string | null {
  if (clientRequestId === undefined || clientRequestId === '') return null;
  const h = createHash('sha256').update(clientRequestId).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const OPERATION_COLUMNS = [
  ['OperationId', 'guid'], ['Operation', 'string'], ['NodeId', 'string'], ['StartedOn', 'datetime'], ['LastUpdatedOn', 'datetime'], ['Duration', 'timespan'],
  ['State', 'string'], ['Status', 'string'], ['RootActivityId', 'guid'], ['ShouldRetry', 'bool'], ['Database', 'string'], ['Principal', 'string'], ['User', 'string'], ['AdminEpochStartTime', 'datetime'],
] as const;

function operationRow(o: AsyncOperation): unknown[] {
  const end = o.state === 'InProgress' ? new Date() : o.lastUpdatedOn;
  return [o.operationId, o.operation, 'KjobEmulator-0', dateToTicks(o.startedOn), dateToTicks(o.lastUpdatedOn), dateToTicks(end) - dateToTicks(o.startedOn), o.state, o.status, rootActivityIdOf(o.clientRequestId), false, o.database, '', '', null];
}

const JOURNAL_COLUMNS = [
  ['ClientActivityId', 'string'], ['CommandType', 'string'], ['Text', 'string'], ['Database', 'string'], ['StartedOn', 'datetime'], ['LastUpdatedOn', 'datetime'], ['Duration', 'timespan'],
  ['State', 'string'], ['RootActivityId', 'guid'], ['User', 'string'], ['FailureReason', 'string'], ['Application', 'string'], ['Principal', 'string'], ['TotalCpu', 'timespan'], ['ResourcesUtilization', 'dynamic'], ['WorkloadGroup', 'string'],
] as const;

function journalRows(list: readonly JournalEntry[]): unknown[][] {
  return list.map((e) => {
    const start = dateToTicks(e.startedOn);
    const dur = BigInt(Math.round(e.duration)) * 10_000n;
    return [e.clientActivityId ?? '', e.commandType, e.text, e.database, start, start + dur, dur, e.state, rootActivityIdOf(e.clientActivityId), e.principal ?? '', e.failureReason ?? '', 'kjob', e.principal ?? '', dur, { CacheStatistics: null }, 'default'];
  });
}

const START = new Date();

export const diagnosticCommands: MgmtCommand[] = [
  {
    name: 'show operation details',
    pattern: /^\.show\s+operation\s+(?<id>[0-9a-fA-F-]{36})\s+details\s*$/i,
    async run(m, { engine }) {
      const op = engine.getOperation(g(m, 'id'));
      if (!op) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Operation '${g(m, 'id')}' was not found.`);
      if (op.state === 'InProgress') throw new KustoServiceError(400, 'BadRequest_OperationInProgress', `Operation '${op.operationId}' is still in progress; its details are available once it completes.`);
      return op.details ?? resultTable([], []);
    },
  },
  {
    name: 'show operations',
    pattern: /^\.show\s+operations(?:\s+(?:(?<id>[0-9a-fA-F-]{36})|\((?<ids>[^)]*)\)))?\s*$/i,
    async run(m, { engine }) {
      let ops: AsyncOperation[];
      if (g(m, 'id')) ops = [engine.getOperation(g(m, 'id'))].filter((o): o is AsyncOperation => o !== undefined);
      else if (g(m, 'ids')) ops = splitTopLevel(g(m, 'ids'), ',').map((s) => engine.getOperation(s.trim().replace(/^['"]|['"]$/g, ''))).filter((o): o is AsyncOperation => o !== undefined);
      else ops = engine.operations.list();
      return resultTable(OPERATION_COLUMNS, ops.map(operationRow));
    },
  },
  {
    name: 'show commands',
    pattern: /^\.show\s+(?<what>commands-and-queries|commands|queries)\s*$/i,
    async run(m, { engine }) {
      const what = g(m, 'what').toLowerCase();
      const list = what === 'commands' ? engine.journal.commands : what === 'queries' ? engine.journal.queries : [...engine.journal.commands, ...engine.journal.queries];
      return resultTable(JOURNAL_COLUMNS, journalRows(list));
    },
  },
  {
    name: 'show cluster',
    pattern: /^\.show\s+cluster(?<details>\s+details)?\s*$/i,
    async run(m) {
      const base: unknown[] = ['KjobEmulator-0', `net.tcp://${hostname()}`, 'KjobEmulator', dateToTicks(START), true, totalmem(), freemem(), cpus().length, 0, 0, 'kjob emulator', '1.0.0.0'];
      const cols: [string, 'string' | 'datetime' | 'bool' | 'long'][] = [['NodeId', 'string'], ['Address', 'string'], ['Name', 'string'], ['StartTime', 'datetime'], ['IsAdmin', 'bool'], ['MachineTotalMemory', 'long'], ['MachineAvailableMemory', 'long'], ['ProcessorCount', 'long'], ['HotDataTotalDiskSpace', 'long'], ['HotDataAvailableDiskSpace', 'long'], ['EnvironmentDescription', 'string'], ['ProductVersion', 'string']];
      if (g(m, 'details')) {
        cols.push(['ClusterName', 'string'], ['ServiceType', 'string']);
        base.push('KjobEmulator', 'Engine');
      }
      return resultTable(cols, [base]);
    },
  },
  {
    name: 'show version',
    pattern: /^\.show\s+version\s*$/i,
    async run(): Promise<ResultTable> {
      return resultTable([['BuildVersion', 'string'], ['BuildTime', 'datetime'], ['ServiceType', 'string'], ['ProductVersion', 'string']], [['1.0.0.0', dateToTicks(START), 'Engine', 'KjobEmulator 1.0']]);
    },
  },
  {
    name: 'show materialized-views',
    pattern: /^\.show\s+materialized-views?\b[\s\S]*$/i,
    async run(): Promise<ResultTable> {
      return resultTable(
        [['Name', 'string'], ['SourceTable', 'string'], ['Query', 'string'], ['MaterializedTo', 'datetime'], ['LastRun', 'datetime'], ['LastRunResult', 'string'], ['IsHealthy', 'bool'], ['IsEnabled', 'bool'], ['Folder', 'string'], ['DocString', 'string'], ['AutoUpdateSchema', 'bool'], ['EffectiveDateTime', 'datetime'], ['Lookback', 'timespan']],
        [],
      );
    },
  },
];
