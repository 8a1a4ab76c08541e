import { schemaToJson } from '../arrow/schema-json.js';
import type { CommitMessage, DataSource, DriverContext, SaveMode, WriteJob, WriteSummary } from '../datasource/datasource.js';
import type { PlanNode } from '../plan/plan-node.js';
import type { Schema } from 'apache-arrow';
import { canonicalFormat, getDataSource } from '../datasource/registry.js';
import { ConfigError, PlanError } from '../errors/kjob-error.js';
import type { ResolvedPlan } from './dataframe.js';
import { registerAsyncWrite } from './async-writes.js';
import { runAction, runSinkTaskStage, type ActionHost } from './run-action.js';

const MODES: Readonly<Record<string, SaveMode>> = {
  append: 'append',
  overwrite: 'overwrite',
  errorifexists: 'errorifexists',
  error: 'errorifexists',
  default: 'errorifexists',
  ignore: 'ignore',
};

interface WriterState {
  readonly format: string;
  readonly options: Readonly<Record<string, string>>;
  readonly mode: SaveMode;
}

/** What `save()` reports: rows and bytes the sink committed, or `skipped` for mode('ignore') on an existing target. */
export interface SaveResult extends WriteSummary {
  readonly skipped: boolean;
  /** An asynchronous write (the sink's option, e.g. Kusto writeEnableAsync): its outcome once finished. */
  readonly outcome?: Promise<SaveResult>;
}

/** What a completed `save()` tells its observers. */
export interface SaveEvent {
  readonly format: string;
  readonly path: string | undefined;
  readonly result: SaveResult;
}

const saveListeners = new Set<(event: SaveEvent) => void>();

/**
 * Observes every completed `save()` in this process (`kjob submit`'s run report collects rows and
 * request ids this way). Returns the unsubscribe function. A throwing listener never fails the write.
 */
export function onSave(listener: (event: SaveEvent) => void): () => void {
  saveListeners.add(listener);
  return () => saveListeners.delete(listener);
}

function notifySaved(event: SaveEvent): SaveResult {
  for (const l of saveListeners) {
    try {
      l(event);
    } catch {
      // An observer's bug must not turn a committed write into a failure.
    }
  }
  return event.result;
}

/**
 * `df.write`: an immutable builder (every call returns a new writer) ending in `save()`, which runs
 * the sink's batch-write protocol: validate options → prepareWrite (driver) → one write task per
 * partition → commitWrite with the accepted commit messages, or abortWrite on any failure.
 * Default format parquet, default mode errorifexists (as Spark).
 */
export class DataFrameWriter {
  readonly #host: ActionHost;
  readonly #plan: () => Promise<ResolvedPlan>;
  readonly #state: WriterState;

  /** @internal Use `df.write`. */
  constructor(host: ActionHost, plan: () => Promise<ResolvedPlan>, state: WriterState = { format: 'parquet', options: {}, mode: 'errorifexists' }) {
    this.#host = host;
    this.#plan = plan;
    this.#state = Object.freeze(state);
  }

  format(format: string): DataFrameWriter {
    canonicalFormat(format);
    return this.#with({ format });
  }
  option(key: string, value: string | number | boolean): DataFrameWriter {
    return this.#with({ options: { ...this.#state.options, [key]: String(value) } });
  }
  options(options: Readonly<Record<string, string | number | boolean>>): DataFrameWriter {
    return this.#with({ options: { ...this.#state.options, ...Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)])) } });
  }
  /** 'append' | 'overwrite' | 'errorifexists' (alias 'error') | 'ignore'. */
  mode(mode: string): DataFrameWriter {
    const m = MODES[String(mode).toLowerCase()];
    if (!m) throw new ConfigError(`Unknown save mode '${mode}'; use one of append, overwrite, errorifexists, ignore`, { context: { option: 'mode' } });
    return this.#with({ mode: m });
  }

  async parquet(path: string): Promise<SaveResult> {
    return this.format('parquet').save(path);
  }
  async csv(path: string): Promise<SaveResult> {
    return this.format('csv').save(path);
  }

  /** Writes the DataFrame. Throws before any side effect on unknown format or bad options. */
  async save(path?: string): Promise<SaveResult> {
    const { options, mode } = this.#state;
    const format = canonicalFormat(this.#state.format);
    this.#host.checkCanRun();
    const { node, schema } = await this.#plan();
    const ds = await getDataSource(format);
    if (!ds.prepareWrite || !ds.writeTask || !ds.commitWrite) throw new PlanError(`The '${format}' data source cannot be written`, { context: { format } });
    ds.validateWriteOptions?.(options, path, mode);
    const jobId = this.#host.nextJobId();
    const ctx = this.#host.driverContext(jobId);
    const job = await ds.prepareWrite(schema, options, path, mode, ctx);
    if (job.skip) {
      ctx.log.info({ format, path: path ?? null }, 'write skipped (mode ignore, target exists)');
      return notifySaved({ format, path, result: { rows: 0, bytes: 0, skipped: true } });
    }
    const run = () => this.#runAndCommit(ds, job, node, schema, jobId, ctx).then((result) => notifySaved({ format, path, result }));
    if (!job.async) return run();
    // Asynchronous: the stage and the commit go on in the background; errors are logged with the
    // write's id (the caller has moved on) and kept in the handle.
    const { id } = job.async;
    const outcome = run();
    outcome.catch((err: unknown) => ctx.log.error({ requestId: id, format, err: (err as Error)?.message ?? String(err) }, 'asynchronous write failed'));
    registerAsyncWrite(id, outcome);
    this.#host.trackBackground?.(outcome);
    return { rows: 0, bytes: 0, skipped: false, detail: job.async.detail ?? { id, async: true }, outcome };
  }

  async #runAndCommit(ds: DataSource, job: WriteJob, node: PlanNode, schema: Schema, jobId: string, ctx: DriverContext): Promise<SaveResult> {
    let messages: CommitMessage[] = [];
    try {
      const results = await runAction(this.#host, node, { kind: 'write', job, schema: schemaToJson(schema) }, jobId);
      messages = results.map((r) => r.output as CommitMessage);
      // The sink may run post-write work on an executor as further single-task stages of this job.
      let stageId = 0;
      const commitCtx: DriverContext = { ...ctx, runSinkTask: (payload) => runSinkTaskStage(this.#host, job.format, payload, jobId, ++stageId) };
      const summary = await ds.commitWrite!(job, messages, commitCtx);
      return { ...summary, skipped: false };
    } catch (err) {
      await ds.abortWrite?.(job, messages, ctx).catch((abortErr: unknown) => ctx.log.error({ err: String(abortErr) }, 'abortWrite failed after a failed write'));
      throw err;
    }
  }

  #with(change: Partial<WriterState>): DataFrameWriter {
    return new DataFrameWriter(this.#host, this.#plan, { ...this.#state, ...change });
  }
}
