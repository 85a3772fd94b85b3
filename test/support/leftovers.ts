/**
 * What a test run may leave behind, found by the marker every process of the run inherits.
 * Linux only (/proc); elsewhere no process is reported.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The run's own temp folder (TMPDIR of every test and child). */
export const RUN_TMP = 'DTS_TEST_RUN_TMP';
/** An id in the environment of every process the run starts. */
export const RUN_MARKER = 'DTS_TEST_RUN_ID';

export interface LeftoverProcess {
  readonly pid: number;
  readonly command: string;
}

/**
 * Processes other than this one and jest's own workers that carry the run's marker, after giving
 * those that are ending a moment (a child killed in afterAll may still be exiting).
 */
export async function leftoverProcesses(marker: string, graceMs = 3_000): Promise<LeftoverProcess[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const found = scan(marker);
    if (found.length === 0 || Date.now() >= deadline) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function scan(marker: string): LeftoverProcess[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  const needle = `${RUN_MARKER}=${marker}`;
  const found: LeftoverProcess[] = [];
  for (const name of pids) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle)) continue;
      // A zombie has ended; only its parent's wait is missing.
      if (/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'latin1'))) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean).join(' ');
      if (/jest-worker|processChild\.js/.test(command)) continue;
      found.push({ pid, command: command.slice(0, 200) });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}
