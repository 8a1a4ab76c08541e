// The emulator's public surface (package subpath `kjob/emulator`).
export { startEmulator } from './start-emulator.js';
export type { StartEmulatorOptions, RunningEmulator } from './start-emulator.js';
export { createEmulator } from './create-emulator.js';
export type { CreateEmulatorOptions, EmulatorParts } from './create-emulator.js';
export { KustoServiceError } from './contracts.js';
export type * from './contracts.js';
// Data management, fault injection and auth (src/emulator/{dm,faults,auth}).
export { attachDataManagement } from './dm/attach.js';
export type { DataManagementOptions, DataManagementHandle } from './dm/attach.js';
export { FaultRegistry, describeFault } from './faults/fault-registry.js';
export type { FaultSpec, ActiveFault } from './faults/fault-registry.js';
export { FAULT_COMMAND_HELP } from './faults/fault-command.js';
export type { AuthOptions } from './auth/auth-hook.js';
export type { DatabaseRole } from './auth/role-store.js';
export { trustEmulatorCertificate } from '../util/tls-trust.js';
