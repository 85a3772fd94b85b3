/**
 * Jest global teardown: fails the run when a test left a folder in the temp folder or a process
 * running (each is named), after removing them, so one leaky test cannot fill a shared machine.
 */
import { readdirSync, rmSync } from 'node:fs';
import { leftoverProcesses, RUN_MARKER, RUN_TMP } from './leftovers';

const TOOL_CACHES = /^v8-compile-cache-/;

export default async function globalTeardown(): Promise<void> {
  const root = process.env[RUN_TMP];
  const marker = process.env[RUN_MARKER];
  if (!root || !marker) throw new Error('the global setup did not run: test/support/global-setup.ts sets the run\'s temp folder and marker');
  const problems: string[] = [];

  const processes = await leftoverProcesses(marker);
  for (const p of processes) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // it ended meanwhile
    }
  }
  if (processes.length > 0) {
    problems.push(`${processes.length} process(es) started by tests still running (killed now):\n${processes.map((p) => `    ${p.pid} ${p.command}`).join('\n')}`);
  }

  // Caches that tools keep on purpose (ts-node's compile cache) are not a test's leftovers; they
  // go with the run's folder.
  const folders = readdirSync(root).filter((f) => !TOOL_CACHES.test(f));
  rmSync(root, { recursive: true, force: true });
  if (folders.length > 0) {
    problems.push(`${folders.length} entr${folders.length === 1 ? 'y' : 'ies'} left in the temp folder (removed now; use tempDir from test/support/temp.ts, or testingApp/fullSynth from test/support/cdktf.ts):\n${folders.sort().map((f) => `    ${f}`).join('\n')}`);
  }
  if (problems.length > 0) throw new Error(`Tests did not clean up after themselves:\n  ${problems.join('\n  ')}`);
}
