/**
 * CONTRACT STUB — `dts-sync-check emulator [--port N] [--config FILE]`.
 * Resolves with the process exit code once the emulator has stopped (SIGINT/SIGTERM).
 */
export async function runEmulatorCli(_argv: string[]): Promise<number> {
  process.stderr.write('dts-sync-check emulator: not implemented yet\n');
  return 2;
}
