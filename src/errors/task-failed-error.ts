import { KjobError } from './kjob-error.js';
import type { TaskFailureDetails } from '../protocol/task-failure.js';

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
  /** The task error's likely cause, resolution, request id and context, when it was a kjob error. */
  readonly errorDetails?: TaskFailureDetails;
  readonly executorId?: string;
}

/**
 * The task's own error rebuilt on the driver: its name, message, likely cause, resolution, request id
 * and context as the executor had them (redacted), so `describe()` reads as if it were raised here.
 */
export class RemoteTaskError extends KjobError {
  constructor(name: string, message: string, code: string | undefined, details: TaskFailureDetails | undefined) {
    super('TASK_FAILED', message, {
      ...(details?.likelyCause ? { likelyCause: details.likelyCause } : {}),
      ...(details?.resolution ? { resolution: details.resolution } : {}),
      ...(details?.requestId ? { requestId: details.requestId } : {}),
      context: { ...details?.context, ...(code ? { code } : {}) },
    });
    this.name = name;
  }
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
  /** The task's error with its likely cause, resolution and context (also the `cause`). */
  readonly taskError: RemoteTaskError;

  constructor(report: TaskFailureReport) {
    const cause = new RemoteTaskError(report.errorName, report.errorMessage, report.errorCode, report.errorDetails);
    const details = report.errorDetails;
    super(
      'TASK_FAILED',
      `Task ${report.partition + 1}/${report.numPartitions} of stage ${report.stageId} (job ${report.jobId}) failed ` +
        `after ${report.attempts} attempt${report.attempts === 1 ? '' : 's'}: ${report.errorName}: ${report.errorMessage}`,
      {
        cause,
        // The task's own cause and resolution say more than the generic ones.
        likelyCause:
          details?.likelyCause ??
          (report.attempts > 1
            ? 'The task failed the same way on every attempt, so the error is in the data, the job code or a service it calls, not a passing glitch.'
            : 'The error is one that retrying cannot fix (configuration, plan or schema), so the task was not retried.'),
        resolution: details?.resolution ?? 'Fix the cause named above and submit the job again; the outputs of the failed job were not committed.',
        ...(details?.requestId ? { requestId: details.requestId } : {}),
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
    this.taskError = cause;
  }
}
