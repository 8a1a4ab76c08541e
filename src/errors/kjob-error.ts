import { redact } from '../util/redact.js';

/** Machine-readable category of every kjob error. */
export type KjobErrorCode =
  | 'CONFIG_INVALID'
  | 'PLAN_INVALID'
  | 'PLAN_UNSUPPORTED'
  | 'SCHEMA_MISMATCH'
  | 'DATA_INVALID'
  | 'TASK_FAILED'
  | 'JOB_FAILED'
  | 'JOB_CANCELLED'
  | 'KUSTO_REQUEST_FAILED'
  | 'KUSTO_OPERATION_FAILED'
  | 'KUSTO_TIMEOUT'
  | 'INGESTION_FAILED'
  | 'STORAGE_FAILED'
  | 'NO_STORAGE_CONTAINERS'
  | 'RETRIES_EXHAUSTED'
  | 'EMULATOR'
  | 'INTERNAL';

/** What a kjob error carries besides its message. All fields are optional and secret-free. */
export interface KjobErrorDetails {
  /** The request id to look up with `.show commands` / `kjob doctor --request-id`. */
  requestId?: string;
  /** The most likely cause, in the words of the troubleshooting guide. */
  likelyCause?: string;
  /** What the user should do about it. */
  resolution?: string;
  /** Whether retrying the same call may succeed (throttling, transient 5xx, network). */
  retryable?: boolean;
  /** Ids and names that locate the failure (operation id, table, option name, partition …). */
  context?: Record<string, string | number | boolean | undefined>;
  cause?: unknown;
}

/**
 * Base of every error kjob raises. The message is redacted on construction, so no subclass can
 * leak a SAS signature or token by interpolating a URL or a service answer.
 */
export class KjobError extends Error {
  override name = 'KjobError';
  readonly code: KjobErrorCode;
  readonly requestId: string | undefined;
  readonly likelyCause: string | undefined;
  readonly resolution: string | undefined;
  readonly retryable: boolean;
  readonly context: Readonly<Record<string, string | number | boolean | undefined>>;

  constructor(code: KjobErrorCode, message: string, details: KjobErrorDetails = {}) {
    super(redact(message), details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.requestId = details.requestId;
    this.likelyCause = details.likelyCause;
    this.resolution = details.resolution;
    this.retryable = details.retryable ?? false;
    this.context = details.context ?? {};
  }

  /** Message plus cause, resolution and request id: what a CLI prints instead of a stack. */
  describe(): string {
    const lines = [`${this.name}: ${this.message}`];
    if (this.likelyCause) lines.push(`  Likely cause: ${this.likelyCause}`);
    if (this.resolution) lines.push(`  Resolution: ${this.resolution}`);
    if (this.requestId) lines.push(`  Request id: ${this.requestId}`);
    let cause: unknown = this.cause;
    for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
      lines.push(`  Caused by: ${cause.name}: ${redact(cause.message)}`);
      cause = cause.cause;
    }
    return lines.join('\n');
  }
}

/** True for kjob errors, also across module copies (checks the shape, not only the prototype). */
export function isKjobError(e: unknown): e is KjobError {
  return e instanceof KjobError || (e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && typeof (e as { describe?: unknown }).describe === 'function');
}

/** A bad or missing option, raised before any side effect. */
export class ConfigError extends KjobError {
  override name = 'ConfigError';
  constructor(message: string, details: KjobErrorDetails = {}) {
    super('CONFIG_INVALID', message, details);
  }
}

/** A plan that cannot be built: unknown column, type mismatch, unknown format. */
export class PlanError extends KjobError {
  override name = 'PlanError';
  constructor(message: string, details: KjobErrorDetails = {}) {
    super('PLAN_INVALID', message, details);
  }
}
