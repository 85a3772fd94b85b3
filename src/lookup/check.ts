/**
 * CONTRACT STUB — `dts-sync-check check ...`; resolves with the exit code (see protocol.ts EXIT).
 */
export async function runCheck(_argv: string[]): Promise<number> {
  process.stderr.write('dts-sync-check check: not implemented yet\n');
  return 2;
}
