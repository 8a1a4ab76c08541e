import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { KjobError } from '../errors/kjob-error.js';

/**
 * Executors import the job module (TaskDescription.jobModule) to run its partition-function
 * registrations. The module may be a top-level script that builds a session and runs actions: while
 * the import runs, `Session.builder().getOrCreate()` and every action throw ExecutorImportAbort, which
 * stops the script there, and the importer swallows it. So: register partition functions at the top
 * of the module, before the session is created.
 */
export class ExecutorImportAbort extends KjobError {
  override name = 'ExecutorImportAbort';
  constructor() {
    super('INTERNAL', 'The job module is being imported by an executor for its partition functions; the job itself does not run there.');
  }
}

const FLAG = '__kjobExecutorImport';
const imports = new Map<string, Promise<void>>();
let active = 0;

/** True while an executor imports a job module in this process. */
export function isExecutorImport(): boolean {
  return (globalThis as Record<string, unknown>)[FLAG] === true;
}

/** Throws ExecutorImportAbort when called during an executor's import of the job module. */
export function abortIfExecutorImport(): void {
  if (isExecutorImport()) throw new ExecutorImportAbort();
}

export function isExecutorImportAbort(e: unknown): boolean {
  return e instanceof ExecutorImportAbort || (e instanceof Error && e.name === 'ExecutorImportAbort');
}

/** Imports the job module once per process (later calls share the first import). */
export function importJobModule(path: string): Promise<void> {
  let p = imports.get(path);
  if (!p) {
    p = doImport(path);
    imports.set(path, p);
  }
  return p;
}

async function doImport(path: string): Promise<void> {
  const url = path.startsWith('file:') ? path : isAbsolute(path) ? pathToFileURL(path).href : pathToFileURL(`${process.cwd()}/${path}`).href;
  active++;
  (globalThis as Record<string, unknown>)[FLAG] = true;
  try {
    await import(url);
  } catch (e) {
    if (!isExecutorImportAbort(e)) throw e;
  } finally {
    if (--active === 0) (globalThis as Record<string, unknown>)[FLAG] = false;
  }
}
