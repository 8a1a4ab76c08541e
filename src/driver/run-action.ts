import { schemaFromJson, schemaToJson } from '../arrow/schema-json.js';
import type { DriverContext, PushdownOffer, ReadPlan } from '../datasource/datasource.js';
import type { Expr } from '../plan/expr.js';
import { getDataSource } from '../datasource/registry.js';
import { PlanError } from '../errors/kjob-error.js';
import { isSecretOptionKey } from '../util/redact.js';
import { isPartitionFunctionRegistered } from '../executor/partition-functions.js';
import type { PlanNode } from '../plan/plan-node.js';
import { planStageInputs, type ResolvedScan } from '../plan/stage-planner.js';
import { partitionFunctionNames, TASK_PLAN_VERSION, type TaskInput, type TaskOutput, type TaskPlan } from '../plan/task-plan.js';
import { TASK_PROTOCOL_VERSION, type SchedulerBackend, type StageListener, type StageSpec, type TaskDescription, type TaskResult } from '../protocol/task.js';

/** What an action needs from its session. */
export interface ActionHost {
  readonly appId: string;
  readonly appName: string;
  readonly jobModule: string | undefined;
  readonly maxAttempts: number;
  /** Session conf that may travel in tasks (secrets already removed). */
  readonly taskConf: Readonly<Record<string, string>>;
  backend(): Promise<SchedulerBackend>;
  driverContext(jobId: string): DriverContext;
  nextJobId(): string;
  listenerFor(stage: StageSpec): StageListener | undefined;
  /** Called before every action: refuses to run inside an executor's import of the job module. */
  checkCanRun(): void;
  /** Optional (additive): work that outlives its action (an asynchronous write); the session's stop() waits for it. */
  trackBackground?(work: Promise<unknown>): void;
}

/**
 * Runs one action as one stage: plans every Scan with the source (offering pushdown), cuts the plan
 * into one task per partition, runs them on the backend and returns one result per partition in
 * partition order. Source clean-ups (e.g. exported files) run afterwards whatever happens.
 */
export async function runAction(host: ActionHost, root: PlanNode, output: TaskOutput, jobId: string = host.nextJobId()): Promise<TaskResult[]> {
  host.checkCanRun();
  const planned = await planAction(host, root, output, jobId);
  try {
    const { plans } = planned;
    if (plans.length === 0) return [];
    const stageId = 0;
    const tasks: TaskDescription[] = plans.map((plan, partition) => ({
      v: TASK_PROTOCOL_VERSION,
      appId: host.appId,
      appName: host.appName,
      jobId,
      stageId,
      partition,
      numPartitions: plans.length,
      ...(host.jobModule ? { jobModule: host.jobModule } : {}),
      conf: host.taskConf,
      plan,
    }));
    const stage: StageSpec = { appId: host.appId, jobId, stageId, tasks, maxAttempts: host.maxAttempts };
    const backend = await host.backend();
    const results = await backend.runStage(stage, host.listenerFor(stage));
    return [...results].sort((a, b) => a.partition - b.partition);
  } finally {
    await planned.cleanup();
  }
}

/**
 * One more stage of a job: a single task with no input that runs a sink's `runSinkTask(payload)` on an
 * executor (e.g. Kusto's ingestion polling when pollingOnDriver=false). Returns the task's output.
 */
export async function runSinkTaskStage(host: ActionHost, format: string, payload: Readonly<Record<string, unknown>>, jobId: string, stageId: number): Promise<Readonly<Record<string, unknown>>> {
  const plan: TaskPlan = { v: TASK_PLAN_VERSION, input: { kind: 'group', inputs: [], ops: [] }, output: { kind: 'sinkTask', format, payload }, nowMicros: String(BigInt(Date.now()) * 1000n) };
  const task: TaskDescription = { v: TASK_PROTOCOL_VERSION, appId: host.appId, appName: host.appName, jobId, stageId, partition: 0, numPartitions: 1, ...(host.jobModule ? { jobModule: host.jobModule } : {}), conf: host.taskConf, plan };
  const stage: StageSpec = { appId: host.appId, jobId, stageId, tasks: [task], maxAttempts: host.maxAttempts };
  const [result] = await (await host.backend()).runStage(stage, host.listenerFor(stage));
  return (result?.output ?? {}) as Readonly<Record<string, unknown>>;
}

