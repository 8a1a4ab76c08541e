/**
 * The raw V2 query client of the Kusto source: POST `<cluster>/v2/rest/query` with the SDK's headers
 * and request-id convention (x-ms-client-request-id `<requestId>;<activity>;<uuid>;<attempt>`,
 * x-ms-app, x-ms-user, x-ms-client-version, x-ms-version), the full clientRequestPropertiesJson
 * (Options and Parameters) in `properties`, and a bearer token when a credential is configured. The
 * body is parsed losslessly (see lossless-json.ts for why the SDK's row objects are not used).
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { TokenCredential } from '@azure/identity';
import { clientRequestId, type ResolvedClientRequestProperties } from '../options/client-request-properties.js';
import { parseKustoTimespan } from '../../../util/kusto-timespan.js';
import { retryTransient } from '../polling/backoff.js';
import { systemClock, type Clock } from '../polling/clock.js';
import { KustoRequestError } from './kusto-request-error.js';
import { parseErrorBody, parseQueryResponse, type KustoResultTable } from './v2-response.js';

const CLIENT_VERSION = 'Kusto.kjob:{1.0.0}';
/** The SDK's client timeout for queries (4 min 30 s), or servertimeout + 30 s. */
const DEFAULT_QUERY_TIMEOUT_MS = 270_000;

export interface KustoQueryClientOptions {
  readonly engineUrl: string;
  readonly database: string;
  readonly requestId: string;
  readonly credential?: TokenCredential | undefined;
  readonly clientRequestProperties?: ResolvedClientRequestProperties;
  readonly clock?: Clock;
  /** Attempts for transient failures (429, 5xx, network). @defaultValue 3 */
  readonly attempts?: number;
}

export interface QueryCallOptions {
  readonly activity: string;
  /** Client-side timeout in ms (the decision queries use 3 s). */
  readonly timeoutMs?: number;
  /** Extra request options (merged over clientRequestPropertiesJson's Options). */
  readonly options?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
  /** Overrides the client's attempts (the 3 s decision queries try once). */
  readonly attempts?: number;
}

function serverTimeoutMs(v: unknown): number | undefined {
  return typeof v === 'number' ? v : parseKustoTimespan(v);
}

/** Header values must be ASCII (the SDK replaces other characters with '?'). */
const ascii = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?');

export class KustoQueryClient {
  readonly #o: KustoQueryClientOptions;
  constructor(options: KustoQueryClientOptions) {
    this.#o = options;
  }

  get requestId(): string {
    return this.#o.requestId;
  }

  /** Runs a query and returns its primary result, every value exact. */
  async query(csl: string, call: QueryCallOptions): Promise<KustoResultTable> {
    const attempts = call.attempts ?? this.#o.attempts ?? 3;
    return retryTransient((attempt) => this.#once(csl, call, attempt - 1), {
      attempts,
      clock: this.#o.clock ?? systemClock,
      isTransient: (e) => e instanceof KustoRequestError ? e.retryable : isNetworkError(e),
    });
  }

  async #once(csl: string, call: QueryCallOptions, attempt: number): Promise<KustoResultTable> {
    const crp = this.#o.clientRequestProperties;
    const options = { ...(crp?.options ?? {}), ...(call.options ?? {}) };
    const crid = clientRequestId(this.#o.requestId, call.activity, randomUUID(), attempt);
    const properties: Record<string, unknown> = { Options: options, Parameters: crp?.parameters ?? {} };
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/json; charset=utf-8',
      'accept-encoding': 'gzip,deflate',
      'x-ms-client-version': CLIENT_VERSION,
      'x-ms-version': '2024-12-12',
      'x-ms-client-request-id': ascii(crid),
      'x-ms-app': ascii(crp?.application ?? process.env['npm_package_name'] ?? 'kjob'),
      'x-ms-user': ascii(crp?.user ?? safeUser()),
    };
    if (this.#o.credential) {
      const token = await this.#o.credential.getToken(`${new URL(this.#o.engineUrl).origin}/.default`);
      if (!token) throw new KustoRequestError('no access token was obtained for the cluster', { httpStatus: 401, clientRequestId: crid, command: call.activity });
      headers['authorization'] = `Bearer ${token.token}`;
    }
    const server = serverTimeoutMs(options['servertimeout']);
    const timeout = call.timeoutMs ?? (server !== undefined ? server + 30_000 : DEFAULT_QUERY_TIMEOUT_MS);
    const signals = [AbortSignal.timeout(timeout), ...(call.signal ? [call.signal] : [])];
    let res: Response;
    try {
      res = await fetch(`${this.#o.engineUrl.replace(/\/+$/, '')}/v2/rest/query`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ db: this.#o.database, csl, properties }),
        signal: AbortSignal.any(signals),
      });
    } catch (e) {
      throw new KustoRequestError(`${(e as Error).name === 'TimeoutError' ? `no answer within ${timeout} ms` : (e as Error).message}`, { httpStatus: 0, clientRequestId: crid, command: `query (${call.activity})`, cause: e, permanent: false });
    }
    const body = await res.text();
    if (res.status !== 200) {
      const err = parseErrorBody(body);
      throw new KustoRequestError(err.message, { httpStatus: res.status, clientRequestId: crid, command: `query (${call.activity})`, ...(err.code ? { kustoCode: err.code } : {}), ...(err.permanent === undefined ? {} : { permanent: err.permanent }) });
    }
    const parsed = parseQueryResponse(body);
    if (parsed.errors.length > 0) {
      const first = parsed.errors[0]!;
      throw new KustoRequestError(parsed.errors.map((e) => e.message).join('; '), { httpStatus: 200, clientRequestId: crid, command: `query (${call.activity})`, permanent: true, ...(first.code ? { kustoCode: first.code } : {}) });
    }
    if (!parsed.primary) throw new KustoRequestError('the response has no PrimaryResult table', { httpStatus: 200, clientRequestId: crid, command: `query (${call.activity})`, permanent: true });
    return parsed.primary;
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function isNetworkError(e: unknown): boolean {
  const code = (e as { cause?: { code?: string } })?.cause?.code;
  return typeof code === 'string' && /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR/.test(code);
}
