import { setTimeout as sleep } from 'node:timers/promises';
import { KustoServiceError } from '../contracts.js';
import type { CommandHandler, EmulatorEngine, ResultTable } from '../contracts.js';
import type { FaultRegistry } from '../faults/fault-registry.js';
import { exportSettings, parseExportCommand } from './export-command.js';
import { exportResultTable, writeExport } from './export-writer.js';

/**
 * The `.export` command: sync returns the files written (Path, NumRecords, SizeInBytes); async
 * returns an OperationId tracked by `.show operations`, whose details are the same file list.
 * Injected export faults fail the export, or hold it (InProgress) for the timeout and then fail it.
 */
export class ExportService {
  private readonly abort = new AbortController();

  constructor(
    private readonly engine: EmulatorEngine,
    private readonly faults: FaultRegistry,
  ) {}

  handler(): CommandHandler {
    return {
      matches: (text) => /^\s*\.export\b/i.test(text),
      run: (text, ctx) => this.run(text, ctx.database, ctx.clientRequestId),
    };
  }

  /** Cancels exports held by a timeout fault and in-flight writes (on emulator stop). */
  stop(): void {
    this.abort.abort(new KustoServiceError(503, 'ServiceUnavailable', 'The emulator is stopping; the export was cancelled.', false));
  }

  private async run(text: string, database: string, clientRequestId: string | undefined): Promise<ResultTable> {
    const cmd = parseExportCommand(text);
    const settings = exportSettings(cmd);
    if (!this.engine.databaseExists(database)) {
      throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Database '${database}' was not found.`, true, 'Kusto.Data.Exceptions.EntityNotFoundException');
    }
    const work = async (): Promise<ResultTable> => {
      const fault = this.faults.takeExportFault();
      if (fault?.mode === 'fail') throw new KustoServiceError(500, 'General_InternalServerError', `The export failed (emulator fault injection #${fault.id}).`, false);
      if (fault?.mode === 'timeout') {
        await sleep(fault.timeoutMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
        throw new KustoServiceError(504, 'General_Timeout', `The export timed out after ${fault.timeoutMs} ms (emulator fault injection #${fault.id}).`, false);
      }
      const files = await writeExport(this.engine.queryToArrow(database, cmd.query), cmd, settings, this.abort.signal);
      return exportResultTable(files);
    };
    if (!cmd.async) return work();
    const operationId = this.engine.startOperation(database, 'DataExportToFile', clientRequestId, work);
    return { name: 'Table_0', columns: [{ name: 'OperationId', type: 'guid' }], rows: [[operationId]] };
  }
}
