/**
 * Jest global setup: the run gets a temp folder of its own, and a marker its processes inherit,
 * so the global teardown can tell what this run left behind (other runs on a shared machine use
 * the same /tmp and start their own processes).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RUN_MARKER, RUN_TMP } from './leftovers';

export default function globalSetup(): void {
  const root = mkdtempSync(path.join(tmpdir(), 'dts-test-run-'));
  process.env[RUN_TMP] = root;
  // os.tmpdir() reads TMPDIR on every call, in this process, the test workers and every child.
  process.env.TMPDIR = root;
  process.env[RUN_MARKER] = randomUUID();
}
