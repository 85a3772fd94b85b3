/**
 * Where the two bundled scripts live. `npx projen bundle` builds both from this source with
 * esbuild, undici inlined, so they run wherever Terraform runs, without the app's node_modules:
 *
 * - the lookup script (`gate`, `batch`): what the construct runs at synth time and ships as the
 *   gate's asset for apply time. It carries nothing of the emulator or the `check` command;
 * - the command-line tool `dts-sync-check` (`check`, `gate`, `batch`, `emulator`).
 *
 * A leaf module, so the construct, the synth bridge and the emulator's child process can all
 * find the scripts without importing one another.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const LOOKUP_SCRIPT_NAME = 'dts-sync-check-lookup.js';
export const CLI_SCRIPT_NAME = 'dts-sync-check.js';
export const EMULATOR_WORKER_SCRIPT_NAME = 'dts-sync-check-emulator-worker.js';

/** The bundled lookup script (`gate`, `batch`). */
export function lookupScriptPath(): string {
  return bundlePath(LOOKUP_SCRIPT_NAME);
}

/** The bundled command-line tool (`check`, `gate`, `batch`, `emulator`). */
export function cliScriptPath(): string {
  return bundlePath(CLI_SCRIPT_NAME);
}

/** The emulator's worker thread (`startEmulator`), a file a `Worker` can load. */
export function emulatorWorkerScriptPath(): string {
  return bundlePath(EMULATOR_WORKER_SCRIPT_NAME);
}

function bundlePath(name: string): string {
  const candidates = [
    path.join(__dirname, 'bin', name), // lib/bin/ in the published package
    path.join(__dirname, '..', 'lib', 'bin', name), // from src/ under ts-node / ts-jest
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`the bundled script ${name} was not found (looked in ${candidates.join(', ')}); build it with "npx projen bundle"`);
  }
  return found;
}
