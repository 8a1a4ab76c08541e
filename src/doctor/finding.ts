/**
 * What every `kjob doctor` check returns: findings, in the stable JSON shape scripts read
 * (`{ok, findings:[{check, status, title, detail?, cause?, resolution?, data?}]}`).
 */

export type FindingStatus = 'ok' | 'warn' | 'fail' | 'info';

export type CheckName = 'connectivity' | 'roles' | 'commands' | 'operations' | 'temp-tables' | 'cleanup' | 'table' | 'ingestion-failures' | 'batching-policy' | 'streaming-policy';

export interface Finding {
  readonly check: CheckName;
  readonly status: FindingStatus;
  readonly title: string;
  readonly detail?: string;
  /** The likely cause, in the troubleshooting guide's words (set on `fail` and `warn`). */
  readonly cause?: string;
  /** What to do about it. */
  readonly resolution?: string;
  /** Machine-readable facts behind the finding (rows, names, ages). */
  readonly data?: Record<string, unknown>;
}

export interface DoctorReport {
  /** False when a finding failed (with `strict`, also when one warned). */
  readonly ok: boolean;
  readonly findings: readonly Finding[];
}

/**
 * `warn` does not fail the report unless `strict`: a warning is something to look at (a leftover
 * staging table, a long batching time), not proof that jobs break; CI that wants it clean uses --strict.
 */
export function reportOf(findings: readonly Finding[], { strict = false }: { strict?: boolean } = {}): DoctorReport {
  const bad = findings.some((f) => f.status === 'fail' || (strict && f.status === 'warn'));
  return { ok: !bad, findings };
}

/** The process exit code of a finished report: 0 ok, 1 a problem found (2 is kept for usage/connection errors). */
export function exitCodeOf(report: DoctorReport): 0 | 1 {
  return report.ok ? 0 : 1;
}
