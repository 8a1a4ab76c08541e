import type { CommitMessage, DriverContext, SaveMode, TaskContext, WriteJob, WriteSummary } from '../datasource.js';
import { outputStoreFor, type ByteSink, type OutputStore } from './output-store.js';
import { PathAlreadyExistsError } from './storage-errors.js';
import { ConfigError } from '../../errors/kjob-error.js';
import { isHiddenName } from './glob.js';

/**
 * Spark's file commit protocol, shared by the file formats: tasks write `part-…` files into
 * `<target>/_temporary/<jobId>/<attemptId>/`, and only the driver's commit moves the files of
 * accepted attempts into the target and writes `_SUCCESS`. Readers skip `_`-prefixed entries, so a
 * failed or running job never shows partial output; overwrite replaces the old files only at commit.
 */

export const STAGING_DIR = '_temporary';
export const SUCCESS_MARKER = '_SUCCESS';

export interface FileWriteState {
  readonly path: string;
  readonly jobId: string;
  readonly mode: SaveMode;
  /** Whether the target did not exist before this job (abort then removes it again). */
  readonly createdTarget: boolean;
}

export interface WrittenFile {
  readonly name: string;
  readonly rows: number;
  readonly bytes: number;
}

/** Driver side: checks the save mode against the target, creates the job's staging directory. */
export async function prepareFileWrite(path: string, mode: SaveMode, jobId: string, conf: ReadonlyMap<string, string>): Promise<{ skip: boolean; state: FileWriteState }> {
  const store = outputStoreFor(path, conf);
  if (await store.isFile()) {
    if (mode === 'ignore') return { skip: true, state: { path, jobId, mode, createdTarget: false } };
    if (mode === 'errorifexists') throw new PathAlreadyExistsError(store.display);
    throw new ConfigError(`Cannot write to ${store.display}: it is a file, and a write target is a directory of part files`, {
      resolution: 'Write to a directory path (it is created), or delete the file first.',
      context: { path: store.display, mode },
    });
  }
  const entries = await store.list();
  const visible = (entries ?? []).filter((e) => e !== STAGING_DIR);
  const exists = entries !== undefined;
  if (mode === 'ignore' && exists) return { skip: true, state: { path, jobId, mode, createdTarget: false } };
  if (mode === 'errorifexists' && visible.length > 0) throw new PathAlreadyExistsError(store.display);
  await store.mkdirs(`${STAGING_DIR}/${jobId}`);
  return { skip: false, state: { path, jobId, mode, createdTarget: !exists } };
}

/** The file name of one task's output: `part-00003-<jobId>[-c001].<ext>` (Spark's layout). */
export function partFileName(partition: number, jobId: string, ext: string, sequence = 0): string {
  const seq = sequence === 0 ? '' : `-c${String(sequence).padStart(3, '0')}`;
  return `part-${String(partition).padStart(5, '0')}-${jobId}${seq}.${ext}`;
}

/** Executor side: opens staged output files for one task attempt. */
export class TaskOutput {
  private readonly store: OutputStore;
  private readonly written: WrittenFile[] = [];
  private readonly open = new Set<ByteSink>();
  constructor(
    private readonly state: FileWriteState,
    private readonly ctx: TaskContext,
  ) {
    this.store = outputStoreFor(state.path, ctx.conf);
  }
  private stagedPath(name: string): string {
    return `${STAGING_DIR}/${this.state.jobId}/${this.ctx.attemptId}/${name}`;
  }
  async create(ext: string): Promise<{ name: string; sink: ByteSink }> {
    const name = partFileName(this.ctx.partition, this.state.jobId, ext, this.written.length + this.open.size);
    const sink = await this.store.openWriter(this.stagedPath(name));
    this.open.add(sink);
    return { name, sink };
  }
  async finish(name: string, sink: ByteSink, rows: number): Promise<void> {
    const bytes = await sink.close();
    this.open.delete(sink);
    this.written.push({ name, rows, bytes });
  }
  /** Removes this attempt's staged files (a failed task leaves nothing behind). */
  async abort(): Promise<void> {
    for (const sink of this.open) await sink.abort().catch(() => undefined);
    this.open.clear();
    await this.store.remove(`${STAGING_DIR}/${this.state.jobId}/${this.ctx.attemptId}`);
  }
  commitMessage(): CommitMessage {
    const rows = this.written.reduce((s, f) => s + f.rows, 0);
    const bytes = this.written.reduce((s, f) => s + f.bytes, 0);
    return { attemptId: this.ctx.attemptId, partition: this.ctx.partition, rows, bytes, detail: { files: this.written.map((f) => ({ ...f })) } };
  }
}

