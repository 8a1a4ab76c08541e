/**
 * `clientRequestPropertiesJson`: Kusto ClientRequestProperties as JSON (`{"Options": {...},
 * "Parameters": {...}, "ClientRequestId": "..."}`, keys case-insensitive). Unlike the connector,
 * which forwarded only the id, kjob honours the options (timeouts, `servertimeout`, `norequesttimeout`,
 * …) and query parameters on every request; the `requestId` option always overrides the id.
 */
import { z } from 'zod';
import { InvalidParameterException } from '../errors/parameter-errors.js';

export interface ResolvedClientRequestProperties {
  /** Request options, forwarded as-is (e.g. `{ servertimeout: '00:10:00' }`). */
  readonly options: Readonly<Record<string, unknown>>;
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
  return { options: part('options'), parameters: part('parameters'), application: str('application'), user: str('user') };
}

/**
 * The client request id of one request: `<requestId>;<activity>;<uuid>;<attempt>` (reference §2.3),
 * so `.show commands | where ClientActivityId startswith '<requestId>'` finds every command of a job.
 */
export function clientRequestId(requestId: string, activity: string, uuid: string, attempt: number): string {
  return `${requestId};${activity};${uuid};${attempt}`;
}
