/** A failed Kusto request (HTTP error or errors reported inside a 200 V2 body). */
import { KjobError, type KjobErrorDetails } from '../../../errors/kjob-error.js';

export class KustoRequestError extends KjobError {
  override name = 'KustoRequestError';
  /** HTTP status (200 when the error came inside the V2 body). */
  readonly httpStatus: number;
  /** The service's error code, e.g. `LimitsExceeded`, `General_BadRequest`. */
  readonly kustoCode: string | undefined;
  /** The query/command result exceeded the service's limits (E_QUERY_RESULT_SET_TOO_LARGE, 64 MB …). */
  readonly isLimitsError: boolean;

  constructor(message: string, opts: { httpStatus: number; kustoCode?: string; permanent?: boolean; clientRequestId: string; command: string } & Pick<KjobErrorDetails, 'cause'>) {
    const limits = isLimitsText(`${opts.kustoCode ?? ''} ${message}`);
    super('KUSTO_REQUEST_FAILED', `Kusto ${opts.command} failed (HTTP ${opts.httpStatus}${opts.kustoCode ? `, ${opts.kustoCode}` : ''}): ${message}`, {
      requestId: opts.clientRequestId,
      likelyCause: limits
        ? 'The result exceeds the query limits (500,000 records or 64 MB by default).'
        : opts.httpStatus === 401 || opts.httpStatus === 403
          ? 'The principal lacks a role on the database (viewer for queries, admin for exports).'
          : 'Kusto rejected the request; the message above is the service\'s reason.',
      resolution: limits
        ? "Read with readMode=ForceDistributedMode (export to storage), or filter/aggregate the query; clientRequestPropertiesJson {\"Options\":{\"notruncation\":true}} lifts the truncation limits (records and size), not the service's memory limits."
        : `Look the request up with '.show queries | where ClientActivityId == "${opts.clientRequestId}"' (or .show commands).`,
      retryable: opts.permanent === false || opts.httpStatus === 429 || opts.httpStatus >= 500 ? !limits : false,
      context: { httpStatus: opts.httpStatus, kustoCode: opts.kustoCode, clientRequestId: opts.clientRequestId },
      ...(opts.cause === undefined ? {} : { cause: opts.cause }),
    });
    this.httpStatus = opts.httpStatus;
    this.kustoCode = opts.kustoCode;
    this.isLimitsError = limits;
  }
}

/** The service's wordings of a limits error (record count, result size, memory). */
export function isLimitsText(text: string): boolean {
  return /LimitsExceeded|E_QUERY_RESULT_SET_TOO_LARGE|exceeded the allowed limits|internal record count limit|result set has exceeded|64 ?MB|E_LOW_MEMORY_CONDITION|E_RUNAWAY_QUERY/i.test(text);
}
