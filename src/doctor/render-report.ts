/** The report as a person reads it: one ✔ / ✘ / ! / · line per finding, details and cause/fix indented. */
import type { DoctorReport, FindingStatus } from './finding.js';

const MARK: Readonly<Record<FindingStatus, string>> = { ok: '✔', fail: '✘', warn: '!', info: '·' };

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((l) => `${prefix}${l}`);
}

export function renderReport(report: DoctorReport, header: string): string {
  const lines = [header];
  for (const f of report.findings) {
    lines.push(`${MARK[f.status]} ${f.title}`);
    if (f.detail) lines.push(...indent(f.detail, '    '));
    if (f.status !== 'ok') {
      if (f.cause) lines.push(...indent(f.cause, '    cause: '));
      if (f.resolution) lines.push(...indent(f.resolution, '    fix:   '));
    }
  }
  const count = (s: FindingStatus) => report.findings.filter((f) => f.status === s).length;
  lines.push('', `${report.ok ? 'No problem found' : 'Problems found'}: ${count('fail')} failed, ${count('warn')} warning(s), ${count('ok')} ok.`);
  return `${lines.join('\n')}\n`;
}

export function renderJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
