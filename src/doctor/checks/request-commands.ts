/**
 * Check 2a: the commands and queries one job sent (`.show commands | where ClientActivityId has '<id>'`,
 * and `.show queries` alike), their states and failure reasons. kjob and the connector prefix every client request id with the job's
 * `requestId` (reference §2.3), so the id in a kjob error finds all of a write's commands.
 */
import { MOVE_RETRIES_EXHAUSTED_CAUSE, MOVE_RETRIES_EXHAUSTED_RESOLUTION } from '../../datasource/kusto/errors/operation-errors.js';
import type { Finding } from '../finding.js';
import { date, freeText, text, type Row } from '../rows.js';

/** Command / operation states that mean "did not complete". */
export const FAILED_STATES: ReadonlySet<string> = new Set(['failed', 'throttled', 'abandoned', 'canceled', 'cancelled']);

export function isFailedState(state: string): boolean {
  return FAILED_STATES.has(state.trim().toLowerCase());
}

const MAX_LISTED = 20;

function firstLine(s: string, max = 160): string {
  const line = s.split(/\r?\n/)[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** Cause and fix for a failed command, by what the command was and what the service said. */
export function guidanceForFailedCommand(commandText: string, failureReason: string): { cause: string; resolution: string } {
  if (/not authori[sz]ed|forbidden|\b403\b|unauthori[sz]ed|\b401\b/i.test(failureReason)) {
    return {
      cause: 'The principal is not authenticated or lacks the role the command needs (e.g. Database Admin for .create table, Ingestor for ingestion).',
      resolution: 'Grant the role the failure reason names (.add database … admins|ingestors|viewers), or run the job with a principal that has it.',
    };
  }
  if (/^\s*\.move\b/i.test(commandText)) return { cause: MOVE_RETRIES_EXHAUSTED_CAUSE, resolution: MOVE_RETRIES_EXHAUSTED_RESOLUTION };
  if (/^\s*\.export\b/i.test(commandText)) {
    return {
      cause: 'Kusto could not export the query result: the export storage refused the write (SAS expired, private endpoint, public access disabled) or the query failed.',
      resolution: 'Check the transient storage (transientStorage option or .show export containers) and the query; the failure reason names the culprit.',
    };
  }
  return { cause: 'Kusto rejected the command (see the failure reason).', resolution: 'Fix the permissions or the input the failure reason names, then re-run the job.' };
}

export function checkRequestCommands(requestId: string, rows: readonly Row[]): Finding[] {
  if (rows.length === 0) {
    return [{
      check: 'commands',
      status: 'warn',
      title: `No commands or queries found for request id '${requestId}'`,
      cause: 'The id is not a job request id, the commands are older than .show commands keeps (about 30 days), or the caller sees only its own commands (not a database admin).',
      resolution: "Copy the id from the job's error ('Request id: …') or its requestId option, and run doctor as a database admin.",
    }];
  }
  const sorted = [...rows].sort((a, b) => (date(a, 'StartedOn')?.getTime() ?? 0) - (date(b, 'StartedOn')?.getTime() ?? 0));
  const commands = sorted.map((r) => ({
    startedOn: date(r, 'StartedOn')?.toISOString() ?? null,
    commandType: text(r, 'CommandType'),
    state: text(r, 'State'),
    text: firstLine(freeText(r, 'Text'), 300),
    failureReason: freeText(r, 'FailureReason'),
    clientActivityId: text(r, 'ClientActivityId'),
  }));
  const failed = sorted.filter((r) => isFailedState(text(r, 'State')));
  const lines = commands.slice(0, MAX_LISTED).map((c) => `${c.startedOn ?? '?'}  ${c.state.padEnd(9)} ${c.commandType}: ${firstLine(c.text, 100)}`);
  if (commands.length > MAX_LISTED) lines.push(`… and ${commands.length - MAX_LISTED} more (see data.commands in --json)`);
  const out: Finding[] = [{
    check: 'commands',
    status: failed.length === 0 ? 'ok' : 'info',
    title: `${rows.length} command(s)/queries for request id '${requestId}', ${failed.length} failed`,
    detail: lines.join('\n'),
    data: { commands },
  }];
  for (const r of failed.slice(0, MAX_LISTED)) {
    const reason = freeText(r, 'FailureReason');
    out.push({
      check: 'commands',
      status: 'fail',
      title: `${text(r, 'CommandType') || 'Command'} ${text(r, 'State')}: ${firstLine(freeText(r, 'Text'))}`,
      ...(reason ? { detail: reason } : {}),
      ...guidanceForFailedCommand(freeText(r, 'Text'), reason),
      data: { clientActivityId: text(r, 'ClientActivityId'), startedOn: date(r, 'StartedOn')?.toISOString() ?? null },
    });
  }
  return out;
}
