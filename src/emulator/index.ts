/**
 * Everything of the emulator for TypeScript/JavaScript users:
 * `import { startEmulator } from 'cdktf-dts-sync-check/lib/emulator'`.
 * The jsii API exposes only `DtsEmulator` and its structs (free functions are not jsii).
 */
export * from './emulator';
export { RunningEmulator, EmulatorRequestListener, EmulatorRuntimeOptions, MAX_BODY_BYTES } from './server';
export { startEmulator } from './worker';
export {
  EmulatorConfig,
  EmulatorJobConfig,
  EmulatorFaultConfig,
  EmulatorConfigError,
  loadConfigFile,
  ACTION_2018,
  ACTION_2021,
  CREATE_ACTION_2018,
  CREATE_ACTION_2021,
  VERSION_2018,
  VERSION_2021,
} from './config';
export { REFUSE_CHECK_CODES } from './errors';
export { EMULATOR_DEFAULT_CREDENTIALS, EMULATOR_BUILT_IN_JOBS } from './builtin';
export { CHECK_STEPS, CheckStepDefinition } from './steps';
export { runEmulatorCli } from './cli';
export { startEmulatorProcess, EmulatorProcess } from './process';
