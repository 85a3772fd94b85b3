/**
 * Temporary folders that a test file removes when it is done: created under the OS temp folder
 * with a recognizable prefix, removed in `afterAll` (registered when a test file imports this
 * module, where jest allows hooks) and, as a last resort, when the process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const created = new Set<string>();

function removeAll(): void {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
  created.clear();
}

// Outside a test file (a benchmark, a script) there is no afterAll: the exit hook remains.
if (typeof afterAll === 'function') afterAll(removeAll);
process.once('exit', removeAll);

/** A fresh folder `<tmp>/<prefix>XXXXXX`, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.add(dir);
  return dir;
}
