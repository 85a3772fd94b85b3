export * from './dts/types';
export * from './dts/client';
export * from './props';
export * from './sync-check-result';
export { GateResourceType } from './gate';
export * from './emulator/emulator';
export { SyncCheckAcknowledgement } from './acknowledge';
