/**
 * The seam between the emulator's engine half (REST, DuckDB store, KQL, management commands,
 * streaming ingestion — src/emulator/{server,engine,kql,mgmt,ingest}) and its data-management half
 * (Azurite, queued ingestion, status reporting, export, faults, auth — src/emulator/dm, faults, auth).
 *
 * The engine implements `EmulatorEngine`; the DM half only talks to the engine through it.
 */

/** Kusto scalar types as they appear in schemas and V1/V2 ColumnType. */
export type KustoType = 'bool' | 'datetime' | 'dynamic' | 'guid' | 'int' | 'long' | 'real' | 'string' | 'timespan' | 'decimal';

export interface KustoColumn {
  readonly name: string;
  readonly type: KustoType;
}

/** A tabular answer as the engine produces it; the REST layer encodes it as V1 or V2. */
export interface ResultTable {
  readonly name: string;
  readonly columns: readonly KustoColumn[];
  /**
   * Row values in engine form: string | number | bigint | boolean | null, Date-free: datetime as
   * bigint ticks-since-epoch (100 ns) or ISO string with 7 digits, timespan as bigint ticks, decimal as
   * string, dynamic as a parsed JSON value. The encoder turns them into the wire form.
   */
  readonly rows: readonly (readonly unknown[])[];
}

/** An error the service would return: mapped to HTTP status + OneApi body by the REST layer. */
export class KustoServiceError extends Error {
  override name = 'KustoServiceError';
  constructor(
    readonly httpStatus: number,
    /** OneApi `code`, e.g. 'General_BadRequest', 'BadRequest_EntityNotFound', 'Forbidden'. */
    readonly code: string,
    message: string,
    readonly permanent = httpStatus < 500 && httpStatus !== 429,
    /** The `@type`, e.g. 'Kusto.Data.Exceptions.SyntaxException'. */
    readonly kustoType = 'Kusto.DataNode.Exceptions.KustoRequestException',
  ) {
    super(message);
  }
}

export type EndpointKind = 'mgmt' | 'query' | 'ingest' | 'dm';

/** Every request, before it runs; hooks may throw KustoServiceError (faults, auth) or delay. */
export interface RequestInfo {
  readonly endpoint: EndpointKind;
  readonly database: string;
  /** Command or query text; for streaming ingestion '<db>.<table>'. */
  readonly text: string;
  readonly clientRequestId: string | undefined;
  /** The raw Authorization header, if any (never logged). */
  readonly authorization: string | undefined;
}
export type RequestHook = (req: RequestInfo) => void | Promise<void>;

/** A management command implemented outside the engine core (DM commands, `.emulator ...`, principals). */
export interface CommandHandler {
  /** Cheap test on the trimmed command text (e.g. a prefix regex), case-insensitive. */
  matches(text: string): boolean;
  run(text: string, ctx: CommandContext): Promise<ResultTable>;
}
export interface CommandContext {
  readonly database: string;
  readonly clientRequestId: string | undefined;
  readonly principal: string | undefined;
}

export type IngestFormat = 'csv' | 'tsv' | 'tsve' | 'psv' | 'scsv' | 'sohsv' | 'txt' | 'json' | 'multijson' | 'singlejson' | 'parquet';

/** One mapping entry, normalised from CSV (`Ordinal`) or JSON (`Path`) mappings. */
export interface ColumnMappingEntry {
  readonly column: string;
  readonly dataType?: string;
  readonly ordinal?: number;
  readonly path?: string;
  readonly transform?: string;
  readonly constValue?: string;
}

export interface IngestItem {
  /** Uncompressed payload (the caller sniffs gzip/zip magic bytes and inflates). */
  readonly data: Buffer;
  readonly format: IngestFormat;
  readonly mapping?: readonly ColumnMappingEntry[];
  readonly mappingReference?: string;
  readonly ignoreFirstRecord?: boolean;
  /** ValidationPolicy.ValidationImplications: 0 = Fail, 1 = BestEffort (the default). */
  readonly validationImplications?: 0 | 1;
  /** For status messages and failures. */
  readonly sourceId?: string;
  readonly sourcePath?: string;
}

export interface IngestItemOutcome {
  readonly status: 'Succeeded' | 'PartiallySucceeded' | 'Failed';
  readonly rows: number;
  readonly badRows: number;
  readonly errorCode?: string;
  readonly details?: string;
}

export interface ExtentOptions {
  /** Extent tags as stored, e.g. ['ingest-by:x', 'drop-by:y', 'plain']. */
  readonly tags?: readonly string[];
  readonly creationTime?: Date;
}

export interface IngestionBatchingPolicy {
  readonly maximumBatchingTimeSpanMs: number;
  readonly maximumNumberOfItems: number;
  readonly maximumRawDataSizeMB: number;
}

export interface AsyncOperation {
  readonly operationId: string;
  readonly operation: string;
  readonly database: string;
  readonly state: 'InProgress' | 'Completed' | 'Failed' | 'Abandoned' | 'Canceled';
  readonly status: string;
  readonly startedOn: Date;
  readonly lastUpdatedOn: Date;
  readonly clientRequestId?: string;
  /** What `.show operation <id> details` returns. */
  readonly details?: ResultTable;
}

/** What the DM half may ask of the engine. */
export interface EmulatorEngine {
  databaseExists(database: string): boolean;
  tableExists(database: string, table: string): boolean;
  /** Parses all items and, if any row survives, appends them to the table as ONE new extent (atomic). */
  ingestBatch(database: string, table: string, items: readonly IngestItem[], extent: ExtentOptions): Promise<{ extentId: string | null; outcomes: IngestItemOutcome[] }>;
  /** True when an extent of the table carries the tag `ingest-by:<tag>`. */
  hasIngestByTag(database: string, table: string, tag: string): boolean;
  /** Table policy, else database policy, else the emulator default. */
  effectiveBatchingPolicy(database: string, table: string): IngestionBatchingPolicy;
  /** Runs a KQL query (not a command) and returns the primary result. */
  query(database: string, kql: string): Promise<ResultTable>;
  /** Runs a KQL query and streams the result as Arrow IPC bytes (for `.export`), bounded memory. */
  queryToArrow(database: string, kql: string): AsyncIterable<import('apache-arrow').RecordBatch>;
  registerCommand(handler: CommandHandler): void;
  addRequestHook(hook: RequestHook): void;
  /** Async-operation registry shared by `.move async`, `.set-or-append async`, `.export async`. */
  startOperation(database: string, operation: string, clientRequestId: string | undefined, run: () => Promise<ResultTable | undefined>): string;
  getOperation(operationId: string): AsyncOperation | undefined;
  /**
   * Optional (added by the data-management half): installs the fault hooks the engine consults inside
   * its own operations — `beforeMoveExtents` before a `.move extents` moves anything (fail it, or move
   * only some extents). See src/emulator/faults/engine-faults.ts. Engines without it get no such faults.
   */
  setFaults?(faults: import('./faults/engine-faults.js').EngineFaults): void;
  /** `.show commands` / `.show queries` journal. */
  recordCommand(entry: { clientActivityId: string | undefined; commandType: string; text: string; database: string; state: 'Completed' | 'Failed'; failureReason?: string; startedOn: Date; duration: number; principal?: string }): void;
}
