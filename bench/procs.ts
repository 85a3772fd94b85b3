/**
 * Process helpers of the benchmarks: the emulator as its own process (so nothing a benchmark
 * does in this process can slow its answers), and timed runs of one-shot node processes.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
// eslint-disable-next-line import/no-extraneous-dependencies -- benchmarks are development tooling, like the tests
import { buildSync } from 'esbuild';
import type { EmulatorConfig } from '../src/emulator';

export const ROOT = path.join(__dirname, '..');
export const CLI = path.join(ROOT, 'lib', 'bin', 'dts-sync-check.js');
/** The lookup script a gate runs (`gate`, `batch`). */
export const LOOKUP = path.join(ROOT, 'lib', 'bin', 'dts-sync-check-lookup.js');
/** Scratch space (git-ignored). */
export const OUT = path.join(__dirname, 'out');

export const CREDS = { secretId: 'AKIDBENCHMARK00001', secretKey: 'benchmark-secret-key-00001' };

/** The environment of every measured process: PATH, a HOME without profiles, the credentials. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  mkdirSync(path.join(OUT, 'home'), { recursive: true });
  return {
    PATH: process.env.PATH,
    HOME: path.join(OUT, 'home'),
    TENCENTCLOUD_SECRET_ID: CREDS.secretId,
    TENCENTCLOUD_SECRET_KEY: CREDS.secretKey,
    CHECKPOINT_DISABLE: '1',
    ...extra,
  };
}

export interface EmulatorProc {
  readonly url: string;
  readonly port: number;
  /** The request log so far (the emulator's --verbose lines). */
  entries(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/**
 * Start `dts-sync-check emulator --verbose` on a free port with `config`. The benchmarks' jobs are
 * of the 2018-03-30 family, which the default `auto` answers with one request a look; a job of
 * the 2021-12-06 family costs one more request on its first look (the 2018 action is asked first).
 */
export async function startEmulatorProc(name: string, config: EmulatorConfig): Promise<EmulatorProc> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npx projen bundle" (npm run bench does)`);
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `${name}-emulator.json`);
  writeFileSync(file, JSON.stringify({ credentials: [CREDS], ...config }));
  const child = spawn(process.execPath, [CLI, 'emulator', '--config', file, '--verbose'], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the emulator did not start: ${stderr}`)), 15_000);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    entries: () => stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      live.delete(child);
    },
  };
}

export interface Timed {
  readonly ms: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a node process to completion and time it, wall clock, from spawn to exit. */
export function timeNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Timed {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * Bundle a benchmark app (`bench/<name>.ts`) into bench/out, cdktf and constructs external (they
 * resolve through NODE_PATH), so each measured process loads plain JavaScript as a user's
 * compiled app would. src/bundles.ts finds the lookup script relative to its own folder, which
 * in a bundle would be bench/out: it is told the folder it has in the repository.
 */
export function buildApp(name: string): string {
  const outfile = path.join(OUT, `${name}.js`);
  buildSync({
    entryPoints: [path.join(__dirname, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['cdktf', 'constructs', '@cdktf/provider-null', 'undici'],
    define: { __dirname: JSON.stringify(path.join(ROOT, 'src')) },
    logLevel: 'error',
  });
  return outfile;
}

const rateDirs = new Set<string>();
process.on('exit', () => {
  for (const d of rateDirs) rmSync(d, { recursive: true, force: true });
});

/**
 * A fresh folder for the shared request limit (DTS_SYNC_CHECK_RATE_DIR), so a run meets an idle
 * limit and no backoff learned in one run carries into the next. Removed when the run exits.
 */
export function freshRateDir(): string {
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(path.join(OUT, 'rate-'));
  rateDirs.add(dir);
  return dir;
}

/** Wait, without timing anything. */
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
