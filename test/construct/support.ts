/**
 * Shared set-up for construct tests: an emulator on 127.0.0.1 and an environment that points the
 * lookup script at it (exactly how users point their own tests at it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { EmulatorConfig, startEmulatorProcess } from '../../src/emulator';
import { tempDir } from '../support/temp';

export const CREDS = { secretId: 'AKIDCONSTRUCTTEST01', secretKey: 'construct-test-secret-key-0001' };

// A separate process: synthesis blocks this one while the lookup script waits for answers.
export type Emulator = Awaited<ReturnType<typeof startEmulatorProcess>>;

const ENV_KEYS = ['DTS_SYNC_CHECK_ENDPOINT', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_TOKEN', 'HOME'];

/** Point the lookup at an emulator through the environment; returns a restore function. */
/** `creds` null: no credentials at all. */
export function pointEnvAt(url: string | undefined, creds: { secretId: string; secretKey: string } | null = CREDS): () => void {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  // A clean HOME so a developer's ~/.tencentcloud/credentials never leaks into a test.
  process.env.HOME = tempDir('dts-home-');
  if (url) process.env.DTS_SYNC_CHECK_ENDPOINT = url;
  if (creds) {
    process.env.TENCENTCLOUD_SECRET_ID = creds.secretId;
    process.env.TENCENTCLOUD_SECRET_KEY = creds.secretKey;
  }
  return () => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}

export async function emulatorWith(jobs: EmulatorConfig['jobs'], extra: EmulatorConfig = {}): Promise<Emulator> {
  return startEmulatorProcess({ credentials: [CREDS], jobs, ...extra });
}

export const JOBS: Record<string, NonNullable<EmulatorConfig['jobs']>[number]> = {
  passed: { jobId: 'sync-pass0001', region: 'ap-guangzhou', outcome: 'passed' },
  passedFinance: { jobId: 'sync-fsi00001', region: 'ap-shanghai-fsi', outcome: 'passed' },
  failed: { jobId: 'sync-fail0001', region: 'ap-guangzhou', outcome: 'failed', failStep: 7, message: '目标实例不为空' },
  slow: { jobId: 'sync-slow0001', region: 'ap-guangzhou', outcome: 'passed', checkSeconds: 2 },
  forever: { jobId: 'sync-runs0001', region: 'ap-guangzhou', outcome: 'running' },
};

/** Every file under a directory, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

export function readAllText(dir: string): string {
  return filesUnder(dir).map((f) => readFileSync(f, 'utf8')).join('\n');
}
