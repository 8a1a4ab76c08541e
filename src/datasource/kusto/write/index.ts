/** The write half of the Kusto data source (DataSource write methods). */
import type { DataSource } from '../../datasource.js';
import { abortKustoWrite, commitKustoWrite } from './commit-write.js';
import { prepareKustoWrite, validateKustoWriteOptions } from './prepare-write.js';
import { kustoWriteTask } from './write-task.js';
import { planKustoWriteTasks } from './task-sizing.js';
import { runKustoSinkTask } from './polling-task.js';

export const kustoWriteMethods = {
  validateWriteOptions: (options, _path, mode) => {
    validateKustoWriteOptions(options, mode);
  },
  prepareWrite: (schema, options, _path, mode, ctx) => prepareKustoWrite(schema, options, mode, ctx),
  planWriteTasks: planKustoWriteTasks,
  writeTask: kustoWriteTask,
  runSinkTask: runKustoSinkTask,
  commitWrite: (job, messages, ctx) => commitKustoWrite(job, messages, ctx),
  abortWrite: abortKustoWrite,
} satisfies Partial<DataSource>;

export { kustoAsyncWrite } from './commit-write.js';
export { TASK_SIZING_CONF, TASK_TARGET_MB_CONF } from './task-sizing.js';
export { QUEUED_WAIT_CONF } from './write-state.js';
export { GZIP_LEVEL_CONF, DEFAULT_GZIP_LEVEL } from './prepare-write.js';
