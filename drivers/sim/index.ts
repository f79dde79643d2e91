/** Public entry of the sim subsystem: SimHost, its control interface and hardware profiles. */
export { SimHost, createSimHost, openSimHost, initSimDir, resetSimDir, scstRel } from './simhost.js';
export type { EmulatedCommand } from './simhost.js';
export type { SimControl, SessionRef } from './control.js';
export { defaultHardware, checkHardware, normalizeHardware } from './hardware.js';
export type { HardwareProfile, ScsiDeviceType } from './hardware.js';
export { provisionFiles, BACKING_IMAGE_BYTES, type Provisioned } from './provision.js';
