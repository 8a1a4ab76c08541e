/** `kjob doctor`: the troubleshooting checklist of the Kusto guide as pure checks plus one runner. */
export { runDoctor, type DoctorClient, type DoctorRun, type DoctorRunOptions } from './run-doctor.js';
export { dropLeftoverTables, tablesToClean, afterCleanup } from './cleanup.js';
export { reportOf, exitCodeOf, type DoctorReport, type Finding, type FindingStatus } from './finding.js';
export { renderReport, renderJson } from './render-report.js';
export { DoctorConnectionError, CleanupNotConfirmedError } from './doctor-errors.js';