/** Driver side: publishes the accepted attempts' files, replacing old data for overwrite, then `_SUCCESS`. */
export async function commitFileWrite(state: FileWriteState, messages: readonly CommitMessage[], conf: ReadonlyMap<string, string>): Promise<WriteSummary> {
  const store = outputStoreFor(state.path, conf);
  const jobDir = `${STAGING_DIR}/${state.jobId}`;
  const staged = messages.flatMap((m) => filesOf(m).map((f) => ({ from: `${jobDir}/${m.attemptId}/${f.name}`, name: f.name })));
  for (const f of staged) {
    if (!(await store.exists(f.from))) throw new Error(`Staged output file ${f.from} of ${store.display} is missing; cannot commit`);
  }
  const moved: string[] = [];
  const parked: string[] = [];
  try {
    if (state.mode === 'overwrite') {
      // Park the old files inside the job's staging dir first, so a failure can put them back.
      for (const entry of (await store.list()) ?? []) {
        if (entry === STAGING_DIR) continue;
        await store.move(entry, `${jobDir}/_old/${entry}`);
        parked.push(entry);
      }
    }
    for (const f of staged) {
      await store.move(f.from, f.name);
      moved.push(f.name);
    }
    const marker = await store.openWriter(SUCCESS_MARKER);
    await marker.close();
  } catch (e) {
    for (const name of moved) await store.remove(name).catch(() => undefined);
    for (const entry of parked) await store.move(`${jobDir}/_old/${entry}`, entry).catch(() => undefined);
    throw e;
  }
  await removeStaging(store, state);
  const rows = messages.reduce((s, m) => s + m.rows, 0);
  const bytes = messages.reduce((s, m) => s + m.bytes, 0);
  return { rows, bytes, detail: { path: store.display, files: staged.length, replaced: parked.filter((p) => !isHiddenName(p)).length } };
}

/** Driver side: drops everything the job staged; the target keeps its previous contents. */
export async function abortFileWrite(state: FileWriteState, conf: ReadonlyMap<string, string>): Promise<void> {
  const store = outputStoreFor(state.path, conf);
  await removeStaging(store, state);
  if (state.createdTarget && ((await store.list()) ?? []).length === 0) await store.remove('');
}

async function removeStaging(store: OutputStore, state: FileWriteState): Promise<void> {
  await store.remove(`${STAGING_DIR}/${state.jobId}`);
  // Other jobs may stage into the same target concurrently (append): keep `_temporary` while they use it.
  const left = await store.list(STAGING_DIR);
  if (left !== undefined && left.length === 0) await store.remove(STAGING_DIR);
}

function filesOf(m: CommitMessage): WrittenFile[] {
  const files = (m.detail as { files?: unknown } | undefined)?.files;
  if (!Array.isArray(files)) throw new Error(`Commit message of attempt ${m.attemptId} carries no file list`);
  return files as WrittenFile[];
}

/** `DataSource.commitWrite` of the file formats, whose write-job state is a FileWriteState. */
export function commitFileWriteJob(job: WriteJob, messages: readonly CommitMessage[], ctx: DriverContext): Promise<WriteSummary> {
  return commitFileWrite(job.state as unknown as FileWriteState, messages, ctx.conf);
}

/** `DataSource.abortWrite` of the file formats. */
export function abortFileWriteJob(job: WriteJob, _messages: readonly CommitMessage[], ctx: DriverContext): Promise<void> {
  return abortFileWrite(job.state as unknown as FileWriteState, ctx.conf);
}
