/**
 * Shared set-up for construct tests: an emulator on 127.0.0.1 and an environment that points the
 * lookup script at it (exactly how users point their own tests at it).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Manifest, TerraformStack } from 'cdktf';
import { EmulatorConfig, startEmulatorProcess } from '../../src/emulator';
import { testingApp } from '../support/cdktf';
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

// The 2018-03-30 family, which AUTO asks first, so a lookup takes one request; `failed2021` is
// the same failure in today's family, for the tests that pin 2021-12-06.
export const JOBS: Record<string, NonNullable<EmulatorConfig['jobs']>[number]> = {
  passed: { jobId: 'sync-pass0001', region: 'ap-guangzhou', family: '2018', outcome: 'passed' },
  passedFinance: { jobId: 'sync-fsi00001', region: 'ap-shanghai-fsi', family: '2018', outcome: 'passed' },
  failed: { jobId: 'sync-fail0001', region: 'ap-guangzhou', family: '2018', outcome: 'failed', failStep: 7, message: '目标实例不为空' },
  failed2021: { jobId: 'sync-fail2021', region: 'ap-guangzhou', family: '2021', outcome: 'failed', failStep: 7, message: '目标实例不为空' },
  slow: { jobId: 'sync-slow0001', region: 'ap-guangzhou', family: '2018', outcome: 'passed', checkSeconds: 2 },
  forever: { jobId: 'sync-runs0001', region: 'ap-guangzhou', family: '2018', outcome: 'running' },
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

/** A testing app whose output folder is removed after the test file. */
export function testApp(context?: Record<string, unknown>): App {
  return testingApp({ context });
}

/**
 * What `Testing.fullSynth` does (validations included), in a folder removed after the test file,
 * also when synthesis throws. Returns the stack's folder.
 */
export function fullSynthStack(stack: TerraformStack): string {
  const outdir = tempDir('dts-construct-synth-');
  const manifest = new Manifest('stubbed', outdir, false);
  stack.synthesizer.synthesize({ outdir, manifest });
  manifest.writeToFile();
  return path.join(outdir, 'stacks', stack.node.id);
}

/** Stub passed verdicts for these job ids (the `dts-sync-check:stub-reports` context). */
export function stubbed(entries: Record<string, unknown>): Record<string, unknown> {
  return { 'dts-sync-check:stub-reports': entries };
}

/** `terraform version`'s first line, or undefined when no terraform binary is on PATH (the caller says so plainly). */
export function terraformVersion(): string | undefined {
  const r = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

/** Run terraform in `dir` offline, with an empty CLI config of our own (the runner's may point at a missing file). */
export function terraform(dir: string, args: string[], cliConfig = ''): { status: number | null; stdout: string; stderr: string } {
  const config = path.join(dir, 'test.terraformrc');
  writeFileSync(config, cliConfig);
  const r = spawnSync('terraform', args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0', TF_CLI_CONFIG_FILE: config },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** How a process ended, and what it printed. */
export interface ProcessOutcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The apply-time gate of a synthesized stack, as Terraform's local-exec sees it. */
export interface SynthesizedGate {
  readonly command: string;
  readonly environment: Record<string, string>;
  readonly stackDir: string;
}

/** The gate of the one SyncCheckResult in a stack synthesized to `stackDir`, either resource type. */
export function gateOf(stackDir: string): SynthesizedGate {
  const parsed = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const resources = { ...parsed.resource.null_resource, ...parsed.resource.terraform_data } as Record<string, any>;
  const local = Object.values(resources)[0].provisioner[0]['local-exec'];
  return { command: local.command, environment: local.environment, stackDir };
}

/** What Terraform's local-exec does on Linux: `/bin/sh -c` in the stack folder, the gate's environment over `env`. */
export function runGateAsTerraform(gate: SynthesizedGate, env: NodeJS.ProcessEnv = process.env): ProcessOutcome {
  const r = spawnSync('/bin/sh', ['-c', gate.command], { cwd: gate.stackDir, env: { ...env, ...gate.environment }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
