/**
 * The engine (query / management) client: azure-kusto-data's Client with kjob's request ids and
 * retries. Every call carries the client request id `<requestId>;<activity>;<uuid>;<attempt>`
 * (reference §2.3), so `.show commands | where ClientActivityId startswith '<requestId>'` finds every
 * command of a job; transient failures (429, 5xx, network resets) are retried with the connector's
 * backoff (4 attempts, 1 s × 1.5, ±50 %, ≤ 10 s); permanent ones fail at once with the service's
 * message (redacted).
 */
import { randomUUID } from 'node:crypto';
import { Client, ClientRequestProperties, type KustoResponseDataSet } from 'azure-kusto-data';
import type { TokenCredential } from '@azure/identity';
import { KjobError } from '../../../errors/kjob-error.js';
import { redact } from '../../../util/redact.js';
import { clientRequestId, type ResolvedClientRequestProperties } from '../options/client-request-properties.js';
import { retryTransient } from '../polling/backoff.js';
import { systemClock, type Clock } from '../polling/clock.js';
import { httpStatusOf, isTransientKustoError } from '../errors/transient-kusto-error.js';
import { connectionString } from './connection.js';

export const MAX_COMMAND_ATTEMPTS = 4;

/** A Kusto command or query failed (after retries for transient errors). */
export class KustoRequestException extends KjobError {
  override name = 'KustoRequestException';
  readonly httpStatus: number | undefined;
  constructor(activity: string, command: string, cause: unknown, requestId: string) {
    const status = httpStatusOf(cause);
    const text = serviceMessage(cause);
    // The service's sentence usually ends with its own full stop.
    super('KUSTO_REQUEST_FAILED', `Kusto ${activity} failed${status ? ` (HTTP ${status})` : ''}: ${text.replace(/\.\s*$/, '')}. Command: ${firstLine(command)}`, {
      requestId,
      retryable: isTransientKustoError(cause),
      likelyCause: status === 401 || status === 403 ? 'The principal is not authenticated or lacks the role the command needs (e.g. Database Admin for .create table, Ingestor for ingestion).' : 'Kusto rejected the command (see the service message).',
      resolution: `Look the command up with .show commands | where ClientActivityId startswith '${requestId}'; fix the permissions or the input it names.`,
      context: { activity, httpStatus: status },
      cause,
    });
    this.httpStatus = status;
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** The service's own error text: Kusto puts it in `error['@message']` / `error.message` of the body. */
export function serviceMessage(err: unknown): string {
  const e = err as { response?: { data?: unknown }; message?: unknown } | undefined;
  const data = e?.response?.data;
  const body = typeof data === 'string' ? (() => { try { return JSON.parse(data) as unknown; } catch { return undefined; } })() : data;
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  const msg = error?.['@message'] ?? error?.['message'] ?? e?.message ?? String(err);
  return redact(String(msg));
}

export interface EngineCallOptions {
  /** Activity name in the client request id (e.g. `KJOB.prepareWrite.schema`). */
  readonly activity: string;
  readonly signal?: AbortSignal;
}

export class KustoEngineClient {
  readonly url: string;
  readonly #client: Client;
  readonly #requestId: string;
  readonly #crp: ResolvedClientRequestProperties | undefined;
  readonly #clock: Clock;

  constructor(url: string, credential: TokenCredential | undefined, options: { requestId: string; clientRequestProperties?: ResolvedClientRequestProperties; clock?: Clock; cacheKey?: string }) {
    this.url = url;
    this.#client = sharedClient(url, credential, options.cacheKey);
    this.#requestId = options.requestId;
    this.#crp = options.clientRequestProperties;
    this.#clock = options.clock ?? systemClock;
  }

  get requestId(): string {
    return this.#requestId;
  }

  #properties(activity: string, attempt: number, requestId: string): ClientRequestProperties {
    const p = new ClientRequestProperties();
    // The SDK takes servertimeout in milliseconds (it writes the timespan itself); the rest as given.
    for (const [k, v] of Object.entries(this.#crp?.options ?? {})) if (k !== 'servertimeout') p.setOption(k, v);
    if (this.#crp?.serverTimeoutMs !== undefined) p.setTimeout(this.#crp.serverTimeoutMs);
    for (const [k, v] of Object.entries(this.#crp?.parameters ?? {})) p.setParameter(k, v);
    if (this.#crp?.application) p.application = this.#crp.application;
    if (this.#crp?.user) p.user = this.#crp.user;
    p.clientRequestId = clientRequestId(requestId, activity, randomUUID(), attempt);
    return p;
  }

  async #run(kind: 'mgmt' | 'query', database: string, text: string, o: EngineCallOptions, requestId: string): Promise<KustoResponseDataSet> {
    try {
      return await retryTransient(
        async (attempt) => {
          o.signal?.throwIfAborted();
          const props = this.#properties(o.activity, attempt - 1, requestId);
          return kind === 'mgmt' ? await this.#client.executeMgmt(database, text, props) : await this.#client.executeQuery(database, text, props);
        },
        { attempts: MAX_COMMAND_ATTEMPTS, isTransient: isTransientKustoError, clock: this.#clock },
      );
    } catch (e) {
      if (e instanceof KjobError) throw e;
      throw new KustoRequestException(o.activity, text, e, requestId);
    }
  }

  /** A management command; rows of the primary result as plain objects (column name → value). */
  async mgmt(database: string, command: string, o: EngineCallOptions): Promise<Record<string, unknown>[]> {
    return rowsOf(await this.#run('mgmt', database, command, o, this.requestId));
  }

  async query(database: string, query: string, o: EngineCallOptions): Promise<Record<string, unknown>[]> {
    return rowsOf(await this.#run('query', database, query, o, this.requestId));
  }

}

// One SDK client (its HTTP agent and token cache) per cluster and auth, for the life of the process.
const clients = new Map<string, Client>();

function sharedClient(url: string, credential: TokenCredential | undefined, cacheKey: string | undefined): Client {
  const key = `${url}|${cacheKey ?? (credential ? 'credential' : 'none')}`;
  let c = clients.get(key);
  if (!c || (credential && cacheKey === undefined)) {
    c = new Client(connectionString(url, credential));
    if (!credential || cacheKey !== undefined) clients.set(key, c);
  }
  return c;
}

/** Closes every cached engine client (tests, process shutdown). */
export function closeEngineClients(): void {
  for (const c of clients.values()) c.close();
  clients.clear();
}

export function rowsOf(ds: KustoResponseDataSet): Record<string, unknown>[] {
  const table = ds.primaryResults[0];
  if (!table) return [];
  return [...table.rows()].map((r) => r.toJSON<Record<string, unknown>>());
}
