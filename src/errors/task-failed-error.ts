import { KjobError } from './kjob-error.js';

/** Where a task failed and with what, as the backend saw it after the last attempt. */
export interface TaskFailureReport {
  readonly appId: string;
  readonly jobId: string;
  readonly stageId: number;
  readonly partition: number;
  readonly numPartitions: number;
  /** Attempts made before the stage gave up (1 for errors that are never retried). */
  readonly attempts: number;
  /** The task's own error, as it crossed the thread or process boundary. */
  readonly errorName: string;
  readonly errorMessage: string;
  readonly errorCode?: string;
  readonly executorId?: string;
}

/**
 * A task exhausted its attempts (or failed with an error that retrying cannot fix), so its stage and
 * job failed. The task's own error is the `cause`, with its original name, so `describe()` shows
 * "Caused by: <the task's error>" rather than a stack from another process.
 */
export class TaskFailedError extends KjobError {
  override name = 'TaskFailedError';
  readonly stageId: number;
  readonly partition: number;
  readonly attempts: number;
  readonly taskErrorName: string;
  readonly taskErrorMessage: string;

  constructor(report: TaskFailureReport) {
    const cause = new Error(report.errorMessage);
    cause.name = report.errorName;
    super(
      'TASK_FAILED',
      `Task ${report.partition + 1}/${report.numPartitions} of stage ${report.stageId} (job ${report.jobId}) failed ` +
        `after ${report.attempts} attempt${report.attempts === 1 ? '' : 's'}: ${report.errorName}: ${report.errorMessage}`,
      {
        cause,
        likelyCause:
          report.attempts > 1
            ? 'The task failed the same way on every attempt, so the error is in the data, the job code or a service it calls, not a passing glitch.'
            : 'The error is one that retrying cannot fix (configuration, plan or schema), so the task was not retried.',
        resolution: 'Fix the cause named above and submit the job again; the outputs of the failed job were not committed.',
        context: {
          appId: report.appId,
          jobId: report.jobId,
          stageId: report.stageId,
          partition: report.partition,
          attempts: report.attempts,
          taskErrorName: report.errorName,
          taskErrorCode: report.errorCode,
          executorId: report.executorId,
        },
      },
    );
    this.stageId = report.stageId;
    this.partition = report.partition;
    this.attempts = report.attempts;
    this.taskErrorName = report.errorName;
    this.taskErrorMessage = report.errorMessage;
  }
}
