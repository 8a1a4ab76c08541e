/**
 * `clientRequestPropertiesJson`: Kusto ClientRequestProperties as JSON (`{"Options": {...},
 * "Parameters": {...}, "ClientRequestId": "..."}`, keys case-insensitive). Unlike the connector,
 * which forwarded only the id, kjob honours the options (timeouts, `servertimeout`, `norequesttimeout`,
 * …) and query parameters on every request; the `requestId` option always overrides the id.
 */
import { z } from 'zod';
import { InvalidParameterException } from '../errors/parameter-errors.js';
import { formatKustoTimespan, parseKustoTimespan } from '../../../util/kusto-timespan.js';

export interface ResolvedClientRequestProperties {
  /** Request options, forwarded as-is (e.g. `{ servertimeout: '00:10:00' }`; servertimeout always as a timespan). */
  readonly options: Readonly<Record<string, unknown>>;
  /** `servertimeout` in milliseconds, what the SDK's ClientRequestProperties.setTimeout takes. */
  readonly serverTimeoutMs?: number;
  /** Query parameters for `declare query_parameters(...)`. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly application: string | undefined;
  readonly user: string | undefined;
}

const objectSchema = z.record(z.string(), z.unknown());

export function parseClientRequestProperties(json: string | undefined): ResolvedClientRequestProperties {
  if (json === undefined || json.trim() === '') return { options: {}, parameters: {}, application: undefined, user: undefined };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new InvalidParameterException(`clientRequestPropertiesJson is not valid JSON: ${(e as Error).message}`, { option: 'clientRequestPropertiesJson' });
  }
  const top = objectSchema.safeParse(raw);
  if (!top.success) throw new InvalidParameterException('clientRequestPropertiesJson must be a JSON object with "Options" and/or "Parameters"', { option: 'clientRequestPropertiesJson' });
  const byLower = new Map(Object.entries(top.data).map(([k, v]) => [k.toLowerCase(), v]));
  const part = (name: string): Record<string, unknown> => {
    const v = byLower.get(name);
    if (v === undefined || v === null) return {};
    const r = objectSchema.safeParse(v);
    if (!r.success) throw new InvalidParameterException(`clientRequestPropertiesJson: "${name}" must be a JSON object`, { option: 'clientRequestPropertiesJson' });
    return r.data;
  };
  const str = (name: string): string | undefined => {
    const v = byLower.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  for (const key of byLower.keys()) {
    if (!['options', 'parameters', 'clientrequestid', 'application', 'user'].includes(key)) {
      throw new InvalidParameterException(`clientRequestPropertiesJson: unknown property '${key}' (expected Options, Parameters, ClientRequestId, Application, User)`, { option: 'clientRequestPropertiesJson' });
    }
  }
  const options = part('options');
  const serverTimeoutMs = normalizeServerTimeout(options);
  return { options, parameters: part('parameters'), application: str('application'), user: str('user'), ...(serverTimeoutMs !== undefined ? { serverTimeoutMs } : {}) };
}

/**
 * `servertimeout` may be given as a timespan (what the service documents) or as milliseconds (what the
 * SDK's setTimeout takes); either way the options keep a timespan and the caller gets milliseconds. Any
 * other value is refused here, before a request: the SDK would otherwise send "NaN:NaN:NaN.NaN".
 */
function normalizeServerTimeout(options: Record<string, unknown>): number | undefined {
  const key = Object.keys(options).find((k) => k.toLowerCase() === 'servertimeout');
  if (key === undefined) return undefined;
  const v = options[key];
  const ms = typeof v === 'number' ? v : parseKustoTimespan(v);
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    throw new InvalidParameterException(`clientRequestPropertiesJson: Options.${key} must be a positive timespan such as "00:10:00" (or milliseconds), got ${JSON.stringify(v)}`, { option: 'clientRequestPropertiesJson' });
  }
  delete options[key];
  options['servertimeout'] = formatKustoTimespan(ms);
  return ms;
}

/**
 * The client request id of one request: `<requestId>;<activity>;<uuid>;<attempt>` (reference §2.3),
 * so `.show commands | where ClientActivityId startswith '<requestId>'` finds every command of a job.
 */
export function clientRequestId(requestId: string, activity: string, uuid: string, attempt: number): string {
  return `${requestId};${activity};${uuid};${attempt}`;
}
