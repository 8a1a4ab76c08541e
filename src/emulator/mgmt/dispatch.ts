import { KustoServiceError, type CommandContext, type ResultTable } from '../contracts.js';
import { COMMAND_RESULTS, type KustoEngine } from '../engine/kusto-engine.js';
import { RawJson } from '../engine/raw-json.js';
import { indexOfTopLevel } from './command-syntax.js';
import type { MgmtCommand } from './command-types.js';
import { databaseCommands } from './database-commands.js';
import { diagnosticCommands } from './diagnostic-commands.js';
import { extentCommands } from './extent-commands.js';
import { ingestCommands } from './ingest-commands.js';
import { mappingCommands } from './mapping-commands.js';
import { policyCommands } from './policy-commands.js';
import { tableCommands } from './table-commands.js';

/**
 * Routes a management command by cheap prefix regexes (Microsoft's parser costs ~100 ms per
 * command). A `.show` command may be followed by KQL over its result — `| where …` directly, or
 * `; $command_results | …` — which runs through the KQL translator. Handlers registered by the
 * data-management half are tried after the engine's own; anything else is a 400 naming the command.
 */
const COMMANDS: readonly MgmtCommand[] = [...policyCommands, ...mappingCommands, ...extentCommands, ...tableCommands, ...databaseCommands, ...ingestCommands, ...diagnosticCommands];

/** Splits `.show … | kql` / `.show …; $command_results | kql`; undefined when there is no pipe. */
export function splitCommandPipe(text: string): { command: string; kql: string } | undefined {
  if (!/^\.show\b/i.test(text) || text.includes('<|')) return undefined;
  const i = indexOfTopLevel(text, '|;');
  if (i < 0) return undefined;
  if (text[i] === '|') return { command: text.slice(0, i).trim(), kql: `${COMMAND_RESULTS} ${text.slice(i)}` };
  const rest = text.slice(i + 1).trim();
  return rest === '' ? undefined : { command: text.slice(0, i).trim(), kql: rest };
}

export async function executeCommand(engine: KustoEngine, database: string, text: string, ctx: CommandContext): Promise<ResultTable> {
  const trimmed = text.trim();
  const piped = splitCommandPipe(trimmed);
  if (piped) {
    const result = await runOne(engine, database, piped.command, ctx);
    const r = await engine.runKql(database, piped.kql, result);
    const rows = r.rows.map((row) => row.map((v) => (v instanceof RawJson ? (JSON.parse(v.text) as unknown) : v)));
    return { name: 'Table_0', columns: r.columns, rows };
  }
  return runOne(engine, database, trimmed, ctx);
}

async function runOne(engine: KustoEngine, database: string, text: string, ctx: CommandContext): Promise<ResultTable> {
  const t = text.trim().replace(/;\s*$/, '').trim();
  for (const c of COMMANDS) {
    const m = c.pattern.exec(t);
    if (m) return c.run(m, { engine, database, text: t, ctx });
  }
  for (const h of engine.handlers) if (h.matches(t)) return h.run(t, { ...ctx, database });
  const head = (/^\.[\w-]+(?:\s+[\w-]+){0,2}/.exec(t)?.[0] ?? t.slice(0, 40)).trim();
  throw new KustoServiceError(400, 'General_BadRequest', `Management command '${head}' is not supported by the kjob emulator (full text: ${t.length > 200 ? `${t.slice(0, 200)}…` : t}).`, true, 'Kusto.Data.Exceptions.SyntaxException');
}
