// The emulator's public surface (package subpath `kjob/emulator`).
export { startEmulator } from './start-emulator.js';
export type { StartEmulatorOptions, RunningEmulator } from './start-emulator.js';
export { createEmulator } from './create-emulator.js';
export type { CreateEmulatorOptions, EmulatorParts } from './create-emulator.js';
export { KustoServiceError } from './contracts.js';
export type * from './contracts.js';
