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
  /** False when a finding failed or warned (with `ignoreWarnings`, only when one failed). */
  readonly ok: boolean;
  readonly findings: readonly Finding[];
}

/**
 * A warning is a problem the checklist found (a leftover staging table, a long batching time, a request
 * id with no commands), so it fails the report like a failure does: scripts see non-zero. `info` never
 * fails (e.g. a check the caller's role may not run). `ignoreWarnings` keeps exit 0 for warnings only.
 */
export function reportOf(findings: readonly Finding[], { ignoreWarnings = false }: { ignoreWarnings?: boolean } = {}): DoctorReport {
  const bad = findings.some((f) => f.status === 'fail' || (!ignoreWarnings && f.status === 'warn'));
  return { ok: !bad, findings };
}

/** The process exit code of a finished report: 0 ok, 1 a problem found (2 is kept for usage/connection errors). */
export function exitCodeOf(report: DoctorReport): 0 | 1 {
  return report.ok ? 0 : 1;
}