/** What one source scan was offered and accepted (for explain). */
export interface ScanReport {
  readonly format: string;
  readonly offer: PushdownOffer;
  readonly pushedFilters: readonly Expr[];
  readonly splits: number;
}

/** An action's task plans, before they run. `cleanup` must be called once they are done. */
export interface PlannedAction {
  readonly plans: TaskPlan[];
  readonly scans: ScanReport[];
  cleanup(): Promise<void>;
}

/** Plans every Scan with its source (offering pushdown) and cuts the plan into task plans. */
export async function planAction(host: ActionHost, root: PlanNode, output: TaskOutput, jobId: string): Promise<PlannedAction> {
  const ctx = host.driverContext(jobId);
  const cleanups: (() => Promise<void>)[] = [];
  const scans: ScanReport[] = [];
  const cleanup = async () => {
    for (const c of cleanups.splice(0)) await c().catch((e: unknown) => ctx.log.warn({ err: String(e) }, 'source clean-up failed'));
  };
  try {
    const inputs = await planStageInputs(root, async (scan, offer): Promise<ResolvedScan> => {
      const ds = await getDataSource(scan.format);
      if (!ds.planRead) throw new PlanError(`The '${scan.format}' data source cannot be read`, { context: { format: scan.format } });
      const plan: ReadPlan = await ds.planRead(scan.options, scan.paths, scan.userSchema ? schemaFromJson(scan.userSchema) : undefined, offer, ctx);
      if (plan.cleanup) cleanups.push(plan.cleanup);
      scans.push({ format: scan.format, offer, pushedFilters: plan.pushedFilters ?? [], splits: plan.splits.length });
      return {
        leaf: { kind: 'Scan', format: scan.format, options: withoutSecrets(plan.executorOptions ?? scan.options), schema: schemaToJson(plan.schema) },
        splits: plan.splits,
        pushedFilters: plan.pushedFilters ?? [],
      };
    });
    // One current_timestamp() for the whole action, as Spark evaluates it once per query.
    const nowMicros = String(BigInt(Date.now()) * 1000n);
    const taskInputs = output.kind === 'write' ? await sizeWriteTaskInputs(output, inputs, ctx) : inputs;
    const plans: TaskPlan[] = taskInputs.map((input) => ({ v: TASK_PLAN_VERSION, input, output, nowMicros }));
    checkPartitionFunctions(plans, output);
    return { plans, scans, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** A sink may regroup its write tasks (DataSource.planWriteTasks); other sinks keep one task per partition. */
async function sizeWriteTaskInputs(output: Extract<TaskOutput, { kind: 'write' }>, inputs: TaskInput[], ctx: DriverContext): Promise<readonly TaskInput[]> {
  const ds = await getDataSource(output.job.format);
  return ds.planWriteTasks && inputs.length > 1 ? ds.planWriteTasks(inputs, output.job, ctx) : inputs;
}

/**
 * Secrets never travel in tasks (they would sit in Redis): executors resolve credentials from their
 * own environment, so secret-valued options are dropped from what the executors receive.
 */
function withoutSecrets(options: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(options).filter(([k]) => !isSecretOptionKey(k)));
}

/** Every partition function the stage needs must be registered here too: fail before any task runs. */
function checkPartitionFunctions(plans: TaskPlan[], output: TaskOutput): void {
  const names = new Set<string>();
  for (const p of plans) partitionFunctionNames(p.input, names);
  for (const n of names)
    if (!isPartitionFunctionRegistered(n, 'map'))
      throw new PlanError(`mapPartitions('${n}'): no function of that name is registered`, { context: { function: n }, resolution: `Call registerPartitionFunction('${n}', fn) at the top of the job module.` });
  if (output.kind === 'foreach' && !isPartitionFunctionRegistered(output.name, 'foreach'))
    throw new PlanError(`foreachPartition('${output.name}'): no function of that name is registered`, { context: { function: output.name }, resolution: `Call registerForeachPartitionFunction('${output.name}', fn) at the top of the job module.` });
}

