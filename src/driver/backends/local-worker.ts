import { parentPort, workerData } from 'node:worker_threads';
import { runTask } from '../../executor/task-runner.js';
import { toTaskFailure } from '../../protocol/task-failure.js';
import { installTaskSecretKey } from '../../protocol/task-secret-key.js';
import { trustCertificatePem } from '../../util/tls-trust.js';
import type { FromLocalWorker, ToLocalWorker } from './local-worker-messages.js';

/**
 * One executor loop of the local[N] backend, inside a worker thread: the same `runTask` the cluster
 * executor calls. The backend sends one task at a time; an 'abort' message fires the task's signal.
 */
const port = parentPort;
if (!port) throw new Error('local-worker.ts must run inside a worker thread (started by LocalBackend)');
// The parent's task secret key opens the secrets its tasks carry sealed.
const key = (workerData as { taskSecretKey?: Uint8Array } | null)?.taskSecretKey;
if (key) installTaskSecretKey(Buffer.from(key));
// Certificates the driver trusts in process (trustEmulatorCertificate) hold for its executor threads too.
for (const pem of (workerData as { trustedPems?: string[] } | null)?.trustedPems ?? []) trustCertificatePem(pem);

const controllers = new Map<string, AbortController>();

port.on('message', (msg: ToLocalWorker) => {
  if (msg.type === 'abort') controllers.get(msg.taskKey)?.abort(new Error('Task cancelled: its stage failed or was cancelled'));
  else void run(msg);
});

async function run(msg: Extract<ToLocalWorker, { type: 'run' }>): Promise<void> {
  const controller = new AbortController();
  controllers.set(msg.taskKey, controller);
  let reply: FromLocalWorker;
  try {
    const result = await runTask(msg.desc, { executorId: msg.executorId, signal: controller.signal, attempt: msg.attempt });
    reply = { type: 'result', taskKey: msg.taskKey, result };
  } catch (err) {
    reply = { type: 'error', taskKey: msg.taskKey, failure: toTaskFailure(err) };
  } finally {
    controllers.delete(msg.taskKey);
  }
  try {
    port!.postMessage(reply);
  } catch (err) {
    // A result that cannot be structured-cloned (e.g. holds a function) is the task's failure, not the thread's.
    port!.postMessage({ type: 'error', taskKey: msg.taskKey, failure: toTaskFailure(err) } satisfies FromLocalWorker);
  }
}
