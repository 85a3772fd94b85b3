import { spawn } from 'node:child_process';
import { RUN_MARKER, RUN_TMP } from './leftovers';
import { RATE_LIMIT_ENV } from '../../src/dts/limiter';

export interface ProcessResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit. */
  readonly elapsedMs: number;
}

export interface RunProcessOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the child after this long (a hung child must not hang the suite). @default 120_000 */
  readonly timeoutMs?: number;
}

/**
 * Run a process to completion without blocking this one, so an emulator started in the test's
 * own process keeps answering while the child talks to it.
 */
export function runProcess(command: string, args: string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: options.cwd, env: withRunMarker(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
}

/**
 * What the test harness keeps in every environment it hands out: the run's marker and temp folder
 * (the global teardown finds what a process leaves there) and the test file's rate-limit folder
 * (test/support/rate-limit-dir.ts, removed after the file). A test that builds an environment of
 * its own, for a child or as `process.env`, spreads this first, or the lookup would make the
 * default rate-limit folder in the run's, or the machine's, temp folder.
 */
export function harnessEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  if (process.env[RUN_MARKER]) env[RUN_MARKER] = process.env[RUN_MARKER];
  if (process.env[RUN_TMP]) env.TMPDIR = process.env.TMPDIR;
  if (process.env[RATE_LIMIT_ENV.DIR]) env[RATE_LIMIT_ENV.DIR] = process.env[RATE_LIMIT_ENV.DIR];
  return env;
}

/** A test's own environment for a child, with what the harness keeps where the test did not set it. */
function withRunMarker(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv | undefined {
  if (!env) return undefined;
  const extra = harnessEnv();
  for (const k of Object.keys(extra)) if (env[k] !== undefined && k !== RUN_MARKER) delete extra[k];
  return { ...env, ...extra };
}
