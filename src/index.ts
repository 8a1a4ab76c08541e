// kjob's public surface: re-exports only.
export { KjobError, ConfigError, PlanError, isKjobError } from './errors/kjob-error.js';
export type { KjobErrorCode, KjobErrorDetails } from './errors/kjob-error.js';
export { startEmulator } from './emulator/index.js';
export type { StartEmulatorOptions, RunningEmulator } from './emulator/index.js';
